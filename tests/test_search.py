"""Search finds Persian text whatever keyboard typed it, on PostgreSQL and on SQLite."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from statements.models import Statement
from statements.search import search_statements
from tests.builders import make_statement

pytestmark = pytest.mark.django_db

ZWNJ = "\u200c"


def found(query):
    return list(search_statements(query).values_list("title", flat=True))


def test_search_finds_persian_text_typed_on_an_arabic_keyboard():
    make_statement(title="بیانیه مشترک", body="<p>کتاب</p>")
    assert found("بيانيه") == ["بیانیه مشترک"]  # Arabic yeh
    assert found("كتاب") == ["بیانیه مشترک"]  # Arabic kaf


def test_search_finds_arabic_keyboard_text_typed_on_a_persian_keyboard():
    make_statement(title="بيانيه مشترك", body="<p>...</p>")
    assert found("بیانیه مشترک") == ["بيانيه مشترك"]


def test_search_treats_zero_width_non_joiner_and_space_alike():
    make_statement(title=f"ما می{ZWNJ}خواهیم", body="<p>حقوق بشر</p>")
    assert found("می خواهیم") == [f"ما می{ZWNJ}خواهیم"]
    assert found(f"حقوق{ZWNJ}بشر") == [f"ما می{ZWNJ}خواهیم"]


def test_search_matches_persian_arabic_indic_and_ascii_digits():
    make_statement(title="Statement of 1399", body="<p>آبان ۱۳۹۹</p>")
    assert found("۱۳۹۹ آبان") == ["Statement of 1399"]
    assert found("١٣٩٩") == ["Statement of 1399"]
    assert found("1399") == ["Statement of 1399"]


def test_search_ignores_harakat_and_tatweel():
    make_statement(title="Harakat", body="<p>حُقوقِ بَشَر</p>")
    assert found("حقوق") == ["Harakat"]
    assert found("حـــقوق بشر") == ["Harakat"]


def test_search_ignores_case_in_any_script():
    make_statement(title="Open Budget", body="<p>ΔΗΜΟΣ</p>")
    assert found("open budget") == ["Open Budget"]
    assert found("δημος") == ["Open Budget"]


def test_search_matches_text_not_markup():
    make_statement(title="Markup", body='<p><a href="https://example.org/">link</a> &amp; text</p>')
    assert found("example") == []
    assert found("href") == []
    assert found("link") == ["Markup"]


def test_search_text_follows_edits():
    statement = make_statement(title="First title", body="<p>old words</p>")
    statement.title = "Second title"
    statement.body = "<p>new words</p>"
    statement.save(update_fields=["title", "body"])
    assert found("first") == []
    assert found("old") == []
    assert found("second new") == ["Second title"]


def test_search_text_is_filled_for_statements_saved_before_it_existed():
    statement = make_statement(title="كتاب قديم", body="<p>١٣٩٩</p>")
    Statement.objects.filter(pk=statement.pk).update(search_text="")
    migration = importlib.import_module("statements.migrations.0005_statement_search_text")
    migration.fill_search_text(apps, None)
    assert found("کتاب ۱۳۹۹") == ["كتاب قديم"]


def test_search_page_finds_persian_text_typed_on_an_arabic_keyboard(client):
    make_statement(title="بیانیه مشترک", body="<p>...</p>")
    content = client.get(reverse("statements:search"), {"q": "بيانيه"}).content.decode()
    assert "بیانیه مشترک" in content


def test_query_of_only_marks_and_joiners_finds_nothing():
    make_statement(title="Anything", body="<p>text</p>")
    assert found(f"\u064e{ZWNJ}\u0640 ") == []


def test_admin_search_finds_persian_text_typed_on_an_arabic_keyboard(client, editor):
    make_statement(title="بیانیه مشترک", body="<p>...</p>")
    make_statement(title="Other words", body="<p>...</p>")
    response = client.get(reverse("admin:statements_statement_changelist"), {"q": "بيانيه"})
    assert [s.title for s in response.context["cl"].result_list] == ["بیانیه مشترک"]


@pytest.mark.parametrize("language", ["fa", "en"])
def test_search_page_shows_one_search_box(client, language, settings):
    from django.utils import translation

    with translation.override(language):
        search_url, list_url = reverse("statements:search"), reverse("statements:list")
    for params in ({}, {"q": "peace"}):
        content = client.get(search_url, params).content.decode()
        assert content.count('role="search"') == 1
        assert content.count('name="q"') == 1
        assert 'id="search-q"' in content  # the page's own, labelled form
    settings.SEARCH_RATE_LIMIT = 0
    limited = client.get(search_url, {"q": "peace"})
    assert limited.status_code == 429
    assert limited.content.decode().count('role="search"') == 1
    # Elsewhere the header's box is the one search box.
    assert client.get(list_url).content.decode().count('role="search"') == 1
