"""Staff-written bodies keep their structure and lose anything that could run."""

import pytest

from statements.markup import clean_body
from tests.builders import make_statement


def test_script_element_is_removed_with_its_content():
    assert clean_body("<p>Hi</p><script>alert(1)</script>") == "<p>Hi</p>"


def test_style_element_is_removed_with_its_content():
    assert clean_body("<style>body{display:none}</style><p>Hi</p>") == "<p>Hi</p>"


def test_event_handlers_are_removed():
    assert clean_body(
        '<p onclick="alert(1)">Hi <a href="https://x.org" onmouseover="x()">x</a></p>'
    ) == ('<p>Hi <a href="https://x.org">x</a></p>')


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "data:text/html,x"],
)
def test_javascript_and_data_links_lose_their_address(href):
    assert "href" not in clean_body(f'<p><a href="{href}">x</a></p>')


def test_allowed_structure_is_kept():
    html = (
        "<h2>Heading</h2><p><strong>bold</strong> <em>it</em></p>"
        "<ul><li>one</li></ul><ol><li>two</li></ol><blockquote><p>quote</p></blockquote>"
    )
    assert clean_body(html) == html


def test_unknown_elements_are_dropped_but_their_text_kept():
    assert clean_body("<p><span style='color:red'>kept</span> <iframe src=x></iframe></p>") == (
        "<p>kept </p>"
    )


def test_plain_text_paragraphs_become_paragraphs():
    assert clean_body("First line\nsame paragraph.\n\n\nSecond & last.") == (
        "<p>First line<br>same paragraph.</p>\n<p>Second &amp; last.</p>"
    )


def test_cleaning_twice_changes_nothing():
    once = clean_body("Plain <b>text</b>\n\nwith <script>x</script> two paragraphs")
    assert clean_body(once) == once


@pytest.mark.django_db
def test_body_is_cleaned_when_a_statement_is_saved():
    statement = make_statement(body='<p onclick="steal()">Text</p><script>alert(1)</script>')
    statement.refresh_from_db()
    assert statement.body == "<p>Text</p>"


@pytest.mark.django_db
def test_pasted_script_never_reaches_the_page(client):
    statement = make_statement(
        body="<p>Fine</p><script>alert('x')</script><img src=x onerror=alert(1)>"
    )
    content = client.get(statement.get_absolute_url()).content.decode()
    assert "alert" not in content
    assert "onerror" not in content
