"""Moderation: a comment received, its spam signals, moderators' decisions and notification."""

import logging
import re

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from comments.formatting import render_comment
from comments.models import Comment
from statements.caching import statement_pages_changed
from statements.models import Statement

logger = logging.getLogger(__name__)


def receive(form, user=None):
    """Store the comment of a valid CommentForm and return it: the one way a comment is made.

    Pending unless its author is trusted (the "post without moderation" permission),
    assessed for spam signals, counted if published at once, and moderators told of it if not.
    `user` is the signed-in account, or None / an anonymous user.
    """
    comment = form.save(commit=False)
    comment.statement = form.statement
    comment.ip_address = form.ip_address
    comment.user = user if user is not None and user.is_authenticated else None
    if comment.user and comment.user.has_perm("comments.post_without_moderation"):
        comment.status = Comment.Status.APPROVED
        comment.decided_by = comment.user
        comment.decided_at = timezone.now()
    assess(comment, form.seconds_taken)
    with transaction.atomic():
        comment.save()
        if comment.status == Comment.Status.APPROVED:
            refresh_comment_counts([comment.statement_id])
    if comment.status == Comment.Status.PENDING:
        notify_moderators(comment)
    return comment


def assess(comment, seconds_taken):
    """Set `spam_reasons` and `returning_author` on an unsaved comment. Nothing is refused."""
    reasons = []
    # Rendered here as well as on save: a few ms, and assess() needs no half-saved comment.
    if render_comment(comment.text).count("<a ") > settings.COMMENTS_MAX_LINKS:
        reasons.append(Comment.Reason.LINKS)
    words = settings.COMMENTS_SPAM_WORDS
    if words and re.search(
        r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", comment.text, re.IGNORECASE
    ):
        reasons.append(Comment.Reason.WORDS)
    if seconds_taken is None or seconds_taken < settings.COMMENTS_MIN_SECONDS:
        reasons.append(Comment.Reason.TOO_FAST)
    if Comment.objects.filter(text=comment.text).exists():
        reasons.append(Comment.Reason.DUPLICATE)
    rejected = Comment.objects.filter(status__in=[Comment.Status.REJECTED, Comment.Status.SPAM])
    earlier = Q(ip_address=comment.ip_address) if comment.ip_address else Q(pk__in=[])
    if comment.email:
        earlier |= Q(email__iexact=comment.email)
    if rejected.filter(earlier).exists():
        reasons.append(Comment.Reason.KNOWN_SPAMMER)
    comment.reasons = reasons
    comment.returning_author = bool(comment.email) and (
        Comment.objects.approved().filter(name=comment.name, email__iexact=comment.email).exists()
    )


def decide(comments, status, moderator):
    """Record a moderator's decision on `comments`; return how many changed.

    The update only touches comments not already in `status`, so two moderators (or two
    clicks) deciding the same comment at once record one decision.
    """
    statement_ids = set(comments.values_list("statement_id", flat=True))
    changed = comments.exclude(status=status).update(
        status=status, decided_at=timezone.now(), decided_by=moderator
    )
    if changed:
        refresh_comment_counts(statement_ids)
    return changed


def refresh_comment_counts(statement_ids):
    """Recount the approved comments of these statements and mark the statements changed.

    Every change to which comments are shown goes through here.
    """
    approved = (
        Comment.objects.approved()
        .filter(statement=OuterRef("pk"))
        .order_by()
        .values("statement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Statement.objects.filter(pk__in=statement_ids).update(
        comment_count=Coalesce(Subquery(approved), 0)
    )
    statement_pages_changed(statement_ids)


def notify_moderators(comment):
    """E-mail moderators about a pending comment. A failing mail server is logged, never raised.

    The message is plain text; reader text goes only into its body, never into a header.
    """
    if not settings.COMMENTS_NOTIFY_MODERATORS:
        return
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, groups__name="Moderators")
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    queue = reverse("admin:comments_comment_changelist")
    reasons = ", ".join(reason.label for reason in comment.reasons) or "none"
    body = (
        f"A comment is waiting for moderation on “{comment.statement.title}”.\n\n"
        f"Name: {comment.name}\nE-mail: {comment.email or '-'}\nSpam signals: {reasons}\n\n"
        f"{comment.text}\n\n"
        f"Moderation queue: {settings.SITE_URL}{queue}\n"
    )
    try:
        send_mail(
            f"[{settings.SITE_NAME}] New comment awaiting moderation (#{comment.pk})",
            body,
            None,
            recipients,
        )
    except Exception:
        logger.exception("Could not e-mail moderators about comment %s", comment.pk)
