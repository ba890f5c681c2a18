"""E-mail to staff about their own account."""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

logger = logging.getLogger(__name__)


def send_sign_in_notice(user, ip_address, user_agent):
    """Tell a staff member their password was just used to sign in, and from where.

    The one place this mail is sent from, so that it can move to the task queue as it is.
    A failing mail server is logged, never raised: signing in must not depend on it.
    """
    if not user.email:
        return
    when = timezone.localtime()
    body = (
        f"Hello {user.get_username()},\n\n"
        f"Your password for {settings.SITE_NAME} was used to sign in just now.\n\n"
        f"When: {when:%Y-%m-%d %H:%M %Z}\n"
        f"From the address: {ip_address or 'unknown'}\n"
        f"Browser: {' '.join(user_agent.split())[:200] or 'unknown'}\n\n"
        "If this was you, there is nothing to do. If it was not, change your password at once "
        "and ask a superuser to reset your second factors:\n"
        f"{settings.SITE_URL}/{settings.ADMIN_URL}password_change/\n"
    )
    try:
        send_mail(f"[{settings.SITE_NAME}] New sign-in to your account", body, None, [user.email])
    except Exception:
        logger.exception("Could not send the sign-in notice to user %s", user.pk)
