"""Moderators work through the queue; their decisions are recorded and shown."""

import logging
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment
from tests.builders import (
    make_comment,
    make_user,
    solved_comment_data,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


@pytest.fixture(autouse=True)
def _english_moderators(settings):
    """The moderators' e-mails are in the site's default language: English in these tests
    (the Persian one is tested in test_translations.py)."""
    settings.SITE_DEFAULT_LANGUAGE = "en"


def bulk(client, action, comments, status="all"):
    """Apply a bulk action from the queue, filtered to `status` (the queue opens on pending)."""
    return client.post(
        f"{QUEUE}?status={status}",
        {"action": action, "_selected_action": [c.pk for c in comments]},
        follow=True,
    )


def test_queue_lists_pending_comments_oldest_first_with_count(client, moderator, statement):
    make_comment(statement, status="pending", text="First pending.", ip_address="192.0.2.7")
    make_comment(statement, status="pending", text="Second pending.")
    make_comment(statement, status="approved", text="Already approved.")
    content = client.get(QUEUE).content.decode()
    assert "Comments — 2 pending" in content
    assert content.index("First pending.") < content.index("Second pending.")
    assert "Already approved." not in content
    assert "192.0.2.7" in content


def test_admin_index_shows_the_pending_count(client, moderator, statement):
    make_comment(statement, status="pending")
    assert "1 comment awaiting moderation" in client.get(reverse("admin:index")).content.decode()


def test_bulk_approve_records_who_and_when_and_updates_the_count(client, moderator, statement):
    comments = [make_comment(statement, status="pending") for _ in range(2)]
    bulk(client, "approve", comments)
    for comment in comments:
        comment.refresh_from_db()
        assert comment.status == Comment.Status.APPROVED
        assert comment.decided_by == moderator
        assert timezone.now() - comment.decided_at < timezone.timedelta(minutes=1)
    statement.refresh_from_db()
    assert statement.comment_count == 2


@pytest.mark.parametrize(("action", "status"), [("reject", "rejected"), ("mark_spam", "spam")])
def test_bulk_reject_and_spam_hide_a_comment(client, moderator, statement, action, status):
    comment = make_comment(statement, status="approved", text="Soon hidden.")
    moderation.refresh_comment_counts([statement.pk])
    bulk(client, action, [comment])
    comment.refresh_from_db()
    assert comment.status == status
    assert "Soon hidden." not in client.get(statement.get_absolute_url()).content.decode()
    statement.refresh_from_db()
    assert statement.comment_count == 0


def test_bulk_delete_removes_comments(client, moderator, statement):
    comment = make_comment(statement, status="pending")
    client.post(
        QUEUE, {"action": "delete_selected", "_selected_action": [comment.pk], "post": "yes"}
    )
    assert not Comment.objects.filter(pk=comment.pk).exists()


def test_deciding_twice_records_one_decision(statement):
    first, second = make_user("a"), make_user("b")
    comment = make_comment(statement, status="pending")
    queryset = Comment.objects.filter(pk=comment.pk)
    assert moderation.decide(queryset, Comment.Status.APPROVED, first) == 1
    assert moderation.decide(queryset, Comment.Status.APPROVED, second) == 0
    comment.refresh_from_db()
    assert comment.decided_by == first


def test_moderator_cannot_edit_statements(client, moderator, statement):
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    assert client.get(url).status_code == 403
    assert client.get(reverse("admin:statements_statement_changelist")).status_code == 403


def test_editor_cannot_moderate_comments(client, editor, statement):
    assert client.get(QUEUE).status_code == 403


def test_anonymous_reader_cannot_reach_the_queue(client):
    response = client.get(QUEUE)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_moderators_group_may_moderate_comments_and_nothing_else():
    from django.contrib.auth.models import Group

    codenames = set(
        Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True)
    )
    assert codenames == {
        "view_comment",
        "change_comment",
        "delete_comment",
        "post_without_moderation",
        "view_rule",
        "add_rule",
        "change_rule",
        "delete_rule",
        "view_report",
        "delete_report",
    }


