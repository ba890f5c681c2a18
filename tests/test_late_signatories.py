"""Organizations that join a published statement later: asked for, shown, announced."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from statements.models import Signature
from tests.builders import (
    add_signatory_data,
    make_draft,
    make_organization,
    make_statement,
    save_in_admin,
    statement_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    return make_statement(
        title="Clean air now",
        published_at=timezone.now() - timedelta(days=10),
        signatories=[make_organization(name="Union A", slug="union-a")],
    )


@pytest.fixture
def newcomer():
    return make_organization(name="Union B", slug="union-b")


def joined(statement, organization, days_ago=2):
    when = timezone.localdate() - timedelta(days=days_ago)
    Signature.objects.create(
        statement=statement, organization=organization, order=2, joined_on=when
    )
    return when


def test_adding_a_signatory_to_a_published_statement_asks_for_its_date(
    client, editor, statement, newcomer
):
    data = add_signatory_data(statement_form_data(statement), newcomer, 2, joined_on="")
    response = save_in_admin(client, statement, data=data, note="Union B joined.")
    assert response.status_code == 200
    assert "give the day it joined" in response.content.decode()
    assert not statement.signatures.filter(organization=newcomer).exists()


def test_adding_a_signatory_to_a_published_statement_asks_for_a_note(
    client, editor, statement, newcomer
):
    data = add_signatory_data(
        statement_form_data(statement), newcomer, 2, joined_on=timezone.localdate().isoformat()
    )
    response = save_in_admin(client, statement, data=data, note="  ")
    assert response.status_code == 200
    assert "write a note for readers" in response.content.decode()
    assert not statement.signatures.filter(organization=newcomer).exists()


def test_the_new_signatory_row_starts_with_today(client, editor, statement):
    page = client.get(reverse("admin:statements_statement_change", args=[statement.pk]))
    today = timezone.localdate().isoformat()
    assert f'name="signatures-1-joined_on" value="{today}"' in page.content.decode()


def test_a_late_signatory_is_recorded_with_its_date_and_note(client, editor, statement, newcomer):
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    data = add_signatory_data(statement_form_data(statement), newcomer, 2, joined_on=day)
    response = save_in_admin(client, statement, data=data, note="Union B joined.")
    assert response.status_code == 302
    signature = statement.signatures.get(organization=newcomer)
    assert signature.joined_on.isoformat() == day and signature.joined_later
    latest = statement.public_revisions.first()
    assert (latest.number, latest.note, latest.changed_fields) == (
        2,
        "Union B joined.",
        ["signatories"],
    )
    assert latest.canonical_text.endswith(f"--\nUnion A\nUnion B ({day})\n")


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "cannot be in the future"), (30, "cannot join before the statement")],
)
def test_the_joining_date_must_be_between_the_statement_and_today(
    client, editor, statement, newcomer, days, message
):
    day = (timezone.localdate() - timedelta(days=days)).isoformat()
    data = add_signatory_data(statement_form_data(statement), newcomer, 2, joined_on=day)
    response = save_in_admin(client, statement, data=data, note="Union B joined.")
    assert response.status_code == 200
    assert message in response.content.decode()


def test_signatories_of_a_draft_need_no_date_or_note(client, editor, newcomer):
    draft = make_draft()
    data = add_signatory_data(statement_form_data(draft), newcomer, 1)
    assert save_in_admin(client, draft, data=data, button="_save_draft").status_code == 302
    assert draft.signatures.get().joined_on is None


def test_statement_page_lists_a_late_signatory_with_its_date(client, statement, newcomer):
    when = joined(statement, newcomer)
    content = client.get(statement.get_absolute_url()).content.decode()
    item = content[content.index('id="signed-union-b"') :]
    assert f'joined on <time datetime="{when.isoformat()}">' in item[: item.index("</li>")]
    first = content[content.index('id="signed-union-a"') :]
    assert "joined on" not in first[: first.index("</li>")]


def test_organization_page_shows_when_it_signed_each_statement(client, statement, newcomer):
    when = joined(statement, newcomer)
    content = client.get(newcomer.get_absolute_url()).content.decode()
    assert f'signed on <time datetime="{when.isoformat()}">' in content
    founder = client.get("/en/organizations/union-a/").content.decode()
    assert f'signed on <time datetime="{statement.date.isoformat()}">' in founder


@pytest.mark.parametrize("feed", ["statements:rss", "statements:atom"])
def test_feeds_announce_an_organization_that_joined(client, statement, newcomer, feed):
    joined(statement, newcomer)
    content = client.get(reverse(feed)).content.decode()
    assert "Union B joined “Clean air now”" in content
    assert f"{statement.get_absolute_url()}#signed-union-b" in content


def test_feed_announcement_is_plain_text_escaped(client, statement):
    joined(statement, make_organization(name="<b>Union</b> & Co", slug="union-markup"))
    content = client.get(reverse("statements:rss")).content.decode()
    assert "&amp;lt;b&amp;gt;Union&amp;lt;/b&amp;gt; &amp;amp; Co signed" in content
    assert "<b>Union" not in content
