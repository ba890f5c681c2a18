"""Delete the text fingerprints that are too old to make a campaign (scheduled hourly)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments import campaigns


class Command(BaseCommand):
    help = "Delete comment fingerprints older than COMMENTS_CAMPAIGN_WINDOW."

    def handle(self, *args, **options):
        moment = timezone.now() - timedelta(seconds=settings.COMMENTS_CAMPAIGN_WINDOW)
        deleted = campaigns.forget_before(moment)
        self.stdout.write(f"Deleted {deleted} fingerprint(s) older than the campaign window.")
