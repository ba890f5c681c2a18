"""Delete old reports that a moderator has dealt with (scheduled daily)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import F
from django.utils import timezone

from comments.models import Report


class Command(BaseCommand):
    help = (
        "Delete reports older than COMMENTS_REPORT_DAYS days made before the last decision "
        "on their comment; forget the address of every report older than that."
    )

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.COMMENTS_REPORT_DAYS)
        old = Report.objects.filter(created_at__lt=cutoff)
        deleted, _ = old.filter(comment__decided_at__gt=F("created_at")).delete()
        forgotten = old.filter(ip_address__isnull=False).update(ip_address=None)
        self.stdout.write(
            f"Deleted {deleted} dealt-with report(s) older than "
            f"{settings.COMMENTS_REPORT_DAYS} days; forgot the address of {forgotten} more."
        )
