"""The comment text pipeline, one rule per test: normalise, escape, link, paragraphs.

No database and no Django settings: comments.formatting is a pure function.
"""

import ast
from pathlib import Path

import pytest

from comments.formatting import LINK_TEXT_MAX, normalise, render_comment


def link(href, text=None, title=None):
    """The <a> element render_comment writes, for expected outputs."""
    title_attribute = f' title="{title}"' if title else ""
    attributes = f'href="{href}" rel="nofollow ugc noopener"{title_attribute} dir="ltr"'
    return f"<a {attributes}>{text or href}</a>"


def para(*lines):
    return '<p dir="auto">' + "<br>\n".join(lines) + "</p>"


# --- The module ---------------------------------------------------------------------------------


def test_formatting_imports_only_the_standard_library():
    source = Path(__file__).resolve().parents[1] / "comments" / "formatting.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module.split(".")[0])
    assert imported <= {"html", "re", "unicodedata"}


# --- 1. Normalise -------------------------------------------------------------------------------


def test_crlf_and_cr_become_newlines():
    assert normalise("a\r\nb\rc") == "a\nb\nc"
    assert render_comment("a\r\nb\rc") == para("a", "b", "c")


def test_control_characters_are_removed_except_newline_and_tab():
    assert normalise("a\x00b\x07c\x1bd\x7fe\x85f\x9fg\th\ni") == "abcdefg\th\ni"


def test_bidi_embedding_override_and_isolate_controls_are_removed():
    assert normalise("a\u202ab\u202bc\u202cd\u202de\u202ef\u2066g\u2067h\u2068i\u2069j") == (
        "abcdefghij"
    )


def test_bidi_marks_stay():
    shalom = "\u05e9\u05dc\u05d5\u05dd"
    assert normalise(f"\u200f{shalom}\u200e") == f"\u200f{shalom}\u200e"


def test_lone_surrogates_are_removed():
    assert normalise("a\ud800b\udfffc") == "abc"


def test_surrounding_whitespace_is_trimmed():
    assert render_comment(" \n\t\u00a0 Hello \n\n ") == para("Hello")


def test_blank_comment_renders_as_nothing():
    assert render_comment("") == ""
    assert render_comment(" \n\n\t\x00 ") == ""


# --- 2. Escape ----------------------------------------------------------------------------------


def test_markup_is_shown_as_text():
    assert render_comment("<script>alert(1)</script>") == para(
        "&lt;script&gt;alert(1)&lt;/script&gt;"
    )


def test_every_character_html_gives_meaning_to_is_escaped():
    assert render_comment("& < > \" '") == para("&amp; &lt; &gt; &quot; &#x27;")


def test_entities_typed_by_the_reader_are_shown_as_typed():
    assert render_comment("&amp; &lt;b&gt; &#106;") == para(
        "&amp;amp; &amp;lt;b&amp;gt; &amp;#106;"
    )


# --- 3. Link: what becomes a link -----------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "http://example.org",
        "https://example.org/",
        "ftp://ftp.example.org/pub/file.txt",
    ],
)
def test_http_https_and_ftp_addresses_become_links(address):
    assert render_comment(f"See {address} now") == para(f"See {link(address)} now")


def test_scheme_is_lowercased_in_href_and_shown_as_typed():
    assert render_comment("HTTPS://Example.org/") == para(
        link("https://Example.org/", "HTTPS://Example.org/")
    )


def test_user_info_port_path_query_and_fragment_stay_in_the_link():
    address = "https://user:secret@example.org:8443/a/b.html?x=1&y=2#part"
    escaped = address.replace("&", "&amp;")
    assert render_comment(address) == para(link(escaped))


def test_unicode_domain_is_linked_with_the_address_as_typed_in_href():
    assert render_comment("http://bücher.example/straße") == para(
        link("http://bücher.example/straße")
    )
    assert render_comment("https://пример.рф/") == para(link("https://пример.рф/"))


