"""The admin's rich-text editor of statement and page bodies (statements/widgets.py): the forms
use it, its toolbar offers exactly what the server keeps, it loads nothing the CSP refuses,
readers never load it, and the server cleans a body posted without it."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django_prose_editor.config import allowlist_from_extensions, expand_extensions

from pages.models import Page
from statements.markup import ALLOWED_TAGS, clean_body
from statements.widgets import BUTTON_LABELS, EXTENSIONS
from tests.builders import make_statement, save_in_admin

pytestmark = pytest.mark.django_db

# A body as Word and a web page give it, posted straight to the admin (no editor, no browser).
RAW = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal'
    "{mso-style-parent:'';}</style></head><body>"
    "<p class=MsoNormal style='mso-margin-top-alt:auto'><span style='font-family:Calibri'>We "
    "call for <b style='mso-bidi-font-weight:normal'>clean</b> air.<o:p></o:p></span></p>"
    "<table border=1><tr><td>Cell</td></tr></table><font color=red>Red</font>"
    "<script>alert('pasted')</script><img src=x onerror=alert(1)>"
    '<h1 class="title">Title</h1><a href="javascript:alert(1)" onclick="x()">trap</a> '
    '<a href="https://example.org/" title="" target="_blank" rel="noopener">report</a>'
    "</body></html>"
)
RAW_SAVED = (
    "<p>We call for <b>clean</b> air.</p>\nCellRed\nTitle<a>trap</a> "
    '<a href="https://example.org/">report</a>'
)


def add_form(client, name):
    return client.get(reverse(f"admin:{name}_add")).content.decode()


@pytest.mark.parametrize("name", ["statements_statement", "pages_page"])
def test_body_is_written_in_the_rich_text_editor(client, editor, name):
    html = add_form(client, name)
    assert re.search(r'<textarea name="body"[^>]* data-body-editor="', html)
    assert '<script src="/static/js/body-editor.js" type="module"></script>' in html
    assert 'href="/static/django_prose_editor/editor.css"' in html
    assert 'href="/static/css/body-editor.css"' in html


@pytest.mark.parametrize("name", ["statements_statement", "pages_page"])
def test_editor_brings_no_inline_script_or_style(client, editor, name):
    """The library's own presets would add an import map: an inline script the CSP refuses."""
    html = add_form(client, name)
    assert "importmap" not in html
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all('type="application/json"' in attributes for attributes in inline_scripts)
    assert "<style" not in html


def test_toolbar_offers_exactly_the_elements_the_server_keeps():
    """What the editor writes is what statements.markup keeps; the server also keeps <b> and
    <i> from pasted HTML, which the editor writes as <strong> and <em>."""
    allowed = allowlist_from_extensions(expand_extensions(EXTENSIONS))
    assert set(allowed["tags"]) == ALLOWED_TAGS - {"b", "i"}
    assert "target" not in allowed["attributes"]["a"]
    headings = {f"heading{tag[1]}" for tag in ALLOWED_TAGS if re.fullmatch(r"h\d", tag)}
    assert {name for name in BUTTON_LABELS if name.startswith("heading")} == headings


def test_statement_posted_without_the_editor_is_cleaned_by_the_server(client, editor):
    statement = make_statement(title="Raw", slug="raw", language="en")
    assert save_in_admin(client, statement, body=RAW).status_code == 302
    statement.refresh_from_db()
    assert statement.body == RAW_SAVED
    assert clean_body(statement.body) == statement.body


def test_page_posted_without_the_editor_is_cleaned_by_the_server(client, editor):
    data = {"slug": "mission", "language": "en", "title": "Our mission", "body": RAW, "_save": "1"}
    assert client.post(reverse("admin:pages_page_add"), data).status_code == 302
    assert Page.objects.get(slug="mission").body == RAW_SAVED


def test_empty_link_title_left_by_the_link_dialog_is_dropped():
    assert clean_body('<p><a href="https://example.org/" title="">x</a></p>') == (
        '<p><a href="https://example.org/">x</a></p>'
    )
    assert clean_body('<p><a href="https://example.org/" title="More">x</a></p>') == (
        '<p><a href="https://example.org/" title="More">x</a></p>'
    )


def test_public_pages_do_not_load_the_editor(client):
    statement = make_statement(title="Public", body="<h2>Heading</h2><p>Text.</p>")
    page = Page.objects.create(slug="mission", language="en", title="Mission", body="<p>Us.</p>")
    for url in (
        statement.get_absolute_url(),
        reverse("statements:home"),
        page.get_absolute_url(),
    ):
        html = client.get(url).content.decode()
        assert "prose" not in html and "body-editor" not in html, url


def test_toolbar_speaks_persian_in_the_persian_admin(client, editor):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fa"
    with translation.override("fa"):
        html = add_form(client, "statements_statement")
        catalog = client.get(reverse("admin:jsi18n")).content.decode()
    assert "قالب‌بندی" in html  # "Formatting", the toolbar's name
    assert "پررنگ (Ctrl+B)" in html and "Bold (Ctrl+B)" not in html
    # The link dialog's words come from the admin's JavaScript catalog.
    for english in ("Edit Link", "URL", "Update"):
        assert f'"{english}": "' in catalog, english