def submit(client, statement, **fields):
    return client.post(
        statement.get_comment_url(), solved_comment_data(client, statement, **fields)
    )


def test_new_pending_comment_emails_the_moderators(client, statement, run_tasks):
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    submit(client, statement, name="Eve\r\nBcc: victim@example.org", text="<b>hello</b>")
    assert mail.outbox == []  # queued, not sent inside the request
    run_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["mod@example.org"]
    assert "victim" not in message.subject and not message.bcc
    assert message.content_subtype == "plain"
    assert "<b>hello</b>" in message.body


def test_notification_can_be_turned_off(client, statement, settings, run_tasks):
    settings.COMMENTS_NOTIFY_MODERATORS = False
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    submit(client, statement)
    run_tasks()
    assert mail.outbox == []


def test_broken_mail_server_keeps_the_comment_and_logs(
    client, statement, settings, caplog, run_tasks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    response = submit(client, statement)
    assert response.status_code == 302
    assert Comment.objects.count() == 1
    with caplog.at_level(logging.WARNING, logger="comments.tasks"):
        run_tasks()
    assert "Could not e-mail ['mod@example.org'] (attempt 1)" in caplog.text


def reasons_of_new_comment(client, statement, **fields):
    submit(client, statement, **fields)
    return Comment.objects.latest("pk")


def test_many_links_are_a_spam_signal(client, statement):
    text = " ".join(f"https://spam{i}.example.com/" for i in range(4))
    assert Comment.Reason.LINKS in reasons_of_new_comment(client, statement, text=text).reasons


def test_blocked_words_are_a_spam_signal(client, statement, settings):
    settings.COMMENTS_SPAM_WORDS = ["casino"]
    comment = reasons_of_new_comment(client, statement, text="Visit the CASINO now")
    assert comment.reasons == [Comment.Reason.WORDS]


def test_machine_speed_is_a_spam_signal(client, statement):
    comment = reasons_of_new_comment(client, statement, started="")
    assert Comment.Reason.TOO_FAST in comment.reasons


def test_repeated_text_is_a_spam_signal(client, statement):
    make_comment(statement, text="Same old text.")
    assert (
        Comment.Reason.DUPLICATE
        in reasons_of_new_comment(client, statement, text="Same old text.").reasons
    )


def test_earlier_rejected_ip_or_email_is_a_spam_signal(client, statement):
    make_comment(statement, status="spam", email="bad@example.org")
    comment = reasons_of_new_comment(client, statement, email="BAD@example.org")
    assert Comment.Reason.KNOWN_SPAMMER in comment.reasons
    make_comment(statement, status="rejected", ip_address="127.0.0.1")
    comment = reasons_of_new_comment(client, statement, text="Another one")
    assert Comment.Reason.KNOWN_SPAMMER in comment.reasons


def test_clean_comment_has_no_spam_signal(client, statement):
    assert reasons_of_new_comment(client, statement).reasons == []


def test_returning_author_is_recognised(client, statement):
    make_comment(statement, status="approved", name="Ada Reader", email="ada@example.org")
    assert reasons_of_new_comment(client, statement, email="Ada@Example.org").returning_author
    assert not reasons_of_new_comment(
        client, statement, email="other@example.org", text="x y z"
    ).returning_author


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's plans (its hash index); CI runs it"
)
def test_what_a_new_comment_asks_of_the_others_is_answered_from_indexes(statement):
    """Every comment sent asks whether its text, address or e-mail address were seen before:
    with a full table scan, each submission would cost more with every comment ever stored."""
    make_comment(statement, status="spam", email="bad@example.org", ip_address="127.0.0.9")
    comment = Comment(
        statement=statement, name="Ada", email="Ada@example.org", ip_address="127.0.0.1",
        text="Same old text.",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        moderation.assess(comment, seconds_taken=60)
    (asked,) = [q["sql"] for q in queries.captured_queries]
    with connection.cursor() as cursor:
        # A few rows are read fastest whole; forbidding that shows whether an index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {asked}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Seq Scan" not in plan, plan


def test_queue_can_be_filtered_by_spam_signal(client, moderator, statement):
    make_comment(statement, status="pending", text="flagged", spam_reasons={"words": True})
    make_comment(statement, status="pending", text="clean one")
    content = client.get(QUEUE, {"reason": "words"}).content.decode()
    assert "flagged" in content and "clean one" not in content
    content = client.get(QUEUE, {"reason": "none"}).content.decode()
    assert "clean one" in content and "flagged" not in content


def test_spam_signal_filter_matches_whole_codes_only(client, moderator, statement):
    make_comment(statement, status="pending", text="Other code", spam_reasons={"bad-words": True})
    make_comment(statement, status="pending", text="Link farm", spam_reasons={"links": True})
    content = client.get(QUEUE, {"reason": "words"}).content.decode()
    assert "Other code" not in content and "Link farm" not in content


def test_purge_comment_ips_forgets_old_addresses(statement):
    old = make_comment(statement, ip_address="192.0.2.1")
    Comment.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timezone.timedelta(days=40)
    )
    recent = make_comment(statement, ip_address="192.0.2.2")
    call_command("purge_comment_ips", "--days", "30", stdout=StringIO())
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.ip_address is None
    assert recent.ip_address == "192.0.2.2"