def test_punycode_domain_is_linked():
    assert render_comment("https://xn--bcher-kva.example/") == para(
        link("https://xn--bcher-kva.example/")
    )


def test_ipv4_host_is_linked():
    assert render_comment("http://192.0.2.1:8080/status") == para(
        link("http://192.0.2.1:8080/status")
    )


@pytest.mark.parametrize(
    "text",
    [
        "http://256.1.1.1/",
        "http://010.1.1.1/",
        "http://01.1.1.1/",
        "http://1.1.1.01/",
        "http://0x7f.0.0.1/",
        "http://1113982867/",
    ],
)
def test_host_that_is_not_plain_dotted_decimal_ipv4_is_not_linked(text):
    assert render_comment(text) == para(text)


def test_bare_www_address_is_linked_with_https_prefix():
    assert render_comment("Visit www.example.org/about today") == para(
        f"Visit {link('https://www.example.org/about', 'www.example.org/about')} today"
    )


def test_email_address_becomes_mailto_link():
    assert render_comment("Write to first.last+news@example.org.") == para(
        f"Write to {link('mailto:first.last+news@example.org', 'first.last+news@example.org')}."
    )


def test_email_address_with_unicode_domain_is_linked():
    assert render_comment("info@bücher.example") == para(
        link("mailto:info@bücher.example", "info@bücher.example")
    )


@pytest.mark.parametrize(
    "text",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "javascript :alert(1)",
        "java\tscript:alert(1)",
        "java\x00script:alert(1)",
        "&#106;avascript:alert(1)",
        "&#x6A;avascript:alert(1)",
        "%6Aavascript:alert(1)",
        "javascript&colon;alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox(1)",
        "VBSCRIPT:msgbox(1)",
        "file:///etc/passwd",
        "mailto:",
        "tel:+15551234567",
        "sftp://example.org/",
        "news://example.org",
        "//example.org/",
    ],
    # Ids without control characters: pytest escapes those, and then cannot select the test.
    ids=lambda text: text.replace("\t", "<TAB>").replace("\x00", "<NUL>"),
)
def test_other_schemes_never_become_links(text):
    assert "<a " not in render_comment(text)


def test_address_after_another_scheme_is_linked_with_its_own_scheme():
    # "javascript:...//http://..." must link only the http part, never the whole.
    assert render_comment("javascript:alert(1)//http://example.org/") == para(
        f"javascript:alert(1)//{link('http://example.org/')}"
    )


@pytest.mark.parametrize(
    "text", ["setup.py", "version 1.2.3", "e.g. this.that", "node.js", "example.org", "a.b.c.d"]
)
def test_file_names_version_numbers_and_dotted_words_are_not_links(text):
    assert render_comment(text) == para(text)


@pytest.mark.parametrize(
    "text",
    ["http://localhost/", "http://intranet:8000/", "www.example", "user@localhost", "a@b.c"],
)
def test_host_without_a_real_top_level_domain_is_not_linked(text):
    assert render_comment(text) == para(text)


def test_scheme_glued_to_a_word_is_no_scheme():
    assert render_comment("foohttp://example.org/") == para("foohttp://example.org/")


def test_address_right_after_cjk_text_is_linked():
    comma = "\uff0c"  # full-width
    assert render_comment(f"请访问https://example.cn/{comma}谢谢") == para(
        f"请访问{link('https://example.cn/')}{comma}谢谢"
    )


# --- 3. Link: boundaries --------------------------------------------------------------------------


@pytest.mark.parametrize("mark", [".", ",", "!", "?", ";", ":", "'", "...", "?!", ".'"])
def test_trailing_punctuation_stays_outside_the_link(mark):
    escaped = mark.replace("'", "&#x27;")
    assert render_comment(f"https://example.org/page{mark}") == para(
        link("https://example.org/page") + escaped
    )


