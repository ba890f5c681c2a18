"""The keyboard queue decides one row without a page load, and the last decision can be undone
for COMMENTS_UNDO_SECONDS."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import campaigns
from comments.models import Comment, Decision
from tests.builders import make_comment, make_user

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")
UNDO = reverse("admin:comments_comment_undo")
JSON = {"HTTP_ACCEPT": "application/json"}


def decide(client, comment, status, **extra):
    url = reverse("admin:comments_comment_decide", args=[comment.pk])
    return client.post(url, {"status": status, **extra}, **JSON)


def test_queue_page_loads_the_static_keyboard_script_and_says_the_keys(client, moderator):
    content = client.get(QUEUE).content.decode()
    assert "/static/js/moderation-queue.js" in content
    assert "<kbd>U</kbd> undo your last decision (for 30 seconds)" in content
    assert "<script>" not in content.replace('<script src="', "")  # no inline script


def test_one_key_decides_one_comment_and_says_so(client, moderator, statement):
    comment = make_comment(statement, status="pending")
    response = decide(client, comment, "approved")
    assert response.status_code == 200
    assert response.json()["message"] == "1 comment approved. Press U to undo."
    comment.refresh_from_db()
    assert (comment.status, comment.decided_by) == ("approved", moderator)
    statement.refresh_from_db()
    assert statement.comment_count == 1


def test_undo_restores_the_last_decision_within_the_window(client, moderator, statement):
    comment = make_comment(statement, status="pending")
    decide(client, comment, "spam")
    response = client.post(UNDO, **JSON)
    assert response.json()["restored"] == [comment.pk]
    comment.refresh_from_db()
    assert (comment.status, comment.decided_by, comment.decided_at) == ("pending", None, None)
    # Undone once: a second U has nothing left.
    assert client.post(UNDO, **JSON).json()["restored"] == []


def test_undo_after_the_window_changes_nothing(client, moderator, statement):
    comment = make_comment(statement, status="pending")
    decide(client, comment, "spam")
    Decision.objects.update(decided_at=timezone.now() - timedelta(seconds=31))
    response = client.post(UNDO, **JSON)
    assert response.json()["restored"] == []
    assert "Nothing to undo" in response.json()["message"]
    comment.refresh_from_db()
    assert comment.status == "spam"


def test_undo_leaves_a_comment_someone_decided_since(client, moderator, statement):
    comment = make_comment(statement, status="pending")
    decide(client, comment, "approved")
    other = make_user("other", groups=["Moderators"], is_staff=True)
    from comments import moderation

    moderation.decide(Comment.objects.filter(pk=comment.pk), "rejected", other)
    assert client.post(UNDO, **JSON).json()["restored"] == []
    comment.refresh_from_db()
    assert comment.status == "rejected"


def test_undo_only_touches_my_own_decisions(client, moderator, statement):
    comment = make_comment(statement, status="pending")
    from comments import moderation

    moderation.decide(Comment.objects.filter(pk=comment.pk), "spam", make_user("other"))
    assert client.post(UNDO, **JSON).json()["restored"] == []


def test_undo_button_works_without_javascript(client, moderator, statement):
    comment = make_comment(statement, status="pending")
    client.post(QUEUE, {"action": "approve", "_selected_action": [comment.pk]})
    response = client.post(UNDO, follow=True)
    assert "Undone: 1 comment is back as it was." in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_key_on_a_campaign_row_decides_the_whole_campaign_and_undo_restores_it(
    client, moderator, statement
):
    members = []
    for i in range(4):
        comment = make_comment(
            statement, status="pending", text="Free them all!", ip_address=f"192.0.2.{i}"
        )
        campaigns.record(comment)
        members.append(comment)
    response = decide(client, members[0], "spam", whole_campaign="1")
    assert response.json()["changed"] == 4
    assert client.post(UNDO, **JSON).json()["restored"] == sorted(c.pk for c in members)
    assert Comment.objects.pending().count() == 4


@pytest.mark.parametrize(
    ("method", "data", "status"),
    [("get", {}, 405), ("post", {"status": "nonsense"}, 400)],
)
def test_bad_requests_get_a_clear_error(client, moderator, statement, method, data, status):
    comment = make_comment(statement, status="pending")
    url = reverse("admin:comments_comment_decide", args=[comment.pk])
    response = getattr(client, method)(url, data)
    assert response.status_code == status
    assert response.json()["error"]


def test_missing_comment_is_a_404(client, moderator):
    url = reverse("admin:comments_comment_decide", args=[999999])
    assert client.post(url, {"status": "approved"}).status_code == 404


def test_staff_without_moderation_rights_may_not_decide(client, statement):
    client.force_login(make_user("editor", groups=["Editors"], is_staff=True))
    comment = make_comment(statement, status="pending")
    assert decide(client, comment, "approved").status_code == 403
    comment.refresh_from_db()
    assert comment.status == "pending"