def test_rerender_comments_rewrites_stale_html(statement):
    comment = make_comment(statement, text="See https://example.org/")
    Comment.objects.filter(pk=comment.pk).update(html="<p>stale</p>")
    call_command("rerender_comments", stdout=StringIO())
    comment.refresh_from_db()
    assert comment.html != "<p>stale</p>"
    assert "https://example.org/" in comment.html


def test_line_breaks_in_a_name_cannot_forge_lines_of_the_moderators_email(
    client, statement, run_tasks
):
    """The review's reproduction: a name that prints fake "E-mail" and "Spam signals" lines."""
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    forged = "Bob\nE-mail: boss@example.org\u2028Spam signals: none\r\n"
    submit(client, statement, name=forged, email="bob@example.net")
    run_tasks()
    body = mail.outbox[0].body
    lines = body.splitlines()
    assert sum(line.startswith("E-mail:") for line in lines) == 1
    assert sum(line.startswith("Spam signals:") for line in lines) == 1
    assert "Name: Bob E-mail: boss@example.org Spam signals: none\n" in body
    assert Comment.objects.get().name == "Bob E-mail: boss@example.org Spam signals: none"


def test_a_name_cannot_imitate_the_returning_author_mark(client, moderator, statement):
    make_comment(statement, name="Admin (returning)", status="pending", text="An impostor.")
    real = make_comment(statement, name="Ada", status="pending", text="A returning reader.")
    Comment.objects.filter(pk=real.pk).update(returning_author=True)
    content = client.get(QUEUE).content.decode()
    assert content.count("<strong>returning author</strong>") == 1
    assert content.index("A returning reader.") > content.index("<strong>returning author</strong>")
    assert content.index("<strong>returning author</strong>") > content.index("An impostor.")
    assert '<bdi class="comment-author">Admin (returning)</bdi></td>' in content


@pytest.mark.parametrize(
    ("language", "message"),
    [("en", "3 comments approved."), ("fa", "۳ دیدگاه پذیرفته شد.")],
)
def test_a_bulk_decision_is_one_whole_sentence_in_the_moderators_language(
    admin_client, statement, language, message
):
    comments = [make_comment(statement, status="pending") for _ in range(3)]
    data = {"action": "approve", "_selected_action": [c.pk for c in comments]}
    response = admin_client.post(QUEUE, data, follow=True, headers={"accept-language": language})
    assert message in response.content.decode()
