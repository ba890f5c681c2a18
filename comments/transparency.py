"""The figures of the public transparency page: comments received and decided, month by month."""

from datetime import timedelta

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import get_language

from comments.models import Comment
from statements.formats import format_number

MONTHS = 12
_CACHE_SECONDS = 600


class LocalNumber(int):
    """A number that counts as itself (plural forms) but prints in the page's language's
    digits: the rules' figures inside translated sentences keep one msgid per sentence."""

    def __str__(self):
        return format_number(int(self), get_language())


def monthly_counts(months=MONTHS):
    """`[{"month": date, "received", "published", "rejected", "spam", "pending"}, ...]`, newest
    first, for the last `months` months that had comments. Cached for ten minutes."""
    key = f"comments:transparency:{months}"
    rows = cache.get(key)
    if rows is None:
        rows = _count(months)
        cache.set(key, rows, _CACHE_SECONDS)
    return rows


def _count(months):
    start = (timezone.now() - timedelta(days=31 * (months - 1))).replace(
        day=1, hour=0, minute=0, second=0, microsecond=0
    )
    counts = (
        Comment.objects.filter(created_at__gte=start)
        .annotate(month=TruncMonth("created_at"))
        .values("month", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_month = {}
    for row in counts:
        month = by_month.setdefault(
            row["month"].date(),
            {"received": 0, "approved": 0, "rejected": 0, "spam": 0, "pending": 0},
        )
        month["received"] += row["n"]
        month[row["status"]] += row["n"]
    return [
        {
            "month": month,
            "received": n["received"],
            "published": n["approved"],
            "rejected": n["rejected"],
            "spam": n["spam"],
            "pending": n["pending"],
        }
        for month, n in sorted(by_month.items(), reverse=True)
    ]
