"""Reader reports: an approved comment reported by COMMENTS_REPORTS_TO_HIDE readers goes back
to the queue, hidden until a moderator decides.

The "Report" link under each comment is the same for every reader (the statement page stays
cacheable); the form it opens carries a signed, expiring token with a single-use number, so a
forged, expired or replayed form is refused and changes nothing. One report per address per
comment counts, and only reports made since the last decision on the comment.
"""

import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from comments import moderation
from comments.models import Comment, Report

_SALT = "comments.report"


class Refused(Exception):
    """A report that cannot be taken; `status` is the HTTP status to answer with."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


def form_token(comment):
    """A fresh token for one report form about `comment`."""
    return signing.dumps({"c": comment.pk, "n": secrets.token_hex(16)}, salt=_SALT)


def read_token(token, comment):
    """The single-use number in `token`, if it is genuine, fresh and about `comment`.

    Raises Refused otherwise (the messages are translated by the caller's form).
    """
    try:
        data = signing.loads(token, salt=_SALT, max_age=settings.COMMENTS_REPORT_FORM_MAX_AGE)
    except signing.SignatureExpired:
        raise Refused("expired", 400) from None
    except signing.BadSignature:
        raise Refused("forged", 400) from None
    if not isinstance(data, dict) or data.get("c") != comment.pk or not data.get("n"):
        raise Refused("forged", 400)
    return str(data["n"])


def counted(comment):
    """The reports on `comment` since the last decision about it."""
    reports = comment.reports.all()
    if comment.decided_at:
        reports = reports.filter(created_at__gt=comment.decided_at)
    return reports


def receive(comment, *, reason, note, ip_address, nonce):
    """Store a report; hide the comment if it has enough. Returns whether it was hidden."""
    if Report.objects.filter(nonce=nonce).exists():
        raise Refused("replayed", 409)
    if ip_address and counted(comment).filter(ip_address=ip_address).exists():
        raise Refused("already-reported", 409)
    try:
        with transaction.atomic():
            Report.objects.create(
                comment=comment, reason=reason, note=note, ip_address=ip_address, nonce=nonce
            )
    except IntegrityError:  # the same form sent twice at once
        raise Refused("replayed", 409) from None
    if counted(comment).count() < settings.COMMENTS_REPORTS_TO_HIDE:
        return False
    hidden = moderation.decide(
        Comment.objects.filter(pk=comment.pk, status=Comment.Status.APPROVED),
        Comment.Status.PENDING,
        None,
    )
    if hidden:
        comment.refresh_from_db()
        moderation.notify_moderators(comment)
    return bool(hidden)
