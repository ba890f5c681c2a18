"""Background tasks of the comments domain, run by the worker (`manage.py db_worker`).

Queued through Django's tasks API (the django-tasks backport, database backend): the request
that queues one only writes a row; a slow or failing mail server is the worker's problem.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

logger = logging.getLogger(__name__)


# E-mail has a queue of its own, so that a slow mail server never holds up the work on new
# comments (the `mail-worker` service runs it; the `worker` service runs "default").
MAIL_QUEUE = "mail"


@task()
def after_receive(comment_id):
    """The work on a new comment that its author need not wait for (comments.moderation)."""
    from comments import moderation
    from comments.models import Comment

    comment = Comment.objects.select_related("statement").filter(pk=comment_id).first()
    if comment is None:
        return "deleted since"
    moderation.after_receive(comment)
    return "done"


@task(queue_name=MAIL_QUEUE)
def deliver(message, attempt=1):
    """Send one e-mail: `message` holds subject, body, to and headers (plain JSON).

    A failure (the server refuses, times out or is away) queues the next attempt, after
    MAIL_RETRY_BACKOFF seconds, doubled each time, up to MAIL_RETRIES attempts; this attempt
    is then recorded as failed in the task results (visible in the admin) and logged.
    """
    email = EmailMessage(
        subject=message["subject"],
        body=message["body"],
        to=message["to"],
        headers=message.get("headers") or {},
    )
    try:
        email.send()
    except Exception:
        if attempt >= settings.MAIL_RETRIES:
            logger.exception("Gave up e-mailing %s after %s attempts", message["to"], attempt)
            raise
        delay = settings.MAIL_RETRY_BACKOFF * 2 ** (attempt - 1)
        deliver.using(run_after=timezone.now() + timedelta(seconds=delay)).enqueue(
            message, attempt + 1
        )
        logger.warning(
            "Could not e-mail %s (attempt %s); trying again in %s s",
            message["to"],
            attempt,
            delay,
            exc_info=True,
        )
        raise


@task()
def tell_authors(comment_id, status):
    """After a decision (and its undo window): tell the author, and the author answered.

    Does nothing if the comment's status has changed since (an undo, another decision), or
    if nobody asked and confirmed. See comments.subscriptions.
    """
    from comments.models import Comment

    comment = (
        Comment.objects.filter(pk=comment_id, status=status)
        .select_related("statement", "parent")
        .first()
    )
    if comment is None:
        return "decided again since"
    # The worker has no reader's request: write in the language the reader read and wrote in.
    with translation.override(comment.statement.language):
        _tell_authors(comment, status)
    return "done"


def _tell_authors(comment, status):
    from django.utils.translation import gettext as _

    from comments import subscriptions
    from comments.models import Comment

    site, title = settings.SITE_NAME, comment.statement.title
    link = settings.SITE_URL + comment.get_absolute_url()
    author = subscriptions.confirmed(comment.email) if comment.notify else None
    if status == Comment.Status.APPROVED:
        if author:
            subscriptions.send_to_reader(
                author,
                _("[%(site)s] Your comment is published") % {"site": site},
                _("Your comment on “%(title)s” is published:\n%(link)s\n")
                % {"title": title, "link": link},
            )
        parent = comment.parent
        if parent and parent.notify and parent.status == Comment.Status.APPROVED:
            asker = subscriptions.confirmed(parent.email)
            if asker and asker.email != (comment.email or "").lower():
                subscriptions.send_to_reader(
                    asker,
                    _("[%(site)s] %(name)s answered your comment")
                    % {"site": site, "name": comment.name},
                    _("%(name)s answered your comment on “%(title)s”:\n\n%(text)s\n\n%(link)s\n")
                    % {"name": comment.name, "title": title, "text": comment.text, "link": link},
                )
    elif status == Comment.Status.REJECTED and author:
        reason = comment.reason_for_author.strip()
        body = _("Your comment on “%(title)s” was not published.") % {"title": title}
        if reason:
            body += "\n\n" + _("The moderators' reason: %(reason)s") % {"reason": reason}
        body += "\n\n" + _(
            "How moderation works, and how to ask for a decision to be reviewed: %(link)s"
        ) % {"link": settings.SITE_URL + reverse("comments:transparency")}
        subscriptions.send_to_reader(
            author, _("[%(site)s] Your comment was not published") % {"site": site}, body + "\n"
        )
