"""Campaigns: the same message sent from many addresses, grouped so it is decided once.

A new comment's fingerprints (comments.similarity: folded-text hash, MinHash bands, linked
domains) are stored, and the comments of the last COMMENTS_CAMPAIGN_WINDOW seconds that share
one are looked up with one indexed query. Comments are related when they have the same folded
text, share two MinHash bands or more (near-identical text), or link the same domain (not one
of COMMENTS_COMMON_DOMAINS, nor this site's). When the related comments and the new one come
from at least COMMENTS_CAMPAIGN_MIN_ADDRESSES addresses (IP address, else e-mail), they join
one campaign: an existing one (several are merged into the oldest) or a new one.

Comments arrive at once on several workers; on PostgreSQL one advisory lock, held from
`record()` to the end of the comment's transaction (a few milliseconds), makes the grouping
happen one comment at a time, so that two workers never start two campaigns for the same
message, and row updates never deadlock.
"""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count

from comments import similarity
from comments.models import Campaign, Comment, Fingerprint

_LOCK_ID = 15_000_015  # any constant number, the same in every process

# Precedence when one comment is related to another in several ways.
_KINDS = [Campaign.Kind.SAME_TEXT, Campaign.Kind.NEAR_TEXT, Campaign.Kind.DOMAIN]


def comment_fingerprints(text, homepage=""):
    """The fingerprints of a comment, without the domains everyone links to."""
    ignored = set(settings.COMMENTS_COMMON_DOMAINS)
    ignored.add((urlsplit(settings.SITE_URL).hostname or "").removeprefix("www."))
    hosts = {
        host
        for host in similarity.linked_hosts(text, homepage)
        if not any(host == common or host.endswith("." + common) for common in ignored)
    }
    return similarity.fingerprints(text, hosts)


def related(prints, since, exclude_pk=None):
    """`{comment pk: kind}` of the comments since `since` that share enough fingerprints."""
    values = [value for _, value in prints]
    if not values:
        return {}
    rows = (
        Fingerprint.objects.filter(value__in=values, created_at__gte=since)
        .exclude(comment_id=exclude_pk)
        .values("comment_id", "kind")
        .annotate(shared=Count("pk"))
        .order_by()
    )
    found = {}
    for row in rows:
        kind = Campaign.Kind(row["kind"])
        if kind == Campaign.Kind.NEAR_TEXT and row["shared"] < 2:
            continue
        previous = found.get(row["comment_id"])
        if previous is None or _KINDS.index(kind) < _KINDS.index(previous):
            found[row["comment_id"]] = kind
    return found


def check(text, homepage="", now=None):
    """The comments a new comment with this text would be related to (no writes).

    What `python -m bench.campaigns` times against the last 10,000 comments.
    """
    from django.utils import timezone

    now = now or timezone.now()
    since = now - timedelta(seconds=settings.COMMENTS_CAMPAIGN_WINDOW)
    return related(comment_fingerprints(text, homepage), since)


def _serialise():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_ID])


def _address(ip, email, pk):
    return ip or (email or "").lower() or f"comment-{pk}"


def record(comment):
    """Store a saved comment's fingerprints and put it in a campaign if it is part of one.

    Returns `(campaign, created)`: the campaign or None, and whether it is new.
    """
    prints = comment_fingerprints(comment.text, comment.homepage)
    since = comment.created_at - timedelta(seconds=settings.COMMENTS_CAMPAIGN_WINDOW)
    with transaction.atomic():
        _serialise()
        Fingerprint.objects.bulk_create(
            Fingerprint(comment=comment, kind=kind, value=value, created_at=comment.created_at)
            for kind, value in prints
        )
        found = related(prints, since, exclude_pk=comment.pk)
        if not found:
            return None, False
        members = list(
            Comment.objects.filter(pk__in=found).values_list(
                "pk", "ip_address", "email", "campaign_id"
            )
        )
        addresses = {_address(ip, email, pk) for pk, ip, email, _ in members}
        addresses.add(_address(comment.ip_address, comment.email, comment.pk))
        if len(addresses) < settings.COMMENTS_CAMPAIGN_MIN_ADDRESSES:
            return None, False
        existing = sorted({campaign for *_, campaign in members if campaign})
        created = not existing
        if existing:
            campaign = Campaign.objects.get(pk=existing[0])
            merged = existing[1:]
            if merged:
                Comment.objects.filter(campaign__in=merged).update(campaign=campaign)
                Campaign.objects.filter(pk__in=merged).delete()
        else:
            kind = min(found.values(), key=_KINDS.index)
            campaign = Campaign.objects.create(kind=kind)
        ids = [pk for pk, *_, campaign_id in members if campaign_id != campaign.pk]
        Comment.objects.filter(pk__in=[*ids, comment.pk]).update(campaign=campaign)
        comment.campaign = campaign
        return campaign, created


def forget_before(moment):
    """Delete the fingerprints of comments sent before `moment`; return how many."""
    deleted, _ = Fingerprint.objects.filter(created_at__lt=moment).delete()
    return deleted
