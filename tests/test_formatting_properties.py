"""Properties of render_comment over arbitrary and hostile text (hypothesis).

The checks at the top are shared with tests/test_formatting_corpus.py: whatever a reader types,
the output holds only p, br and a, links carry only safe schemes, the visible text is the text
typed, and the allow-list pass (bleach.clean) changes nothing. Speed targets are checked by
``python -m bench.formatting``; the bound here is a loose guard against runaway inputs.
"""

import re
import time
import unicodedata
from html.parser import HTMLParser

import bleach
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from comments.formatting import LINK_REL, LINK_TEXT_MAX, normalise, render_comment

SAFE_SCHEMES = ("http://", "https://", "ftp://", "mailto:")

# --- Checks shared with the corpus tests --------------------------------------------------------


class Fragment(HTMLParser):
    """A rendered fragment as a browser sees it: elements, links and visible text."""

    def __init__(self, html_text):
        super().__init__(convert_charrefs=True)
        self.start_tags = []  # (tag, [(name, value), ...]) in document order
        self.other_markup = []  # comments, declarations, processing instructions, <x/>
        self.links = []  # (attributes, link text)
        self._pieces = []
        self._link = None
        self.feed(html_text)
        self.close()

    @property
    def text(self):
        """The visible text, with each shortened link text replaced by its full title."""
        return "".join(self._pieces)

    def handle_starttag(self, tag, attrs):
        self.start_tags.append((tag, attrs))
        if tag == "a":
            self._link = (dict(attrs), [])

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            attributes, pieces = self._link
            text = "".join(pieces)
            self.links.append((attributes, text))
            self._pieces.append(attributes.get("title", text))
            self._link = None

    def handle_data(self, data):
        (self._link[1] if self._link else self._pieces).append(data)

    def handle_startendtag(self, tag, attrs):
        self.other_markup.append(f"<{tag}/>")

    def handle_comment(self, data):
        self.other_markup.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.other_markup.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.other_markup.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.other_markup.append(f"<![{data}]>")


def expected_text(text):
    """The text a reader should see: what they typed without the characters normalise drops."""
    return "".join(char for char in text if not _dropped(char))


def _dropped(char):
    category = unicodedata.category(char)
    return (
        (category == "Cc" and char not in "\n\t")
        or category == "Cs"
        or "\u202a" <= char <= "\u202e"
        or "\u2066" <= char <= "\u2069"
    )


def squeeze(text):
    return "".join(text.split())


def allow_list_pass(output):
    return bleach.clean(
        output,
        tags={"p", "br", "a"},
        attributes={"a": ["href", "rel", "title", "dir"], "p": ["dir"]},
        protocols={"http", "https", "ftp", "mailto"},
        strip=False,
    )


def assert_only_allowed_markup(output):
    fragment = Fragment(output)
    assert fragment.other_markup == []
    for tag, attrs in fragment.start_tags:
        names = [name for name, _ in attrs]
        if tag == "a":
            assert names in (["href", "rel", "dir"], ["href", "rel", "title", "dir"]), attrs
            assert dict(attrs)["dir"] == "ltr"
        elif tag == "p":
            assert attrs == [("dir", "auto")], attrs
        else:
            assert tag == "br" and names == [], (tag, attrs)


def assert_only_safe_links(output):
    for attributes, text in Fragment(output).links:
        href = attributes["href"]
        assert href.startswith(SAFE_SCHEMES), href
        assert attributes["rel"] == LINK_REL
        address = attributes.get("title", text)
        if "title" in attributes:
            assert len(address) > LINK_TEXT_MAX
            assert text == address[: LINK_TEXT_MAX - 1] + "…"
        else:
            assert len(text) <= LINK_TEXT_MAX
        assert href in _hrefs_for(address), (href, address)


def _hrefs_for(address):
    """The hrefs an address may have: its own scheme lower-cased, https:// or mailto: before it."""
    hrefs = set()
    scheme, sep, rest = address.partition("://")
    if sep and scheme.lower() in {"http", "https", "ftp"}:
        hrefs.add(f"{scheme.lower()}://{rest}")
    if address[:4].lower() == "www.":
        hrefs.add("https://" + address)
    if "@" in address and "/" not in address:
        hrefs.add("mailto:" + address)
    return hrefs


