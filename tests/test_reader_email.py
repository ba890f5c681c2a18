"""Commenters hear about their comments only after confirming their address (double opt-in);
every such e-mail has a signed one-click unsubscribe (RFC 8058)."""

import re

import pytest
from django.core import mail, signing
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from comments import moderation, subscriptions, tasks
from comments.models import Comment, Subscriber
from tests.builders import (
    make_comment,
    make_statement,
    make_user,
    solved_comment_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def due_now():
    """Let the tasks queued for after the undo window run now."""

    def run():
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())

    return run


def post(client, statement, **fields):
    response = client.post(
        statement.get_comment_url(), solved_comment_data(client, statement, **fields)
    )
    return response


def link_in(message, name):
    return re.search(rf"https?://\S+/comments/email/{name}/\S+/", message.body).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def confirm(client, message):
    url = path_of(link_in(message, "confirm"))
    assert "Confirm my address" in client.get(url).content.decode()  # GET changes nothing
    assert not Subscriber.objects.get().confirmed_at
    response = client.post(url)
    assert "your address is confirmed" in response.content.decode()
    return url


def test_asking_for_e_mail_needs_an_address(client, statement):
    response = post(client, statement, notify="on", email="", text="Keep me posted")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Enter your e-mail address, so that we can tell you." in content
    assert "Keep me posted" in content


def test_confirmation_first_then_the_approval_notice_with_one_click_unsubscribe(
    client, statement, run_tasks, due_now
):
    post(client, statement, notify="on", email="Ada@Example.org")
    comment = Comment.objects.get()
    assert comment.notify
    run_tasks()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["ada@example.org"]
    assert "confirm" in mail.outbox[0].subject.lower()
    confirm(client, mail.outbox[0])

    moderation.decide(Comment.objects.filter(pk=comment.pk), "approved", make_user("mod"))
    run_tasks()
    assert len(mail.outbox) == 1  # not before the undo window has passed
    due_now()
    run_tasks()
    notice = mail.outbox[1]
    assert notice.subject.endswith("Your comment is published")
    unsubscribe = link_in(notice, "stop")
    assert notice.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert notice.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # The mail program's one-click POST: no CSRF token, no cookie.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        path_of(unsubscribe), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert not Subscriber.objects.get().confirmed_at
    assert not Comment.objects.get().notify
    # Replayed: a clear 4xx, nothing changes.
    replay = client.post(path_of(unsubscribe))
    assert replay.status_code == 409
    assert "already used" in replay.content.decode()


def test_unconfirmed_address_gets_nothing_but_the_confirmation(
    client, statement, run_tasks, due_now
):
    post(client, statement, notify="on", email="ada@example.org")
    comment = Comment.objects.get()
    moderation.decide(Comment.objects.filter(pk=comment.pk), "approved", None)
    due_now()
    run_tasks()
    assert [m.subject for m in mail.outbox] == [
        "[Joint Statements] Please confirm your e-mail address"
    ]


def test_one_confirmation_a_day_per_address(client, statement, run_tasks):
    for text in ["one", "two", "three"]:
        post(client, statement, notify="on", email="victim@example.org", text=text)
    run_tasks()
    assert len(mail.outbox) == 1


def test_undone_approval_sends_nothing(client, statement, run_tasks, due_now):
    Subscriber.objects.create(email="ada@example.org", confirmed_at=timezone.now())
    comment = make_comment(statement, status="pending", email="ada@example.org", notify=True)
    moderator = make_user("mod")
    moderation.decide(Comment.objects.filter(pk=comment.pk), "approved", moderator)
    moderation.undo(moderator)
    due_now()
    run_tasks()
    assert mail.outbox == []


def test_rejection_carries_the_moderators_reason(statement, run_tasks, due_now):
    Subscriber.objects.create(email="ada@example.org", confirmed_at=timezone.now())
    comment = make_comment(
        statement,
        status="pending",
        email="ada@example.org",
        notify=True,
        reason_for_author="Please keep to the statement's subject.",
    )
    moderation.decide(Comment.objects.filter(pk=comment.pk), "rejected", None)
    due_now()
    run_tasks()
    (message,) = mail.outbox
    assert "was not published" in message.subject
    assert "The moderators' reason: Please keep to the statement's subject." in message.body
    assert "/moderation/" in message.body


