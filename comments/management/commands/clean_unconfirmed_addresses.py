"""Forget e-mail addresses that never confirmed they want our messages (scheduled hourly)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Subscriber


class Command(BaseCommand):
    help = "Delete subscriber addresses not confirmed within COMMENTS_CONFIRM_DAYS days."

    def handle(self, *args, **options):
        cutoff = timezone.now() - timedelta(days=settings.COMMENTS_CONFIRM_DAYS)
        deleted, _ = (
            Subscriber.objects.filter(confirmed_at=None, created_at__lt=cutoff)
            .exclude(confirmation_sent_at__gte=cutoff)
            .delete()
        )
        self.stdout.write(f"Forgot {deleted} address(es) never confirmed.")
