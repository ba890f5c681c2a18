"""Moderators' allow and deny rules, and authors trusted after N approved comments."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Rule
from tests.builders import (
    make_comment,
    solved_comment_data,
)

pytestmark = pytest.mark.django_db

RULES = reverse("admin:comments_rule_changelist")


def rule(kind, pattern, action="deny", **fields):
    fields.setdefault("reason", "test rule")
    return Rule.objects.create(kind=kind, pattern=pattern, action=action, **fields)


def submit(client, statement, **fields):
    response = client.post(
        statement.get_comment_url(), solved_comment_data(client, statement, **fields)
    )
    assert response.status_code == 302
    return Comment.objects.latest("pk")


@pytest.mark.parametrize(
    ("kind", "pattern", "fields"),
    [
        ("email", "troll@example.org", {"email": "Troll@Example.org"}),
        ("email", "@spam.example", {"email": "anyone@mail.spam.example"}),
        ("name", "Mr Troll", {"name": "mr  TROLL"}),
        ("address", "127.0.0.0/8", {}),
        ("address", "127.0.0.1", {}),
        ("domain", "casino.example", {"text": "Win at https://www.casino.example/now"}),
        ("domain", "casino.example", {"homepage": "https://win.casino.example/"}),
        ("phrase", "buy followers", {"text": "You should BUY   followers today."}),
        ("phrase", "كتاب", {"text": "این کتاب را بخوانید"}),
    ],
)
def test_deny_rule_sends_a_matching_comment_to_spam_with_the_rule(
    client, statement, kind, pattern, fields
):
    denied = rule(kind, pattern)
    comment = submit(client, statement, **fields)
    assert comment.status == Comment.Status.SPAM
    assert list(comment.rules.all()) == [denied]


@pytest.mark.parametrize(
    ("kind", "pattern", "fields"),
    [
        ("email", "troll@example.org", {"email": "troll@example.org.evil"}),
        ("address", "10.0.0.0/8", {}),
        ("domain", "casino.example", {"text": "See https://notcasino.example/"}),
        ("phrase", "spam", {"text": "A comment about spammers."}),
    ],
)
def test_rule_that_does_not_match_changes_nothing(client, statement, kind, pattern, fields):
    rule(kind, pattern)
    comment = submit(client, statement, **fields)
    assert comment.status == Comment.Status.PENDING
    assert not comment.rules.exists()


def test_allow_rule_publishes_at_once(client, statement):
    allowed = rule("email", "friend@example.org", action="allow")
    comment = submit(client, statement, email="friend@example.org")
    assert comment.status == Comment.Status.APPROVED
    assert list(comment.rules.all()) == [allowed]
    statement.refresh_from_db()
    assert statement.comment_count == 1


def test_deny_wins_over_allow(client, statement):
    rule("email", "friend@example.org", action="allow")
    denied = rule("phrase", "casino")
    comment = submit(client, statement, email="friend@example.org", text="casino night")
    assert comment.status == Comment.Status.SPAM
    assert denied in comment.rules.all()


def test_expired_rule_no_longer_applies(client, statement):
    rule("phrase", "casino", expires_at=timezone.now() - timedelta(minutes=1))
    assert submit(client, statement, text="casino night").status == Comment.Status.PENDING


def test_rules_are_kept_between_comments_yet_every_change_counts_at_once(
    client, statement, monkeypatch, settings
):
    from comments import rules

    settings.COMMENTS_FLOOD_LIMIT = 100
    assert submit(client, statement, text="casino night").status == "pending"  # none kept
    denied = rule("phrase", "casino", expires_at=timezone.now() + timedelta(hours=1))
    assert submit(client, statement, text="casino night").status == Comment.Status.SPAM
    denied.pattern = "roulette"
    denied.save()
    assert submit(client, statement, text="casino night").status == "pending"
    assert submit(client, statement, text="roulette night").status == Comment.Status.SPAM
    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(rules.timezone, "now", lambda: later)  # the rule has expired
    assert submit(client, statement, text="roulette night").status == "pending"
    monkeypatch.undo()
    Rule.objects.filter(pk=denied.pk).delete()
    assert submit(client, statement, text="roulette night").status == "pending"


def test_author_with_enough_approved_comments_is_published_at_once(client, statement, settings):
    settings.COMMENTS_TRUSTED_AFTER = 2
    make_comment(statement, name="Ada Reader", email="ada@example.org")
    first = submit(client, statement, email="ada@example.org", text="one")
    assert first.status == Comment.Status.PENDING
    make_comment(statement, name="Ada Reader", email="ada@example.org")
    assert submit(client, statement, email="ada@example.org").status == Comment.Status.APPROVED
    settings.COMMENTS_TRUSTED_AFTER = 0
    assert submit(client, statement, email="ada@example.org", text="three").status == "pending"


def add_rule(client, **fields):
    data = {"kind": "address", "action": "deny", "pattern": "", "reason": "abuse"}
    data.update(fields)
    return client.post(reverse("admin:comments_rule_add"), data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pattern": "   "}, "Enter a pattern: it may not be empty."),
        ({"pattern": "203.0.113.0/33"}, "is not an IP address or a CIDR range"),
        ({"pattern": "not-an-ip"}, "is not an IP address or a CIDR range"),
        ({"kind": "email", "pattern": "no-at-sign"}, "Enter an e-mail address, or @example.org"),
        ({"kind": "domain", "pattern": "example.org/path"}, "Enter a domain name"),
    ],
)
def test_invalid_rule_is_refused_in_the_admin_with_a_message(client, moderator, fields, message):
    response = add_rule(client, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Rule.objects.exists()


def test_rule_records_who_made_it_and_normalises_the_range(client, moderator):
    response = add_rule(client, pattern="203.0.113.77/24")
    assert response.status_code == 302
    saved = Rule.objects.get()
    assert saved.pattern == "203.0.113.0/24"
    assert saved.created_by == moderator
    assert "203.0.113.0/24" in client.get(RULES).content.decode()


def test_queue_shows_the_rules_that_matched(client, statement, moderator):
    comment = make_comment(statement, status="spam", text="casino night")
    comment.rules.add(rule("phrase", "casino", reason="gambling spam"))
    content = client.get(reverse("admin:comments_comment_changelist"), {"status": "spam"})
    assert "gambling spam" in content.content.decode()
