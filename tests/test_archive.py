"""The archive at scale: bounded lists, search that is indexed, ranked, excerpted, limited and
never exhausts the server, and a sitemap that becomes an index."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from statements import search as search_module
from statements.search import limit_terms, search, search_statements, wanted_words
from tests import validity
from tests.builders import make_organization, make_statement

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's full-text search (SQLite has none)"
)


def in_language(code, name, *args):
    with translation.override(code):
        return reverse(name, args=args)


def search_page(client, query, code="en", **request):
    return client.get(in_language(code, "statements:search"), {"q": query}, **request)


def titles(response):
    return [s.title for s in response.context["statements"]]


# Bounded lists -------------------------------------------------------------------------------


def test_year_archive_shows_one_page_at_a_time(client, settings):
    for day in range(settings.PAGE_SIZE + 3):
        make_statement(published_at=datetime(2019, 3, 1, tzinfo=UTC) + timedelta(days=day))
    first = client.get(in_language("en", "statements:year", 2019))
    assert len(first.context["statements"]) == settings.PAGE_SIZE
    assert 'rel="next" href="?page=2"' in first.content.decode()
    second = client.get(in_language("en", "statements:year", 2019), {"page": 2})
    assert len(second.context["statements"]) == 3
    assert client.get(in_language("en", "statements:year", 2019), {"page": 3}).status_code == 404


def test_organization_page_shows_its_statements_one_page_at_a_time(client, settings):
    organization = make_organization()
    for _ in range(settings.PAGE_SIZE + 1):
        make_statement(signatories=[organization])
    first = client.get(organization.get_absolute_url("en"))
    assert first.context["organization"] == organization
    assert len(first.context["statements"]) == settings.PAGE_SIZE
    second = client.get(organization.get_absolute_url("en"), {"page": 2})
    assert len(second.context["statements"]) == 1
    assert client.get(organization.get_absolute_url("en"), {"page": "x"}).status_code == 404


def test_unknown_organization_is_a_404(client):
    assert client.get(in_language("en", "statements:organization", "nobody")).status_code == 404


def test_search_result_pages_keep_the_search_words_in_their_links(client, settings):
    for _ in range(settings.SEARCH_PAGE_SIZE + 1):
        make_statement(title="Peace & bread")
    content = search_page(client, "peace & bread").content.decode()
    assert 'href="?q=peace+%26+bread&amp;page=2"' in content


# Search: what it finds and how it shows it ---------------------------------------------------


def test_search_shows_the_matching_passage_with_the_words_marked(client):
    lead = " ".join(f"lead{i}" for i in range(80))
    make_statement(title="Budget", body=f"<p>{lead} the sanctions hurt families {lead}</p>")
    response = search_page(client, "sanctions")
    excerpt = str(response.context["statements"][0].excerpt)
    assert "<mark>sanctions</mark>" in excerpt
    assert not excerpt.startswith("lead0 ")  # the passage around the match, not the opening
    assert '<p class="excerpt">' in response.content.decode()


def test_search_excerpt_shows_markup_in_the_text_as_text(client):
    make_statement(
        title="Markup", body="<p>Write &lt;script&gt;alert(1)&lt;/script&gt; freedom</p>"
    )
    content = search_page(client, "freedom").content.decode()
    assert "alert(1)</script>" not in content
    assert "alert(1)&lt;/script&gt;" in content


def test_search_finds_persian_typed_on_an_arabic_keyboard_with_its_passage(client):
    make_statement(title="بیانیه", language="fa", body="<p>آزادی برای ایران و مردم</p>")
    response = search_page(client, "ايران", code="fa")  # Arabic yeh
    assert titles(response) == ["بیانیه"]
    if connection.vendor == "postgresql":
        assert "<mark>ایران</mark>" in str(response.context["statements"][0].excerpt)


def test_search_lists_statements_of_the_pages_language_only(client):
    make_statement(title="Peace now", language="en")
    make_statement(title="Peace در فارسی", language="fa")
    assert titles(search_page(client, "peace", code="en")) == ["Peace now"]
    assert titles(search_page(client, "peace", code="fa")) == ["Peace در فارسی"]


@postgresql_only
def test_english_is_stemmed_as_english_and_persian_is_not():
    make_statement(title="Governments", body="<p>The governments met.</p>")
    make_statement(title="کتاب‌ها", language="fa", body="<p>کتاب‌ها</p>")
    assert list(search_statements("government", "en").values_list("title", flat=True)) == [
        "Governments"
    ]
    # "simple": Persian words are matched as written (folded), not cut by English rules.
    assert list(search_statements("کتاب ها", "fa").values_list("title", flat=True)) == ["کتاب‌ها"]


@postgresql_only
def test_a_match_in_the_title_ranks_above_a_newer_match_deep_in_the_body():
    filler = " ".join(f"filler{i}" for i in range(200))
    make_statement(title="Refugees", published_at=datetime(2018, 1, 1, tzinfo=UTC))
    make_statement(title="Other", body=f"<p>{filler} refugees</p>")
    assert list(search_statements("refugees", "en").values_list("title", flat=True)) == [
        "Refugees",
        "Other",
    ]


@postgresql_only
def test_search_vector_follows_an_edit_made_without_save():
    """The vectors are generated columns: the database computes them on every write."""
    statement = make_statement(title="Old words")
    from statements.models import Statement

    Statement.objects.filter(pk=statement.pk).update(search_text="fresh words")
    assert list(search_statements("fresh", "en")) == [statement]


@postgresql_only
def test_search_vector_has_a_gin_index():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'statements_statement' "
            "AND indexdef LIKE '%%gin (search_vector)%%'"
        )
        assert cursor.fetchall()


def test_past_the_result_limit_results_come_newest_first_and_the_reader_is_told(client, settings):
    settings.SEARCH_MAX_RESULTS = 2
    for day in range(3):
        make_statement(title=f"Peace {day}", published_at=datetime(2020, 1, 1 + day, tzinfo=UTC))
    found = search("peace", "en")
    assert found.more and found.by_date
    response = search_page(client, "peace")
    assert titles(response) == ["Peace 2", "Peace 1"]
    assert "More than 2 statements match" in response.content.decode()


# Search: limits and bad input ----------------------------------------------------------------


def test_a_long_query_is_cut_between_words_and_the_reader_is_told(client, settings):
    make_statement(title="Peace")
    query = "peace " + "x" * 10_000
    response = search_page(client, query)
    assert response.status_code == 200
    assert response.context["query"] == "peace"
    assert "Only the first" in response.content.decode()
    assert len(limit_terms("y" * 10_000).text) == settings.SEARCH_MAX_LENGTH


def test_a_query_of_many_words_keeps_the_first_ones(settings):
    terms = limit_terms(" ".join(f"w{i}" for i in range(50)))
    assert terms.shortened
    assert terms.text.split() == [f"w{i}" for i in range(settings.SEARCH_MAX_WORDS)]
    assert limit_terms("  two   words ") == ("two words", False)


@pytest.mark.parametrize(
    "query",
    [
        "!!! ... ???",
        "،؛؟«»",
        '"',
        '"human rights',
        '"human rights" -war or peace',
        "-",
        "- - -",
        "or",
        "or or or",
        "peace -",
        "-peace",
        "a & b | !c <-> d:* ()",
        "'; DROP TABLE statements_statement; --",
        "\\",
        "%_%",
        "x" * 10_000,
        "word " * 2_000,
    ],
)
def test_any_query_is_answered_with_a_page(client, query):
    make_statement(title="Human rights and peace", body="<p>War, peace and human rights.</p>")
    response = search_page(client, query)
    assert response.status_code == 200
    assert "<h1>Search</h1>" in response.content.decode()


@hypothesis_settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    query=st.text(max_size=300)
    | st.lists(
        st.sampled_from(['"', "-", "or", "OR", "peace", "حقوق", "ي", "!", "&", ":*", " "])
    ).map("".join)
)
def test_any_text_as_a_query_is_answered_with_a_page(client, settings, query):
    settings.SEARCH_RATE_LIMIT = 10_000  # the limit has tests of its own
    make_statement(title="Peace", body="<p>حقوق peace</p>")
    for code in ("en", "fa"):
        assert search_page(client, query.replace("\x00", ""), code=code).status_code == 200


def test_operators_do_what_they_say(client):
    make_statement(title="Human rights", body="<p>human rights</p>")
    make_statement(title="Rights of humans at war", body="<p>war</p>")
    assert titles(search_page(client, "-war")) == []  # nothing to look for: no full scan
    assert wanted_words("-war or peace") == ["peace"]
    if connection.vendor == "postgresql":
        assert titles(search_page(client, '"human rights"')) == ["Human rights"]
        assert titles(search_page(client, "rights -war")) == ["Human rights"]
        found = set(titles(search_page(client, "humans or peace")))
        assert found == {"Human rights", "Rights of humans at war"}


@postgresql_only
def test_a_search_past_its_time_limit_is_answered_with_a_page(client, monkeypatch, settings):
    settings.SEARCH_TIMEOUT_MS = 50
    make_statement(title="Peace")

    def slow(statements):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr(search_module, "_count", slow)
    response = search_page(client, "peace")
    assert response.status_code == 200
    assert "This search took too long" in response.content.decode()


@postgresql_only
def test_the_search_time_limit_ends_with_the_search_inside_a_longer_transaction(client):
    """SET LOCAL lasts until the outermost transaction ends: a search made inside one (a test's,
    or a caller's atomic block) must not leave its limit and planner switches to what follows."""

    def planner_settings():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), current_setting('enable_seqscan'),"
                " current_setting('enable_indexscan')"
            )
            return cursor.fetchone()

    make_statement(title="Peace")
    before = planner_settings()
    assert titles(search_page(client, "peace")) == ["Peace"]
    assert planner_settings() == before


