"""The same message from many addresses is grouped into one campaign and decided at once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from comments import campaigns, similarity
from comments.models import Campaign, Comment
from tests.builders import (
    make_comment,
    make_user,
    solved_comment_data,
)

QUEUE = reverse("admin:comments_comment_changelist")
TEMPLATE = (
    "The families of the detainees ask every reader to sign the petition for the release "
    "of all political prisoners held in {city} before the end of the month. {n}"
)


def shared_bands(a, b):
    bands = lambda text: {v for k, v in similarity.fingerprints(text) if k == "band"}  # noqa: E731
    return len(bands(a) & bands(b))


def test_folding_makes_spelling_variants_the_same_text():
    variants = [
        "کتاب‌های يک  مرد ۱۲۳!",
        "كتابهای یک مرد 123",
        "كتابهاي يك مرد ١٢٣...",
        "کتاب های یک مرد ۱۲۳",
    ]
    texts = {dict(similarity.fingerprints(v))["text"] for v in variants}
    assert len(texts) == 1


def test_near_identical_texts_share_bands_and_different_ones_do_not():
    a = TEMPLATE.format(city="Tehran", n=1)
    b = TEMPLATE.format(city="Shiraz", n=22)
    other = (
        "Bread prices rose again this week in the capital, and many workers say their wages "
        "no longer cover the rent of a small flat."
    )
    assert shared_bands(a, b) >= 2
    assert shared_bands(a, other) < 2


def test_short_texts_get_no_near_duplicate_bands():
    assert [kind for kind, _ in similarity.fingerprints("Thank you!")] == ["text"]


def test_linked_hosts_come_from_links_and_homepage():
    hosts = similarity.linked_hosts(
        "See https://WWW.Example.org/a and mail me at x@mail.example.net", "https://blog.example"
    )
    assert hosts == {"example.org", "mail.example.net", "blog.example"}


def sent(statement, text, ip, **fields):
    comment = make_comment(statement, status="pending", text=text, ip_address=ip, **fields)
    campaigns.record(comment)
    comment.refresh_from_db()
    return comment


def test_same_text_from_three_addresses_is_one_campaign(statement):
    first = sent(statement, "Free them all!", "192.0.2.1")
    second = sent(statement, "free  them ALL", "192.0.2.2")
    assert first.campaign is None and second.campaign is None  # two addresses: not yet
    third = sent(statement, "Free them all.", "192.0.2.3")
    assert third.campaign is not None
    assert third.campaign.kind == Campaign.Kind.SAME_TEXT
    assert set(third.campaign.comments.all()) == {first, second, third}


def test_same_text_from_one_address_is_no_campaign(statement):
    for _ in range(4):
        comment = sent(statement, "Free them all!", "192.0.2.1")
    assert comment.campaign is None
    assert not Campaign.objects.exists()


def test_near_identical_texts_from_many_addresses_are_one_campaign(statement):
    cities = ["Tehran", "Tabriz", "Mashhad", "Isfahan", "Shiraz", "Ahvaz", "Rasht", "Qom"]
    comments = [
        sent(statement, TEMPLATE.format(city=city, n=i), f"198.51.100.{i}")
        for i, city in enumerate(cities, start=1)
    ]
    assert Campaign.objects.count() == 1
    campaign = Campaign.objects.get()
    assert campaign.kind == Campaign.Kind.NEAR_TEXT
    assert campaign.comments.count() == len(comments)


def test_same_linked_domain_is_a_campaign_but_common_domains_are_not(statement, settings):
    settings.COMMENTS_COMMON_DOMAINS = ["wikipedia.org"]
    for i, text in enumerate(["Look", "Read this", "Must see"]):
        sent(statement, f"{text} https://fa.wikipedia.org/wiki/X{i}", f"192.0.2.{i}")
    assert not Campaign.objects.exists()
    for i, text in enumerate(["Look", "Read this", "Must see"]):
        comment = sent(statement, f"{text} https://buy.pills.example/{i}", f"192.0.2.{i}")
    assert comment.campaign.kind == Campaign.Kind.DOMAIN


def test_comments_outside_the_window_are_not_grouped(statement, settings):
    settings.COMMENTS_CAMPAIGN_WINDOW = 3600
    for i in range(2):
        old = sent(statement, "Free them all!", f"192.0.2.{i}")
        Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
        old.fingerprints.update(created_at=timezone.now() - timedelta(hours=2))
    assert sent(statement, "Free them all!", "192.0.2.9").campaign is None


def test_two_campaigns_joined_by_a_comment_become_one(statement):
    for i in range(3):
        sent(statement, "Free them all!", f"192.0.2.{i}")
        sent(statement, "Close the prison https://prison.example/", f"198.51.100.{i}")
    assert Campaign.objects.count() == 2
    # The same text as the first, and a homepage on the second's domain.
    sent(statement, "Free them all!", "203.0.113.1", homepage="https://prison.example/")
    assert Campaign.objects.count() == 1
    assert Campaign.objects.get().comments.count() == 7


def test_forget_fingerprints_keeps_only_the_window(statement, settings):
    from io import StringIO

    from django.core.management import call_command

    settings.COMMENTS_CAMPAIGN_WINDOW = 3600
    old = sent(statement, "Free them all!", "192.0.2.1")
    old.fingerprints.update(created_at=timezone.now() - timedelta(hours=2))
    new = sent(statement, "Free them all!", "192.0.2.2")
    call_command("forget_fingerprints", stdout=StringIO())
    assert not old.fingerprints.exists() and new.fingerprints.exists()


def test_queue_shows_a_campaign_as_one_row_with_its_count(client, statement, moderator):
    for i in range(5):
        sent(statement, "Free them all!", f"192.0.2.{i}")
    make_comment(statement, status="pending", text="A lone comment.")
    content = client.get(QUEUE).content.decode()
    assert content.count("Free them all!") == 1
    assert "same text: 5 comments, 5 pending" in content
    assert "A lone comment." in content
    campaign = Campaign.objects.get()
    members = client.get(QUEUE, {"campaign": campaign.pk, "status": "all"}).content.decode()
    assert members.count("Free them all!") == 5


def test_deciding_a_campaign_row_decides_all_its_pending_comments(client, statement, moderator):
    comments = [sent(statement, "Free them all!", f"192.0.2.{i}") for i in range(37)]
    lone = make_comment(statement, status="pending", text="A lone comment.")
    response = client.post(
        QUEUE, {"action": "mark_spam", "_selected_action": [comments[0].pk]}, follow=True
    )
    assert "37 comments marked as spam." in response.content.decode()
    assert Comment.objects.filter(status="spam").count() == 37
    lone.refresh_from_db()
    assert lone.status == Comment.Status.PENDING


def test_one_member_can_be_decided_alone_from_the_campaign_view(client, statement, moderator):
    comments = [sent(statement, "Free them all!", f"192.0.2.{i}") for i in range(3)]
    campaign = Campaign.objects.get()
    client.post(
        f"{QUEUE}?campaign={campaign.pk}&status=all",
        {"action": "approve", "_selected_action": [comments[1].pk]},
    )
    assert list(Comment.objects.approved()) == [comments[1]]


@pytest.mark.django_db
def test_moderators_hear_once_per_campaign(client, statement, run_tasks):
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    for i in range(5):
        client.post(
            statement.get_comment_url(),
            solved_comment_data(client, statement, text="Free them all!"),
            REMOTE_ADDR=f"192.0.2.{i}",
        )
    run_tasks()
    # The first two (no campaign yet), the third (the campaign starts), then silence.
    assert len(mail.outbox) == 3
    assert Campaign.objects.get().comments.count() == 5
