"""One address per thing: a statement's pages are methods on it, built from its local date."""

from datetime import UTC, datetime

import pytest
from django.utils import translation

from tests.builders import make_statement

pytestmark = pytest.mark.django_db

# 23:30 UTC on New Year's Eve is already 1 January in Tehran (UTC+03:30).
NEW_YEARS_EVE = datetime(2020, 12, 31, 23, 30, tzinfo=UTC)


@pytest.fixture
def late_statement(settings):
    settings.TIME_ZONE = "Asia/Tehran"
    return make_statement(slug="late", published_at=NEW_YEARS_EVE)


def test_every_address_uses_the_local_year_and_month(late_statement):
    assert late_statement.get_absolute_url() == "/en/statements/2021/01/late/"
    assert late_statement.get_comment_url() == "/en/statements/2021/01/late/comment/"
    assert late_statement.get_comment_posted_url() == "/en/statements/2021/01/late/comment/posted/"


def test_every_address_is_under_the_statements_own_language(late_statement):
    persian = make_statement(slug="late", language="fa", published_at=NEW_YEARS_EVE)
    with translation.override("en"):  # whatever the page that links to it
        assert persian.get_absolute_url() == "/fa/statements/2021/01/late/"
        assert persian.get_comment_url() == "/fa/statements/2021/01/late/comment/"
        assert persian.get_comment_form_url() == f"/fa/comments/form/{persian.pk}/"
        assert persian.get_preview_url() == f"/fa/statements/preview/{persian.pk}/"


def test_statement_page_links_to_the_comment_page_it_names(client, late_statement):
    content = client.get(late_statement.get_absolute_url()).content.decode()
    assert f'id="add-comment" href="{late_statement.get_comment_url()}"' in content


def test_comment_form_posts_to_the_comment_page(client, late_statement):
    content = client.get(late_statement.get_comment_form_url()).content.decode()
    assert f'action="{late_statement.get_comment_url()}"' in content
    assert client.get(late_statement.get_comment_url()).status_code == 200