# Search: rate limit and caching --------------------------------------------------------------


def test_searches_past_the_rate_limit_get_a_429_page_in_the_readers_language(client, settings):
    settings.SEARCH_RATE_LIMIT = 2
    for _ in range(2):
        assert search_page(client, "peace", code="fa").status_code == 200
    response = search_page(client, "peace", code="fa")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.SEARCH_RATE_WINDOW
    content = response.content.decode()
    assert 'lang="fa"' in content
    assert "جستجوهای بیش از اندازه" in content  # "Too many searches", from the Persian catalog
    assert 'value="peace"' in content  # the words are kept in the form
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_rate_limit_is_per_address(client, settings):
    settings.SEARCH_RATE_LIMIT = 1
    assert search_page(client, "peace", REMOTE_ADDR="192.0.2.1").status_code == 200
    assert search_page(client, "peace", REMOTE_ADDR="192.0.2.1").status_code == 429
    assert search_page(client, "peace", REMOTE_ADDR="192.0.2.2").status_code == 200


def test_the_search_form_alone_is_not_counted(client, settings):
    settings.SEARCH_RATE_LIMIT = 1
    for _ in range(3):
        assert client.get(in_language("en", "statements:search")).status_code == 200
    assert search_page(client, "peace").status_code == 200


def test_search_results_may_be_kept_by_shared_caches_for_a_short_time(client, settings):
    make_statement(title="Peace")
    cache_control = search_page(client, "peace")["Cache-Control"]
    assert "public" in cache_control
    assert f"s-maxage={settings.PUBLIC_SHARED_MAX_AGE}" in cache_control


