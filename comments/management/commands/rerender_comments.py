"""Render every stored comment again, after the rules in comments.formatting change."""

from django.core.management.base import BaseCommand
from django.db import transaction

from comments.formatting import render_comment
from comments.models import Comment


class Command(BaseCommand):
    help = "Re-render the stored HTML of all comments from their raw text."

    def handle(self, *args, **options):
        changed = 0
        for comment in Comment.objects.only("pk", "text", "html").iterator(chunk_size=500):
            html = render_comment(comment.text)
            if html != comment.html:
                with transaction.atomic():
                    Comment.objects.filter(pk=comment.pk).update(html=html)
                changed += 1
        self.stdout.write(f"{changed} comment(s) re-rendered.")
