"""Moderation: a comment received, its spam signals, moderators' decisions and notification."""

import logging
import re
import uuid
from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from comments import campaigns, notifications, rules, similarity, subscriptions, tasks
from comments.formatting import render_comment
from comments.models import Comment, Decision, Rule, same_author
from statements.caching import statement_pages_changed
from statements.models import Statement

logger = logging.getLogger(__name__)


def receive(form, user=None):
    """Store the comment of a valid CommentForm and return it: the one way a comment is made.

    Pending unless its author is trusted (the "post without moderation" permission, an allow
    rule, enough approved comments) or a deny rule sends it to spam; assessed for spam
    signals; counted if published at once. The rest (campaigns, e-mail) is queued for the
    worker: `after_receive()`. `user` is the signed-in account, or None / an anonymous user.
    """
    comment = form.save(commit=False)
    comment.statement = form.statement
    comment.ip_address = form.ip_address
    comment.parent = form.cleaned_data.get("parent")
    comment.notify = bool(form.cleaned_data.get("notify") and comment.email)
    comment.user = user if user is not None and user.is_authenticated else None
    if comment.user and comment.user.has_perm("comments.post_without_moderation"):
        comment.status = Comment.Status.APPROVED
        comment.decided_by = comment.user
        comment.decided_at = timezone.now()
    approved_by_author = assess(comment, form.seconds_taken)
    matched_rules = apply_rules(comment, approved_by_author)
    # One transaction, so one commit (one disk flush) per comment: the comment, its rules and
    # the task that does the rest are stored together or not at all.
    with transaction.atomic():
        comment.save()
        if matched_rules:
            comment.rules.set(matched_rules)
        if comment.status == Comment.Status.APPROVED:
            refresh_comment_counts([comment.statement_id])
            tell_authors(comment.pk, comment.status)
        tasks.after_receive.enqueue(comment.pk)
    return comment


def after_receive(comment):
    """What follows a new comment, in the worker (comments.tasks.after_receive): group it into
    a campaign if it is one of many alike, ask its author to confirm their address if they
    want e-mail, and tell the moderators of it if it still waits for them (once per
    campaign)."""
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: grouping may fail, the rest goes on
                campaign, new_campaign = campaigns.record(comment)
        except DatabaseError:
            logger.exception("Could not check comment %s for a campaign", comment.pk)
            campaign, new_campaign = None, False
        subscriptions.ask(comment)
        # One notice per campaign, not one per comment of it.
        pending = Comment.objects.pending().filter(pk=comment.pk).exists()
        if pending and (campaign is None or new_campaign):
            notify_moderators(comment)


def assess(comment, seconds_taken):
    """Set `spam_reasons` and `returning_author` on an unsaved comment; return how many
    approved comments its author has (apply_rules trusts those with enough). Nothing is
    refused.

    What the other comments tell (a duplicate, an author rejected before, approved before) is
    counted in one query: a spike's submissions are bound by their queries (make spike).
    """
    reasons = []
    # Rendered here as well as on save: 0.05 ms for a reader's comment of bench/readers.py,
    # and assess() needs no half-saved comment.
    if render_comment(comment.text).count("<a ") > settings.COMMENTS_MAX_LINKS:
        reasons.append(Comment.Reason.LINKS)
    words = settings.COMMENTS_SPAM_WORDS
    if words and re.search(
        r"\b(?:" + "|".join(map(re.escape, words)) + r")\b", comment.text, re.IGNORECASE
    ):
        reasons.append(Comment.Reason.WORDS)
    if seconds_taken is None or seconds_taken < settings.COMMENTS_MIN_SECONDS:
        reasons.append(Comment.Reason.TOO_FAST)
    checks = {"duplicate": Q(text=comment.text)}
    earlier = [Q(ip_address=comment.ip_address)] if comment.ip_address else []
    if comment.email:
        earlier.append(Q(email__iexact=comment.email))
        checks["approved"] = Q(status=Comment.Status.APPROVED) & same_author(comment)
    if earlier:
        rejected = Q(status__in=[Comment.Status.REJECTED, Comment.Status.SPAM])
        checks["known"] = rejected & reduce(or_, earlier)
    found = Comment.objects.filter(reduce(or_, checks.values())).aggregate(
        **{name: Count("pk", filter=check) for name, check in checks.items()}
    )
    if found["duplicate"]:
        reasons.append(Comment.Reason.DUPLICATE)
    if found.get("known"):
        reasons.append(Comment.Reason.KNOWN_SPAMMER)
    comment.reasons = reasons
    comment.returning_author = bool(found.get("approved"))
    return found.get("approved", 0)


