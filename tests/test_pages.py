"""What every public page carries: meta tags, structured data, feeds, sitemap, robots, errors."""

import json
import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.builders import make_organization, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    orgs = [
        make_organization(name="First Org", website="https://first.example.org"),
        make_organization(name="Second Org"),
    ]
    return make_statement(
        title="On <peace> & talks",
        summary="A short summary.",
        published_at=datetime(2020, 11, 11, 12, tzinfo=UTC),
        signatories=orgs,
    )


def test_statement_page_has_canonical_and_open_graph_tags(client, statement):
    content = client.get(statement.get_absolute_url()).content.decode()
    url = f"http://testserver{statement.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in content
    assert '<meta property="og:title" content="On &lt;peace&gt; &amp; talks">' in content
    assert '<meta name="description" content="A short summary.">' in content


def test_statement_page_has_news_article_json_ld_with_signatories(client, statement):
    content = client.get(statement.get_absolute_url()).content.decode()
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', content, re.S).group(1)
    assert "<" not in raw
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "On <peace> & talks"
    assert [org["name"] for org in data["author"]] == ["First Org", "Second Org"]


def test_dates_are_shown_in_a_human_format(client, statement):
    assert "November 11, 2020" in client.get(statement.get_absolute_url()).content.decode()


def test_pages_have_a_skip_link_to_main_content(client, statement):
    content = client.get(reverse("statements:home")).content.decode()
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in content
    assert '<main id="main"' in content


def test_signatories_keep_their_order(client, statement):
    content = client.get(statement.get_absolute_url()).content.decode()
    assert content.index("First Org") < content.index("Second Org")


def test_rss_and_atom_feeds_list_published_statements(client, statement):
    rss = client.get(reverse("statements:rss"))
    atom = client.get(reverse("statements:atom"))
    # As XML, so that a browser shows them through their stylesheet (test_feed_stylesheet.py).
    assert rss["Content-Type"] == atom["Content-Type"] == "application/xml; charset=utf-8"
    for response in (rss, atom):
        assert statement.get_absolute_url() in response.content.decode()


def test_sitemap_lists_statements_and_organizations(client, statement):
    content = client.get(reverse("sitemap")).content.decode()
    assert statement.get_absolute_url() in content
    assert statement.signatories.first().get_absolute_url() in content


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def test_not_found_page_is_the_sites_own(client):
    response = client.get("/en/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_shows_no_details(client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("statements.views.HomeView.get_queryset", broken)
    client.raise_request_exception = False
    response = client.get(reverse("statements:home"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "secret internals" not in response.content.decode()


def test_list_is_paginated_and_junk_page_numbers_are_404(client):
    for _ in range(25):
        make_statement()
    assert client.get(reverse("statements:list")).context["page_obj"].paginator.num_pages == 2
    assert client.get(reverse("statements:list"), {"page": "2"}).status_code == 200
    for junk in ("99", "abc", "-1", "1e9"):
        assert client.get(reverse("statements:list"), {"page": junk}).status_code == 404


def test_search_with_no_words_shows_the_form_only(client, statement):
    response = client.get(reverse("statements:search"), {"q": "   "})
    assert response.status_code == 200
    assert "found for" not in response.content.decode()


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "No statement matches “<bdi>zzqq</bdi>”."),
        ("fa", "هیچ بیانیه‌ای با «<bdi>zzqq</bdi>»"),
    ],
)
def test_search_that_finds_nothing_says_so_in_words(client, statement, language, message):
    with translation.override(language):
        address = reverse("statements:search")
    content = client.get(address, {"q": "zzqq"}).content.decode()
    assert message in content
    assert "0 statements" not in content and "۰ بیانیه" not in content


def test_search_matches_words_in_the_body(client):
    make_statement(title="Plain title", body="<p>About sanctions and negotiations.</p>")
    content = client.get(reverse("statements:search"), {"q": "negotiations"}).content.decode()
    assert "Plain title" in content


def test_feeds_carry_the_summary_as_text_not_markup(client):
    """The review's reproduction: a summary holding markup became markup in the feeds."""
    from xml.etree import ElementTree

    make_statement(summary="Read <img src=x onerror=alert(1)> & weep")
    atom = ElementTree.fromstring(  # noqa: S314 (our own feed)
        client.get(reverse("statements:atom")).content
    )
    summary = atom.find("{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}summary")
    assert summary.get("type") == "html"
    assert summary.text == "Read &lt;img src=x onerror=alert(1)&gt; &amp; weep"
    rss = ElementTree.fromstring(  # noqa: S314 (our own feed)
        client.get(reverse("statements:rss")).content
    )
    assert rss.find("channel/item/description").text == summary.text


def test_feeds_fall_back_to_the_bodys_first_words_as_text(client):
    from xml.etree import ElementTree

    make_statement(summary="", body="<p>Peace &amp; quiet &lt;now&gt;.</p>")
    rss = ElementTree.fromstring(  # noqa: S314 (our own feed)
        client.get(reverse("statements:rss")).content
    )
    assert rss.find("channel/item/description").text == "Peace &amp; quiet &lt;now&gt;."
