from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One thing a staff member did, or that happened to their account, for the audit page.

    Written by staff.audit: sign-ins and their failures, lockouts, second factors, password
    changes, comment decisions, and a copy of every admin change (Django's LogEntry).
    """

    class Kind(models.TextChoices):
        SIGN_IN = "sign-in", _("Signed in (password)")
        SIGN_IN_FAILED = "sign-in-failed", _("Wrong password")
        LOCKED_OUT = "locked-out", _("Locked out")
        SIGN_OUT = "sign-out", _("Signed out")
        SECOND_FACTOR = "second-factor", _("Second factor shown")
        SECOND_FACTOR_FAILED = "second-factor-failed", _("Wrong second factor")
        FACTOR_ADDED = "factor-added", _("Factor added")
        FACTOR_REMOVED = "factor-removed", _("Factor removed")
        FACTORS_RESET = "factors-reset", _("Factors reset by a superuser")
        PASSWORD_CHANGED = "password-changed", _("Password changed")
        COMMENT_DECISION = "comment-decision", _("Comment decision")
        ADMIN_CHANGE = "admin-change", _("Admin change")

    at = models.DateTimeField(_("when"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("staff member"),
        help_text=_("The staff member, if the account exists."),
    )
    username = models.CharField(
        _("username"), max_length=150, blank=True, help_text=_("As typed or as it was.")
    )
    kind = models.CharField(_("event"), max_length=24, choices=Kind.choices, db_index=True)
    detail = models.TextField(_("detail"), blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    log_entry = models.OneToOneField(
        LogEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.username}: {self.get_kind_display()}"