@pytest.mark.parametrize(
    "opening, closing",
    [("\u201c", "\u201d"), ("\u2018", "\u2019"), ("\u00ab", "\u00bb"), ("\u201e", "\u201c")],
    ids=["double", "single", "guillemets", "german"],
)
def test_closing_quotes_stay_outside_the_link(opening, closing):
    assert render_comment(f"{opening}https://example.org/{closing}") == para(
        f"{opening}{link('https://example.org/')}{closing}"
    )


def test_closing_parenthesis_stays_outside_the_link():
    assert render_comment("(see https://example.org/page)") == para(
        f"(see {link('https://example.org/page')})"
    )


def test_balanced_parentheses_stay_in_the_link():
    address = "https://en.wikipedia.org/wiki/Foo_(bar)"
    assert render_comment(address) == para(link(address))
    assert render_comment(f"({address})") == para(f"({link(address)})")


def test_square_brackets_around_an_address_stay_outside():
    assert render_comment("[https://example.org/]") == para(f"[{link('https://example.org/')}]")


def test_balanced_square_brackets_stay_in_the_link():
    address = "https://example.org/?class[]=1"
    assert render_comment(f"[{address}]") == para(f"[{link(address)}]")


@pytest.mark.parametrize(
    "text, escaped_opening, escaped_closing",
    [
        ("<https://example.org/>", "&lt;", "&gt;"),
        ('"https://example.org/"', "&quot;", "&quot;"),
        ("'https://example.org/'", "&#x27;", "&#x27;"),
    ],
    ids=["angle", "double", "single"],
)
def test_escaped_brackets_and_quotes_around_an_address_stay_outside(
    text, escaped_opening, escaped_closing
):
    assert render_comment(text) == para(
        escaped_opening + link("https://example.org/") + escaped_closing
    )


def test_ampersand_in_a_query_is_escaped_exactly_once():
    assert render_comment("https://example.org/?a=1&b=2") == para(
        link("https://example.org/?a=1&amp;b=2")
    )


def test_addresses_never_span_lines_or_spaces():
    assert render_comment("https://example.org/a\nb c") == para(
        link("https://example.org/a"), "b c"
    )


def test_invisible_characters_end_an_address():
    assert render_comment("https://example.org/\u200bevil") == para(
        link("https://example.org/") + "\u200bevil"
    )


# --- 3. Link: attributes and text -----------------------------------------------------------------


def test_every_link_has_rel_nofollow_ugc_noopener():
    output = render_comment("http://a.example www.b.example c@d.example")
    assert output.count("<a ") == 3
    assert output.count('rel="nofollow ugc noopener"') == 3


def test_long_link_text_is_shortened_with_the_full_address_in_href_and_title():
    address = "https://example.org/" + "x" * 100
    shortened = address[: LINK_TEXT_MAX - 1] + "…"
    assert len(shortened) == LINK_TEXT_MAX
    assert render_comment(address) == para(link(address, shortened, title=address))


def test_link_text_at_the_limit_is_not_shortened():
    address = "https://example.org/" + "x" * (LINK_TEXT_MAX - len("https://example.org/"))
    assert render_comment(address) == para(link(address))


def test_title_of_a_shortened_link_is_escaped():
    address = "https://example.org/?q=" + "a&b'c" * 20
    output = render_comment(address)
    escaped = address.replace("&", "&amp;").replace("'", "&#x27;")
    assert f'href="{escaped}"' in output and f'title="{escaped}"' in output


# --- 4. Paragraphs ------------------------------------------------------------------------------


def test_single_newline_becomes_br():
    assert render_comment("one\ntwo") == para("one", "two")


def test_blank_line_starts_a_new_paragraph():
    assert render_comment("one\n\ntwo") == para("one") + "\n" + para("two")


def test_runs_of_blank_lines_collapse():
    assert render_comment("one\n\n\n\n\ntwo") == para("one") + "\n" + para("two")


def test_lines_of_only_whitespace_count_as_blank():
    assert render_comment("one\n \t \n\u00a0\ntwo") == para("one") + "\n" + para("two")
