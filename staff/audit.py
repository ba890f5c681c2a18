"""The audit trail: one call to record each staff event, and the copy of the admin's own log.

Sign-ins, failures and lockouts arrive through the signals of django.contrib.auth and
django-axes (connected in staff.apps); everything else calls `record()` where it happens.
"""

import logging

from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.client import client_ip
from staff.models import AuditEvent

logger = logging.getLogger(__name__)
Kind = AuditEvent.Kind


def record(request, kind, user=None, detail="", username=""):
    """Store one event. `request` gives the address; `user` may be None (unknown username)."""
    if user is not None and not user.is_authenticated:
        user = None
    AuditEvent.objects.create(
        at=timezone.now(),
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        kind=kind,
        detail=detail,
        ip_address=client_ip(request) if request is not None else None,
    )


def copy_admin_log():
    """Copy the admin's LogEntry rows not yet copied (the audit page calls this first).

    The admin writes LogEntry rows in bulk for some actions (no signal is sent), so the audit
    page reads them on demand instead of listening for them. Returns how many were copied.
    """
    last = (
        AuditEvent.objects.filter(log_entry__isnull=False)
        .order_by("-log_entry_id")
        .values_list("log_entry_id", flat=True)
        .first()
    ) or 0
    entries = LogEntry.objects.filter(pk__gt=last).select_related("user", "content_type")
    events = [
        AuditEvent(
            at=entry.action_time,
            user=entry.user,
            username=entry.user.get_username(),
            kind=_kind(entry),
            detail=_describe(entry),
            log_entry=entry,
        )
        for entry in entries.order_by("pk")[:10000]
    ]
    AuditEvent.objects.bulk_create(events, ignore_conflicts=True)
    return len(events)


def _kind(entry):
    """A change to a comment is a moderator's decision (the comments admin logs each one)."""
    if entry.content_type and (entry.content_type.app_label, entry.content_type.model) == (
        "comments",
        "comment",
    ):
        return Kind.COMMENT_DECISION
    return Kind.ADMIN_CHANGE


def _describe(entry):
    action = {1: "Added", 2: "Changed", 3: "Deleted"}.get(entry.action_flag, "Changed")
    what = entry.content_type.name if entry.content_type else "object"
    message = entry.get_change_message()
    return f"{action} {what} “{entry.object_repr}”" + (f": {message}" if message else "")


# Receivers of django.contrib.auth's and django-axes' signals (connected in StaffConfig.ready).


def on_sign_in(sender, request, user, **kwargs):
    record(request, Kind.SIGN_IN, user)


def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        record(request, Kind.SIGN_OUT, user)


def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))
    user = get_user_model().objects.filter(username=username).first()
    record(request, Kind.SIGN_IN_FAILED, user, username=username)


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username or "").first()
    record(request, Kind.LOCKED_OUT, user, username=username or "")