def apply_rules(comment, approved_by_author):
    """Apply the moderators' rules and the trusted-author setting to an unsaved comment.

    A deny rule sends it to spam; otherwise an allow rule, or an author (same name and
    e-mail) with COMMENTS_TRUSTED_AFTER approved comments (`approved_by_author`, from
    assess), publishes it. Returns the rules that matched, deny rules first: store them with
    `comment.rules.set()` once it is saved.
    """
    hosts = similarity.linked_hosts(comment.text, comment.homepage)
    matched = rules.matching(
        name=comment.name,
        email=comment.email,
        ip=comment.ip_address,
        text=comment.text,
        hosts=hosts,
    )
    if comment.status != Comment.Status.PENDING:
        return matched  # a trusted account's comment, published already
    if matched and matched[0].action == Rule.Action.DENY:
        comment.status = Comment.Status.SPAM
    elif matched or is_trusted_author(comment, approved_by_author):
        comment.status = Comment.Status.APPROVED
    else:
        return matched
    comment.decided_at = timezone.now()
    return matched


def is_trusted_author(comment, approved_by_author):
    """Whether the author has COMMENTS_TRUSTED_AFTER approved comments (0 turns it off)."""
    needed = settings.COMMENTS_TRUSTED_AFTER
    return bool(needed and comment.email and approved_by_author >= needed)


def decide(comments, status, moderator):
    """Record a moderator's decision on `comments`; return how many changed.

    Only comments not already in `status` change, and their rows are locked first (in a
    fixed order), so two moderators (or two clicks) deciding the same comment at once record
    one decision. Each change is logged as a Decision, one batch per call, for `undo()`.
    """
    pks = list(comments.values_list("pk", flat=True))
    if not pks:
        return 0
    now, batch = timezone.now(), uuid.uuid4()
    with transaction.atomic():
        rows = list(
            Comment.objects.filter(pk__in=pks)
            .exclude(status=status)
            .select_for_update()
            .order_by("pk")
            .values_list(
                "pk", "status", "decided_at", "decided_by", "statement", "notify", "parent"
            )
        )
        if not rows:
            return 0
        changed = (
            Comment.objects.filter(pk__in=[row[0] for row in rows])
            .exclude(status=status)
            .update(status=status, decided_at=now, decided_by=moderator)
        )
        Decision.objects.bulk_create(
            Decision(
                comment_id=pk,
                moderator=moderator,
                batch=batch,
                previous_status=previous,
                previous_decided_at=decided_at,
                previous_decided_by_id=decided_by,
                status=status,
                decided_at=now,
            )
            for pk, previous, decided_at, decided_by, *_ in rows
        )
        refresh_comment_counts({row[4] for row in rows})
        for pk, *_, notify, parent in rows:
            if notify or (parent and status == Comment.Status.APPROVED):
                tell_authors(pk, status)
    return changed


def tell_authors(comment_pk, status):
    """Queue the e-mail to the comment's author, and to the one it answers, for after the
    undo window (the task checks the decision still stands)."""
    if status not in (Comment.Status.APPROVED, Comment.Status.REJECTED):
        return
    wait = timedelta(seconds=settings.COMMENTS_UNDO_SECONDS + 5)
    tasks.tell_authors.using(run_after=timezone.now() + wait).enqueue(comment_pk, status)


def undo(moderator):
    """Undo `moderator`'s last batch of decisions, if taken in the last COMMENTS_UNDO_SECONDS.

    A comment decided again since (by anyone) is left as it is. Returns the pks restored.
    """
    now = timezone.now()
    since = now - timedelta(seconds=settings.COMMENTS_UNDO_SECONDS)
    last = (
        Decision.objects.filter(moderator=moderator, undone_at=None, decided_at__gte=since)
        .order_by("-decided_at", "-pk")
        .first()
    )
    if last is None:
        return []
    restored, statements = [], set()
    with transaction.atomic():
        decisions = list(
            Decision.objects.filter(batch=last.batch, undone_at=None)
            .select_for_update()
            .select_related("comment")
            .order_by("comment_id")
        )
        for decision in decisions:
            if Comment.objects.filter(
                pk=decision.comment_id, status=decision.status, decided_at=decision.decided_at
            ).update(
                status=decision.previous_status,
                decided_at=decision.previous_decided_at,
                decided_by=decision.previous_decided_by_id,
            ):
                restored.append(decision.comment_id)
                statements.add(decision.comment.statement_id)
        Decision.objects.filter(pk__in=[d.pk for d in decisions]).update(undone_at=now)
        if statements:
            refresh_comment_counts(statements)
    return restored


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
    """Queue an e-mail to the moderators about a pending comment (sent by the worker).

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
    # Moderators share one inbox language: the site's default.
    with translation.override(settings.SITE_DEFAULT_LANGUAGE):
        reasons = pgettext("list separator", ", ").join(
            str(reason.label) for reason in comment.reasons
        ) or _("none")
        body = _(
            "A comment is waiting for moderation on “%(title)s”.\n\n"
            "Name: %(name)s\nE-mail: %(email)s\nSpam signals: %(reasons)s\n\n"
            "%(text)s\n\n"
            "Moderation queue: %(queue)s\n"
        ) % {
            "title": comment.statement.title,
            "name": comment.name,
            "email": comment.email or "-",
            "reasons": reasons,
            "text": comment.text,
            "queue": f"{settings.SITE_URL}{queue}",
        }
        subject = _("[%(site)s] New comment awaiting moderation (#%(number)s)") % {
            "site": settings.SITE_NAME,
            "number": comment.pk,
        }
    notifications.send(subject, body, recipients)
