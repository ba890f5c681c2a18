from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import models


class AuditEvent(models.Model):
    """One thing a staff member did, or that happened to their account, for the audit page.

    Written by staff.audit: sign-ins and their failures, lockouts, second factors, password
    changes, comment decisions, and a copy of every admin change (Django's LogEntry).
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign-in", "Signed in (password)"
        SIGN_IN_FAILED = "sign-in-failed", "Wrong password"
        LOCKED_OUT = "locked-out", "Locked out"
        SIGN_OUT = "sign-out", "Signed out"
        SECOND_FACTOR = "second-factor", "Second factor shown"
        SECOND_FACTOR_FAILED = "second-factor-failed", "Wrong second factor"
        FACTOR_ADDED = "factor-added", "Factor added"
        FACTOR_REMOVED = "factor-removed", "Factor removed"
        FACTORS_RESET = "factors-reset", "Factors reset by a superuser"
        PASSWORD_CHANGED = "password-changed", "Password changed"
        COMMENT_DECISION = "comment-decision", "Comment decision"
        ADMIN_CHANGE = "admin-change", "Admin change"

    at = models.DateTimeField(db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The staff member, if the account exists.",
    )
    username = models.CharField(max_length=150, blank=True, help_text="As typed or as it was.")
    kind = models.CharField(max_length=24, choices=Kind.choices, db_index=True)
    detail = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    log_entry = models.OneToOneField(
        LogEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.get_kind_display()}"
