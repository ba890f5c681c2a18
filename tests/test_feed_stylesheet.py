"""A feed opened in a browser reads as a page: the feeds name an XSLT stylesheet of the site's
own, in their language, which says what a feed is and how to subscribe.

The stylesheet is applied here with lxml (libxslt, as in Chromium); tests/test_journey_pages.py
opens the feeds in Chromium itself."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from lxml import etree

from statements.caching import MIRROR_COPY
from tests.builders import make_organization, make_statement

pytestmark = pytest.mark.django_db

FEEDS = ("statements:rss", "statements:atom")


@pytest.fixture
def statements():
    org = make_organization(name="Union & Co")
    return [
        make_statement(
            title="On <peace> & talks", summary="Talks' summary & more", signatories=[org]
        ),
        make_statement(title="بیانیهٔ دوم", summary="خلاصهٔ بیانیه", language="fa"),
    ]


def in_language(language, name):
    with translation.override(language):
        return reverse(name)


def transformed(client, language, feed):
    """The page a browser shows for `feed`: the feed through the stylesheet it names."""
    content = client.get(in_language(language, feed)).content
    document = etree.fromstring(content)
    instruction = document.getprevious()
    assert isinstance(instruction, etree._XSLTProcessingInstruction), content[:200]
    href = instruction.get("href")
    assert href == in_language(language, "statements:feed_stylesheet")
    assert instruction.get("type") == "text/xsl"
    stylesheet = client.get(href)
    assert stylesheet.status_code == 200
    assert stylesheet["Content-Type"].startswith("text/xsl")
    transform = etree.XSLT(etree.fromstring(stylesheet.content))
    return str(transform(document))


@pytest.mark.parametrize("feed", FEEDS)
def test_english_feed_reads_as_a_page_that_says_how_to_subscribe(client, statements, feed):
    page = transformed(client, "en", feed)
    assert '<html lang="en" dir="ltr">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "This is a feed" in page
    assert "To subscribe, copy this address into your feed reader:" in page
    address = "http://testserver" + in_language("en", feed)
    assert f'<code class="feed-address" dir="ltr">{address}</code>' in page
    statement = statements[0]
    assert f'<a href="http://testserver{statement.get_absolute_url()}">' in page
    assert "On &lt;peace&gt; &amp; talks" in page
    # The description is escaped text: written out as it is, it reads as the summary typed.
    assert "<p>Talks&#x27; summary &amp; more</p>" in page
    assert "بیانیهٔ دوم" not in page  # each language's feed has its own statements
    assert re.search(r'<link rel="stylesheet" href="/static/css/site[.\w]*\.css">', page)
    assert "<script" not in page and "style=" not in page  # nothing the CSP would refuse


@pytest.mark.parametrize("feed", FEEDS)
def test_persian_feed_reads_as_a_right_to_left_page_in_persian(client, statements, feed):
    page = transformed(client, "fa", feed)
    assert '<html lang="fa" dir="rtl">' in page
    assert "بیانیهٔ دوم" in page and "خلاصهٔ بیانیه" in page
    assert "This is a feed" not in page
    with translation.override("fa"):
        assert translation.gettext("This is a feed") in page


def test_feed_stylesheet_is_a_public_page_under_the_sites_policy(client):
    response = client.get(in_language("en", "statements:feed_stylesheet"))
    assert "public" in response["Cache-Control"]
    assert "Content-Security-Policy" in response
    assert "Vary" not in response or "Cookie" not in response["Vary"]


@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_of_a_static_copy_name_no_stylesheet(statements, feed):
    copy = Client(**{MIRROR_COPY: "1"})
    assert b"xml-stylesheet" not in copy.get(in_language("en", feed)).content