# Sitemap ------------------------------------------------------------------------------------


def test_small_sitemap_is_one_file(client):
    make_statement()
    content = client.get(reverse("sitemap")).content
    assert b"<urlset" in content


def test_sitemap_past_its_limit_is_an_index_of_files_that_list_every_address(client, settings):
    settings.SITEMAP_LIMIT = 4
    statements = [make_statement(signatories=[make_organization()]) for _ in range(5)]
    response = client.get(reverse("sitemap"))
    assert b"<sitemapindex" in response.content
    assert "public" in response["Cache-Control"]
    assert validity.check_sitemap(response.content) == []
    listed = set()
    for loc in re.findall(rb"<loc>([^<]+)</loc>", response.content):
        page = client.get(loc.decode().removeprefix("http://testserver"))
        assert page.status_code == 200
        assert "public" in page["Cache-Control"]
        urls = re.findall(rb"<url><loc>([^<]+)</loc>", page.content.replace(b"\n", b""))
        assert len(urls) <= settings.SITEMAP_LIMIT
        listed |= set(urls)
    for statement in statements:
        assert f"http://testserver{statement.get_absolute_url()}".encode() in listed


def test_a_kept_sitemap_changes_when_a_statement_is_published(client, settings):
    settings.SITEMAP_LIMIT = 2
    make_statement()
    make_statement()
    make_statement()
    section = reverse("sitemap-section", args=["statements"])
    before = client.get(section, {"p": 1}).content
    new = make_statement(slug="just-published")
    after = client.get(section, {"p": 1}).content + client.get(section, {"p": 2}).content
    assert new.get_absolute_url().encode() not in before
    assert new.get_absolute_url().encode() in after
