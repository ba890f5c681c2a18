"""Top the CAPTCHA pool up to CAPTCHA_POOL_SIZE (scheduled every minute; comments.captcha_pool)."""

from django.core.management.base import BaseCommand

from comments import captcha_pool


class Command(BaseCommand):
    help = "Draw CAPTCHA challenges ahead until the pool holds CAPTCHA_POOL_SIZE (needs Redis)."

    def handle(self, *args, **options):
        self.stdout.write(f"Drew {captcha_pool.refill()} challenge(s) into the pool.")
