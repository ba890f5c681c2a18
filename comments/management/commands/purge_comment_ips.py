"""Forget the IP addresses of older comments. Run it daily (cron or a systemd timer)."""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from comments.models import Comment


class Command(BaseCommand):
    help = "Remove IP addresses from comments older than COMMENTS_IP_RETENTION_DAYS days."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.COMMENTS_IP_RETENTION_DAYS)

    def handle(self, *args, days, **options):
        cutoff = timezone.now() - timedelta(days=days)
        purged = Comment.objects.filter(created_at__lt=cutoff, ip_address__isnull=False).update(
            ip_address=None
        )
        self.stdout.write(f"Removed the IP address of {purged} comment(s) older than {days} days.")
