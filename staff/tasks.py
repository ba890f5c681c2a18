"""Background tasks of the staff app, run by the worker (`manage.py db_worker`)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django_tasks import task

from staff.mail import sign_in_notice

logger = logging.getLogger(__name__)


# On the "mail" queue with every other e-mail (its own worker, `mail-worker`), so that a slow
# mail server never holds up the work on new comments.
@task(queue_name="mail")
def tell_of_sign_in(user_id, ip_address, user_agent, when, language=None):
    """E-mail a staff member that their password was just used (`when`: ISO 8601), in
    `language` (the one the sign-in page spoke; the site's default if None).

    Queued at each staff sign-in (staff.sessions), so that signing in never waits for, or
    depends on, the mail server. A failure is logged and recorded in the task's result.
    """
    user = get_user_model().objects.filter(pk=user_id).exclude(email="").first()
    if user is None:
        return "no e-mail address"
    with translation.override(language or settings.SITE_DEFAULT_LANGUAGE):
        subject, body = sign_in_notice(
            user, ip_address, user_agent, timezone.localtime(parse_datetime(when))
        )
    try:
        send_mail(subject, body, None, [user.email])
    except Exception:
        logger.exception("Could not send the sign-in notice to user %s", user_id)
        raise
    return "sent"
