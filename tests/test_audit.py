"""The audit page: what staff did, and what happened to their accounts, in one list that only
superusers read and nobody edits."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from staff.models import AuditEvent
from tests.builders import make_comment, make_user, statement_form_data

pytestmark = pytest.mark.django_db

AUDIT = reverse("admin:staff_auditevent_changelist")


@pytest.fixture
def boss(client):
    user = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def test_every_kind_of_staff_event_is_on_one_page(client, boss, statement, settings):
    # Sign-ins, a wrong password and a lockout, through the login form.
    for _ in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("admin:login"), {"username": "mallory", "password": "x"})
    Client().post(reverse("admin:login"), {"username": "mo", "password": "x"})
    mo = make_user("mo", is_staff=True, groups=["Moderators"])
    moderator = Client()
    moderator.force_login(mo)
    # A comment decision in the queue, and an edit of a statement.
    comment = make_comment(statement, status="pending", text="To be approved.")
    moderator.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk]},
    )
    client.post(
        reverse("admin:statements_statement_change", args=[statement.pk]),
        {**statement_form_data(statement, title="A corrected title"), "_publish": "1"},
    )
    # A superuser's reset of the moderator's factors.
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [mo.pk]},
    )
    assert Comment.objects.get().status == Comment.Status.APPROVED

    content = client.get(AUDIT).content.decode()
    kinds = set(AuditEvent.objects.values_list("kind", flat=True))
    assert kinds >= {
        "sign-in",
        "sign-in-failed",
        "locked-out",
        "comment-decision",
        "admin-change",
        "factors-reset",
    }
    for shown in (
        "Wrong password",
        "Locked out",
        "Comment decision",
        "Marked approved.",
        "A corrected title",
        "Factors reset by a superuser",
        "mallory",
    ):
        assert shown in content, shown


def test_the_audit_page_is_filtered_by_person_and_date(client, boss):
    ed, ann = make_user("ed", is_staff=True), make_user("ann", is_staff=True)
    old = timezone.now() - timedelta(days=400)
    AuditEvent.objects.create(at=old, user=ed, username="ed", kind="sign-in", detail="long ago")
    AuditEvent.objects.create(
        at=timezone.now(), user=ed, username="ed", kind="sign-in", detail="ed today"
    )
    AuditEvent.objects.create(
        at=timezone.now(), user=ann, username="ann", kind="sign-in", detail="ann today"
    )
    by_ed = client.get(AUDIT, {"user__id__exact": ed.pk}).content.decode()
    assert "ed today" in by_ed and "long ago" in by_ed and "ann today" not in by_ed
    this_year = client.get(AUDIT, {"at__year": timezone.now().year}).content.decode()
    assert "ed today" in this_year and "ann today" in this_year
    assert ("long ago" in this_year) == (old.year == timezone.now().year)
    page = client.get(AUDIT).content.decode()
    assert 'href="?user__id__exact=' in page  # the person filter is offered


def test_only_superusers_read_the_audit_page_and_nobody_edits_it(client, boss):
    event = AuditEvent.objects.create(at=timezone.now(), username="x", kind="sign-in")
    change = reverse("admin:staff_auditevent_change", args=[event.pk])
    assert client.get(change).status_code == 200
    assert client.post(change, {"detail": "rewritten"}).status_code == 403
    assert client.get(reverse("admin:staff_auditevent_add")).status_code == 403
    assert client.post(reverse("admin:staff_auditevent_delete", args=[event.pk])).status_code == 403
    staff = make_user("ed", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="staff"))
    other = Client()
    other.force_login(staff)
    assert other.get(AUDIT).status_code == 403
    assert "Audit" not in other.get(reverse("admin:index")).content.decode()


def test_decisions_from_the_keyboard_queue_and_their_undo_are_on_the_audit_page(
    client, boss, statement
):
    moderator = Client()
    moderator.force_login(make_user("mo", is_staff=True, groups=["Moderators"]))
    comment = make_comment(statement, status="pending", text="Decided by key.")
    decided = moderator.post(
        reverse("admin:comments_comment_decide", args=[comment.pk]), {"status": "spam"}
    )
    assert decided.status_code == 200
    moderator.post(reverse("admin:comments_comment_undo"), HTTP_ACCEPT="application/json")
    content = client.get(AUDIT, {"kind__exact": "comment-decision"}).content.decode()
    assert "Marked spam." in content
    assert "Decision undone." in content