def assert_visible_text_is(source, output):
    assert squeeze(Fragment(output).text) == squeeze(expected_text(source))


def assert_allow_list_pass_is_a_no_op(output):
    assert allow_list_pass(output) == output


def assert_inert(source, output):
    """Everything the corpus and the properties require of a rendered comment."""
    assert_only_allowed_markup(output)
    assert_only_safe_links(output)
    assert_visible_text_is(source, output)
    assert_allow_list_pass_is_a_no_op(output)


# --- Strategies ---------------------------------------------------------------------------------

FRAGMENTS = [
    # schemes, real and hostile
    "http://", "https://", "HTTPS://", "ftp://", "www.", "WWW.", "//", "mailto:",
    "javascript:", "JaVaScRiPt:", "java\tscript:", "data:text/html,", "vbscript:", "file:///",
    # hosts and addresses
    "example.org", "bücher.de", "пример.рф", "例え.テスト", "हिन्दी.भारत", "xn--bcher-kva.example",
    "192.168.0.1", "999.1.1.1", "localhost", "a.b", "setup.py", "1.2.3", "user:pass@", "user@",
    "@", "a@b.cc", "first.last+tag@example.org", "x@例え.jp",
    # address parts
    "/", "/path", "/wiki/Foo_(bar)", "?a=1&b=2", "#frag", ":8080", "%3C", "%22", "%",
    # punctuation, brackets, quotes
    ".", ",", "!", "?", ";", ":", "'", '"', "(", ")", "[", "]", "{", "}", "<", ">", "`", "\\",
    "|", "^", "~", "*", "=", "-", "_", "\u201c", "\u201d", "\u2018", "\u2019",
    "\u00ab", "\u00bb", "\u2026", "\uff0c", "\u3002",
    # Persian: comma, semicolon, question mark, a word with a zero-width non-joiner, a path
    "\u060c", "\u061b", "\u061f", "\u200c", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "/fa/\u0628\u06cc\u0627\u0646\u06cc\u0647", "\u06f1\u06f3\u06f9\u06f9",
    # entities typed as text
    "&", "&amp;", "&amp;amp;", "&lt;", "&#106;", "&#x27;", "&quot;", "&colon;",
    # whitespace and line breaks
    " ", "  ", "\t", "\n", "\n\n", "\n \n", "\r\n", "\r", "\u00a0", "\u3000", "\u2028",
    # control, bidi and invisible characters
    "\x00", "\x07", "\x1b", "\x7f", "\x85", "\u202e", "\u202a", "\u2066", "\u2069", "\u200e",
    "\u200f", "\u061c", "\u200b", "\u200d", "\ufeff", "\u00ad",
    # combining marks and astral characters
    "\u0301", "e\u0301", "\u093f", "😀", "👩\u200d👩\u200d👧", "\U0001d400", "\U0001f1fa\U0001f1f8",
    "\U000e0041",
    # markup
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"onmouseover="alert(1)',
    '<a href="javascript:alert(1)">x</a>', "<!--", "-->", "<![CDATA[", "<br>", "</p>", "<p>",
]  # fmt: skip

HOSTS = [
    "example.org", "www.example.org", "bücher.de", "пример.испытание", "例え.テスト", "हिन्दी.भारत",
    "xn--bcher-kva.example", "192.0.2.1", "256.0.0.1", "localhost", "a.b", "-x.org", "x..org",
]  # fmt: skip
piece = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=3))
address = st.builds(
    lambda scheme, userinfo, host, parts: scheme + userinfo + host + "".join(parts),
    st.sampled_from(
        [
            "http://",
            "https://",
            "HtTp://",
            "ftp://",
            "www.",
            "javascript://",
            "data:",
            "vbscript:",
            "",
        ]
    ),
    st.sampled_from(["", "", "", "user@", "user:pass@"]),
    st.sampled_from(HOSTS),
    st.lists(piece, max_size=8),
)
email = st.builds(
    lambda local, host: f"{local}@{host}",
    st.sampled_from(["a", "first.last+tag", "x_y", "josé", ".dot", "a..b", "<x", '"q"']),
    st.sampled_from(HOSTS),
)
url_shaped = st.lists(st.one_of(address, email, piece), max_size=20).map("".join)
comment_text = st.one_of(url_shaped, url_shaped, st.text())
# Up to the maximum comment length and a little beyond: a few fragments repeated many times,
# the shape of most inputs that make regular expressions backtrack.
long_text = st.builds(
    lambda parts, times: ("".join(parts) * times)[:6000],
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=4),
    st.integers(min_value=1, max_value=6000),
)
quick = settings(max_examples=400, deadline=None)