def test_spam_decisions_never_e_mail_anyone(statement, run_tasks, due_now):
    Subscriber.objects.create(email="ada@example.org", confirmed_at=timezone.now())
    comment = make_comment(statement, status="pending", email="ada@example.org", notify=True)
    moderation.decide(Comment.objects.filter(pk=comment.pk), "spam", None)
    due_now()
    run_tasks()
    assert mail.outbox == []


def test_an_approved_reply_tells_the_author_of_the_comment_answered(statement, run_tasks, due_now):
    Subscriber.objects.create(email="ada@example.org", confirmed_at=timezone.now())
    parent = make_comment(statement, status="approved", email="ada@example.org", notify=True)
    answer = make_comment(statement, status="pending", parent=parent, name="Bo", text="Well said")
    moderation.decide(Comment.objects.filter(pk=answer.pk), "approved", None)
    due_now()
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["ada@example.org"]
    assert "Bo answered your comment" in message.subject
    assert "Well said" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.parametrize("which", ["confirm", "stop"])
def test_forged_or_expired_links_are_a_clear_400_and_change_nothing(client, which, settings):
    subscriber = Subscriber.objects.create(email="ada@example.org")
    for token in ["forged", signing.dumps({"e": "ada@example.org", "v": 0}, salt="other")]:
        response = client.post(f"/en/comments/email/{which}/{token}/")
        assert response.status_code == 400
        assert "This link is not valid. Nothing was changed." in response.content.decode()
    if which == "confirm":
        url = subscriptions.confirm_url(subscriber)
        settings.COMMENTS_CONFIRM_DAYS = -1
    else:
        url = subscriptions.unsubscribe_url(subscriber)
        settings.COMMENTS_UNSUBSCRIBE_DAYS = -1
    response = client.post(path_of(url))
    assert response.status_code == 400
    assert "This link has expired. Nothing was changed." in response.content.decode()
    subscriber.refresh_from_db()
    assert (subscriber.confirmed_at, subscriber.token_version) == (None, 0)


def test_confirming_twice_is_refused(client):
    subscriber = Subscriber.objects.create(email="ada@example.org")
    url = path_of(subscriptions.confirm_url(subscriber))
    client.post(url)
    assert client.post(url).status_code == 409


def test_unconfirmed_addresses_are_forgotten(settings):
    from datetime import timedelta
    from io import StringIO

    from django.core.management import call_command

    old = Subscriber.objects.create(email="old@example.org")
    Subscriber.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    Subscriber.objects.create(email="new@example.org")
    confirmed = Subscriber.objects.create(email="yes@example.org", confirmed_at=timezone.now())
    Subscriber.objects.filter(pk=confirmed.pk).update(
        created_at=timezone.now() - timedelta(days=80)
    )
    call_command("clean_unconfirmed_addresses", stdout=StringIO())
    assert set(Subscriber.objects.values_list("email", flat=True)) == {
        "new@example.org",
        "yes@example.org",
    }


@pytest.mark.parametrize("worker_language", ["fa", "en"])
def test_reader_e_mails_are_in_the_statements_language_whatever_the_worker_speaks(
    client, run_tasks, due_now, worker_language
):
    """The worker has no reader's request: the statement's language decides, the one its
    commenter read and wrote in (the site's default would greet English readers in Persian)."""
    english = make_statement(title="On e-mail", language="en")
    persian = make_statement(title="دربارهٔ ایمیل", slug="email-fa", language="fa")
    for statement, email in [(english, "ada@example.org"), (persian, "bahar@example.org")]:
        Subscriber.objects.create(email=email, confirmed_at=timezone.now())
        comment = make_comment(statement, status="pending", email=email, notify=True)
        moderation.decide(Comment.objects.filter(pk=comment.pk), "approved", None)
    new = make_comment(english, status="pending", email="new@example.org", notify=True)
    tasks.after_receive.enqueue(new.pk)  # where the confirmation is written
    due_now()
    with translation.override(worker_language):
        run_tasks()
    messages = {message.to[0]: message for message in mail.outbox}
    assert messages["ada@example.org"].subject.endswith("Your comment is published")
    assert "Stop these e-mails" in messages["ada@example.org"].body
    assert messages["new@example.org"].subject.endswith("Please confirm your e-mail address")
    assert "/en/" in link_in(messages["new@example.org"], "confirm")
    assert "دیدگاه" in messages["bahar@example.org"].subject
    assert "/fa/" in link_in(messages["bahar@example.org"], "stop")
