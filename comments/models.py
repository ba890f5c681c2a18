from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.safestring import mark_safe

from comments.formatting import render_comment
from statements.models import Statement


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of "shown under a statement"."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        """The moderation queue."""
        return self.filter(status=Comment.Status.PENDING)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    class Reason(models.TextChoices):
        """Why a comment may be spam; computed on submission, shown to moderators."""

        LINKS = "links", "Many links"
        WORDS = "words", "Blocked words"
        TOO_FAST = "too-fast", "Sent faster than a person types"
        DUPLICATE = "duplicate", "Same text posted before"
        KNOWN_SPAMMER = "known-spammer", "IP or e-mail rejected before"

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="comments")
    name = models.CharField(max_length=80)
    email = models.EmailField(blank=True, help_text="Never shown publicly.")
    homepage = models.URLField(blank=True)
    text = models.TextField(help_text="What the reader wrote, as plain text.")
    html = models.TextField(
        editable=False, help_text="The text rendered by comments.formatting, stored on save."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # A JSON object whose keys are Comment.Reason codes (a set: every value is true), so that
    # the queue filters by whole code (`has_key`, on SQLite and PostgreSQL alike), never by a
    # substring that could match part of another code.
    spam_reasons = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Why the comment may be spam: Comment.Reason codes as keys.",
    )
    returning_author = models.BooleanField(
        default=False, editable=False, help_text="Same name and e-mail as an approved comment."
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["statement", "status", "created_at"])]
        permissions = [("post_without_moderation", "Can post comments without moderation")]

    def __str__(self):
        return f"{self.name} on {self.statement}"

    def save(self, *args, **kwargs):
        self.html = render_comment(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.statement.get_absolute_url()}#comment-{self.pk}"

    @property
    def rendered(self):
        """The stored HTML, marked safe: the one place where reader content becomes markup.

        `html` is only ever written by `save()` from `render_comment`, which escapes first.
        """
        return mark_safe(self.html)  # noqa: S308

    @property
    def created_label(self):
        """The creation time as "November 11, 2020 at 14:05", in the site's time zone.

        Plain strftime: a page formats 50 of these, and Django's date filter costs more.
        """
        local = timezone.localtime(self.created_at)
        return f"{local:%B} {local.day}, {local.year} at {local:%H:%M}"

    @property
    def reasons(self):
        """The spam signals, in Comment.Reason's order; codes no longer known are left out."""
        return [reason for reason in Comment.Reason if reason.value in self.spam_reasons]

    @reasons.setter
    def reasons(self, reasons):
        self.spam_reasons = {Comment.Reason(reason).value: True for reason in reasons}