# --- Properties ---------------------------------------------------------------------------------


@quick
@given(comment_text)
def test_output_has_only_p_br_and_a_with_href_rel_title(text):
    assert_only_allowed_markup(render_comment(text))


@quick
@given(comment_text)
def test_links_use_only_safe_schemes_and_point_where_their_text_says(text):
    assert_only_safe_links(render_comment(text))


@quick
@given(comment_text)
def test_visible_text_equals_the_text_typed(text):
    assert_visible_text_is(text, render_comment(text))


@quick
@given(comment_text)
def test_nothing_is_escaped_twice(text):
    if "&amp;" not in expected_text(text):
        assert "&amp;amp;" not in render_comment(text)


@quick
@given(comment_text)
def test_allow_list_pass_leaves_the_output_unchanged(text):
    assert_allow_list_pass_is_a_no_op(render_comment(text))


_TEXT = r"(?:[^<>&\"'\n]|&(?:amp|lt|gt|quot|#x27);)"
_VALUE = r"(?:[^<>&\"'\s]|&(?:amp|#x27);)"
_LINK = (
    rf'<a href="(?:https?://|ftp://|mailto:){_VALUE}+" rel="{LINK_REL}"'
    rf'(?: title="{_VALUE}+")? dir="ltr">{_TEXT}+</a>'
)
_LINE = rf"(?:{_TEXT}|{_LINK})+"
_PARAGRAPH = rf'<p dir="auto">{_LINE}(?:<br>\n{_LINE})*</p>'
FRAGMENT_GRAMMAR = re.compile(rf"(?:{_PARAGRAPH}(?:\n{_PARAGRAPH})*)?")


@quick
@given(comment_text)
def test_output_follows_the_fragment_grammar(text):
    assert FRAGMENT_GRAMMAR.fullmatch(render_comment(text))


@quick
@given(comment_text)
def test_rendering_normalised_text_changes_nothing(text):
    # The comment form stores normalise(text); the stored HTML must not depend on that.
    assert normalise(normalise(text)) == normalise(text)
    assert render_comment(normalise(text)) == render_comment(text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_text)
def test_long_hostile_input_renders_safely(text):
    output = render_comment(text)
    assert FRAGMENT_GRAMMAR.fullmatch(output)
    assert_visible_text_is(text, output)


# Timing alone, so that `make mutate` can leave it out: on a loaded machine a pause of the
# process would count as a killed mutant (mutmut's own timeout catches a mutant that is slow).
# The thread's CPU time, not the clock's: a backtracking linker burns CPU for seconds, while a
# busy machine only pauses the test (CI once failed here at 0.48 s of the clock, beside a bench).
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(long_text)
def test_long_hostile_input_renders_quickly(text):
    started = time.thread_time()
    render_comment(text)
    assert time.thread_time() - started < 0.25  # loose: bench.formatting checks 50 ms


# --- Inert links: a pending comment as its author sees it ----------------------------------------

_LINK_START = re.compile(
    rf'<a href="{_VALUE}+" rel="{LINK_REL}"((?: title="{_VALUE}+")? dir="ltr")>'
)


def with_inert_links(output):
    """`output` with each link made the span that stands for it until the comment is approved."""
    return _LINK_START.sub(r'<span class="inert-link"\1>', output).replace("</a>", "</span>")


def assert_no_link(output):
    fragment = Fragment(output)
    assert fragment.links == []
    assert all(name != "href" for _, attrs in fragment.start_tags for name, _ in attrs)


@quick
@given(comment_text)
def test_inert_rendering_reads_as_the_rendering_with_no_address_a_link(text):
    inert = render_comment(text, links=False)
    assert inert == with_inert_links(render_comment(text))
    assert_no_link(inert)
