"""The allow-list for staff-written statement bodies.

Editors paste HTML from word processors and e-mails. Only structural markup survives:
paragraphs, headings, emphasis, links, lists and quotations. Scripts and styles are removed
with their content; every other element is dropped but its text kept; event handlers and
`javascript:` links never survive. A body with no block markup at all (text pasted as-is)
has its blank-line-separated paragraphs turned into `<p>` elements.
"""

import html
import re

import bleach
from django.utils.html import strip_tags

ALLOWED_TAGS = frozenset(
    {"p", "br", "h2", "h3", "h4", "strong", "em", "b", "i", "a", "ul", "ol", "li", "blockquote"}
)


def _allowed_link_attribute(tag, name, value):
    # An empty title (the editor's link dialog leaves one when its field is not filled in)
    # says nothing: dropped.
    return name == "href" or (name == "title" and bool(value.strip()))


ALLOWED_ATTRIBUTES = {"a": _allowed_link_attribute}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Elements whose content is code, not text: dropped whole before the allow-list runs (bleach
# alone would keep "alert(1)" as visible text). Only staff write bodies, so the lazy match is
# not exposed to hostile input; bleach still escapes whatever this misses.
_CODE_ELEMENTS = re.compile(
    r"<(script|style|template|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL
)
_BLOCK_TAG = re.compile(r"<(p|h[2-4]|ul|ol|blockquote)\b", re.IGNORECASE)
_BLANK_LINES = re.compile(r"\n\s*\n")


def clean_body(html: str) -> str:
    """Return the allow-listed form of a statement body; cleaning its output changes nothing."""
    html = _CODE_ELEMENTS.sub("", html.replace("\r\n", "\n").replace("\r", "\n"))
    cleaned = bleach.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    ).strip()
    if cleaned and not _BLOCK_TAG.search(cleaned):
        paragraphs = (p.strip() for p in _BLANK_LINES.split(cleaned))
        cleaned = "\n".join(f"<p>{p.replace(chr(10), '<br>')}</p>" for p in paragraphs if p)
    return cleaned


def plain_text(body: str) -> str:
    """Return the text of a cleaned body, for search: tags gone, entities decoded.

    Every tag becomes a space first, so "<p>one</p><p>two</p>" reads "one two", not "onetwo".
    Only for the output of ``clean_body`` (where a "<" is always a tag); never shown as HTML.
    """
    return html.unescape(strip_tags(body.replace("<", " <")))
