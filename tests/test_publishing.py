"""Only published statements whose date has come are visible, in every public view."""

import pytest
from django.urls import reverse
from django.utils import timezone

from statements.models import Statement
from tests.builders import (
    make_draft,
    make_organization,
    make_scheduled,
    make_statement,
    statement_form_data,
)

pytestmark = pytest.mark.django_db

PUBLIC_LISTINGS = [
    "statements:home",
    "statements:list",
    "statements:rss",
    "statements:atom",
    "sitemap",
]


@pytest.fixture
def organization():
    return make_organization(name="Union for Secular Republic", slug="usr")


@pytest.fixture
def published(organization):
    return make_statement(
        title="Published words", slug="published-words", signatories=[organization]
    )


@pytest.fixture
def hidden(organization):
    return [
        make_draft(title="Draft words", slug="draft-words", signatories=[organization]),
        make_scheduled(title="Scheduled words", slug="scheduled-words", signatories=[organization]),
    ]


@pytest.mark.parametrize("url", PUBLIC_LISTINGS)
def test_listings_show_only_published_statements(client, url, published, hidden):
    content = client.get(reverse(url)).content.decode()
    assert published.slug in content
    for statement in hidden:
        assert statement.slug not in content


def test_organization_page_lists_only_published_statements(client, organization, published, hidden):
    content = client.get(organization.get_absolute_url()).content.decode()
    assert "Published words" in content
    assert "Draft words" not in content and "Scheduled words" not in content


def test_year_archive_shows_only_published_statements(client, published, hidden):
    url = reverse("statements:year", args=[published.published_at.year])
    content = client.get(url).content.decode()
    assert "Published words" in content
    assert "Draft words" not in content and "Scheduled words" not in content


def test_search_finds_only_published_statements(client, published, hidden):
    content = client.get(reverse("statements:search"), {"q": "words"}).content.decode()
    assert "Published words" in content
    assert "Draft words" not in content and "Scheduled words" not in content


def test_published_statement_page_shows_title_body_and_signatories(client, published):
    response = client.get(published.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1>Published words</h1>" in content
    assert "Union for Secular Republic" in content


def test_draft_statement_is_404_for_readers(client, hidden):
    for statement in hidden:
        assert client.get(statement.get_absolute_url()).status_code == 404


def test_scheduled_statement_appears_once_its_date_has_come(client, hidden):
    scheduled = hidden[1]
    assert client.get(scheduled.get_absolute_url()).status_code == 404
    Statement.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
    scheduled.refresh_from_db()
    assert client.get(scheduled.get_absolute_url()).status_code == 200


def test_unknown_slug_is_404(client):
    assert client.get("/en/statements/2020/11/no-such-statement/").status_code == 404


def test_unknown_organization_is_404(client):
    assert client.get("/en/organizations/nobody/").status_code == 404


def test_year_without_statements_is_404(client, published):
    assert client.get(reverse("statements:year", args=[1999])).status_code == 404


def test_statement_address_has_year_month_and_slug(published):
    date = published.published_at
    assert (
        published.get_absolute_url()
        == f"/en/statements/{date.year}/{date.month:02d}/published-words/"
    )


def test_wrong_date_in_address_redirects_to_the_real_one(client, published):
    response = client.get("/en/statements/1999/01/published-words/")
    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()


def test_edited_statement_shows_updated_on(admin_client, client, published):
    data = statement_form_data(published, body="<p>Corrected text.</p>")
    response = admin_client.post(
        reverse("admin:statements_statement_change", args=[published.pk]), {**data, "_publish": "1"}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.revised_at is not None
    assert "Updated on" in client.get(published.get_absolute_url()).content.decode()


def test_unedited_statement_does_not_show_updated_on(client, published):
    assert "Updated on" not in client.get(published.get_absolute_url()).content.decode()
