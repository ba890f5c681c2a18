"""Staff sessions: shorter than readers', and announced by e-mail.

Other sessions end on a password change by Django itself: each session carries a hash of the
password (SessionAuthenticationMiddleware's check, built into django.contrib.auth), and the
admin's password form keeps only the session that made the change (update_session_auth_hash).
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from cms.client import client_ip
from staff import tasks


def on_sign_in(sender, request, user, **kwargs):
    """At a staff sign-in: the session ends STAFF_SESSION_AGE seconds from now, whatever the
    activity, and the staff member is told by e-mail (a background task)."""
    if not user.is_staff or request is None:
        return
    request.session.set_expiry(timezone.now() + timedelta(seconds=settings.STAFF_SESSION_AGE))
    if user.email:
        tasks.tell_of_sign_in.enqueue(
            user.pk,
            client_ip(request),
            request.headers.get("User-Agent", ""),
            timezone.now().isoformat(),
            translation.get_language(),
        )
