"""Reaching readers behind a block: the onion address, "How to reach us", full-text feeds."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import translation

from pages.models import REACH_US, Page
from tests.builders import make_statement, make_user

pytestmark = pytest.mark.django_db

ONION = "http://exampleonionaddressexampleonionaddressexampleonionad.onion"
ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "http://purl.org/rss/1.0/modules/content/"


def test_public_pages_announce_the_onion_address_when_there_is_one(client, settings):
    statement = make_statement()
    assert "Onion-Location" not in client.get("/")
    settings.ONION_URL = ONION
    for url in ("/", statement.get_absolute_url(), f"{reverse('statements:list')}?page=1"):
        assert client.get(url)["Onion-Location"] == ONION + url


def test_private_pages_do_not_announce_the_onion_address(client, settings):
    settings.ONION_URL = ONION
    statement = make_statement()
    assert "Onion-Location" not in client.get(f"{statement.get_absolute_url()}comment/")


@pytest.mark.parametrize(
    ("language", "title", "site"),
    [
        ("en", "How to reach us", "Joint Statements"),
        ("fa", "راه‌های دسترسی به ما", "بیانیه‌های مشترک"),
    ],
)
def test_every_page_links_to_how_to_reach_us_which_lists_the_addresses(
    client, settings, language, title, site
):
    settings.ONION_URL = ONION
    settings.ORIGIN_URL = "https://statements.example.org"
    with translation.override(language):
        url = reverse("pages:page", args=[REACH_US])
        assert f'href="{url}"' in client.get(reverse("statements:home")).content.decode()
    page = client.get(url).content.decode()
    assert f"<h1>{title}</h1>" in page
    assert f"<title>{title} — {site}</title>" in page
    assert f'<code dir="ltr">{ONION}</code>' in page
    assert '<code dir="ltr">https://statements.example.org</code>' in page


@pytest.mark.parametrize(("language", "feeds"), [("en", "Feeds"), ("fa", "خوراک‌ها")])
def test_the_footers_feeds_lead_to_their_addresses_to_copy_not_to_the_xml(
    client, settings, language, feeds
):
    """A feed opened in a browser is XML (Chromium is removing the XSLT that dresses it as a
    page): the site's own link goes to the addresses a feed reader needs, on the origin."""
    settings.ORIGIN_URL = "https://statements.example.org"
    with translation.override(language):
        url = reverse("pages:page", args=[REACH_US])
        rss, atom = reverse("statements:rss"), reverse("statements:atom")
        home = client.get(reverse("statements:home")).content.decode()
    assert f'<a href="{url}#feeds">{feeds}</a>' in home
    assert f'href="{rss}"' not in home.split('<footer class="site-footer">')[1]
    page = client.get(url).content.decode()
    assert f'<h2 id="feeds-heading">{feeds}</h2>' in page
    for field, address in (("rss-address", rss), ("atom-address", atom)):
        value = f"https://statements.example.org{address}"
        assert f'<input id="{field}" type="url" value="{value}" readonly dir="ltr">' in page
        assert f'data-copy="{field}"' in page


def test_staff_edit_how_to_reach_us_and_its_markup_is_cleaned(client):
    editor = make_user("editor", groups=["Editors"], is_staff=True)
    client.force_login(editor)
    page = Page.objects.get(slug=REACH_US, language="en")
    response = client.post(
        reverse("admin:pages_page_change", args=[page.pk]),
        {
            "slug": REACH_US,
            "language": page.language,
            "title": "How to reach us",
            "body": '<p>Mirror: <a href="https://copy.example.net/">copy</a></p><script>x()</script>',
        },
    )
    assert response.status_code == 302
    client.logout()
    content = client.get(page.get_absolute_url()).content.decode()
    assert '<a href="https://copy.example.net/">copy</a>' in content
    assert "x()" not in content


def test_unknown_page_is_404(client):
    assert client.get(reverse("pages:page", args=["no-such-page"])).status_code == 404


def test_feeds_carry_the_full_text_of_each_statement(client):
    body = "".join(f"<p>Paragraph {i} of a long statement.</p>" for i in range(100))
    make_statement(title="Long", summary="Short summary.", body=body)
    rss = ET.fromstring(client.get(reverse("statements:rss")).content)  # noqa: S314 (our own)
    assert rss.find("channel/item/description").text == "Short summary."
    assert rss.find(f"channel/item/{{{CONTENT}}}encoded").text == body
    atom = ET.fromstring(client.get(reverse("statements:atom")).content)  # noqa: S314
    entry = atom.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}summary").text == "Short summary."
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html" and content.text == body
