"""Share links: plain addresses of each service's share page, their values percent-encoded,
no third-party script; the address to copy is on the page without JavaScript."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import override_settings

from statements.sharing import share_links
from tests.builders import make_statement

URL = "https://statements.example.org/fa/statements/2020/11/peace-&-talks/"
TITLE = "صلح & گفتگو? #1 + 50%"


def links():
    return {link.service: urlsplit(link.href) for link in share_links(URL, TITLE)}


def values(parts):
    return {key: value[0] for key, value in parse_qs(parts.query, strict_parsing=True).items()}


def test_share_links_go_to_each_services_own_share_page():
    found = links()
    assert list(found) == ["email", "telegram", "whatsapp", "x", "facebook"]
    assert (found["email"].scheme, found["email"].path) == ("mailto", "")
    assert found["telegram"].geturl().startswith("https://t.me/share/url?")
    assert found["whatsapp"].geturl().startswith("https://wa.me/?")
    assert found["x"].geturl().startswith("https://x.com/intent/post?")
    assert found["facebook"].geturl().startswith("https://www.facebook.com/sharer/sharer.php?")


def test_share_links_carry_the_address_and_title_whole_through_encoding():
    found = links()
    assert values(found["email"]) == {"subject": TITLE, "body": f"{TITLE}\n{URL}"}
    assert values(found["telegram"]) == {"url": URL, "text": TITLE}
    assert values(found["whatsapp"]) == {"text": f"{TITLE} {URL}"}
    assert values(found["x"]) == {"url": URL, "text": TITLE}
    assert values(found["facebook"]) == {"u": URL}


def test_share_links_encode_spaces_as_percent_20_never_plus():
    """A mail program reads + in a mailto: address as a plus sign (RFC 6068)."""
    for link in share_links(URL, "two words"):
        assert "+" not in link.href, link.href
        assert "two%20words" in link.href or link.service == "facebook"
    # The reserved characters of the title never leak into the query as themselves.
    for link in share_links(URL, TITLE):
        query = urlsplit(link.href).query
        assert "#" not in link.href and " " not in query and "?" not in query


@pytest.mark.django_db
@override_settings(ALLOWED_HOSTS=["statements.example.org"])
def test_statement_page_has_share_links_to_its_address_and_no_third_party_script(client):
    statement = make_statement(title="Peace & talks")
    response = client.get(statement.get_absolute_url(), HTTP_HOST="statements.example.org")
    content = response.content.decode()
    address = f"http://statements.example.org{statement.get_absolute_url()}"
    hrefs = [unescape(h) for h in re.findall(r'class="share-\w+" href="([^"]*)"', content)]
    assert len(hrefs) == 5
    assert all(address in unescape(h.replace("%3A", ":").replace("%2F", "/")) for h in hrefs)
    # The address to copy by hand, and the button that share.js reveals.
    assert f'id="share-address" type="url" value="{address}" readonly' in content
    assert re.search(r'<button type="button" [^>]*data-copy="share-address"[^>]* hidden>', content)
    scripts = re.findall(r'<script src="([^"]+)"', content)
    assert scripts and all(src.startswith("/static/") for src in scripts)
