"""The canonical plain-text form of a statement, and its fingerprint.

Anyone holding a copy of a statement can check it against the original with standard tools:
each published revision is offered as a plain-text file in exactly this form, and its
fingerprint is the SHA-256 of that file's bytes (`curl -s URL | sha256sum`).

The form, in UTF-8 (Unicode NFC), lines ending in LF, the file ending in one LF:

    <title>
    <date: the statement's date, YYYY-MM-DD, in the site's time zone>
                                               (one empty line)
    <body, as plain text: one paragraph per block, blocks separated by one empty line>
                                               (one empty line)
    --
    <signatory>                                (one line each, in their order)
    <signatory> (<YYYY-MM-DD>)                 (one that joined after the statement's date)

- Body: paragraphs, headings, list items and quotations each become a block; a line break
  (`<br>`) stays a line break; list items start with "- " (unordered) or "1. " (ordered);
  links keep their text only. Character references are decoded.
- Within a line, runs of white space (including no-break spaces) become one space, and
  lines are trimmed. Zero-width joiners and non-joiners (used in Persian) are kept.
- A signatory line is the organization's name, preceded by its "signed as" words when it
  has them ("Political-Executive Boards of United Republicans of Iran").

The converter is our own (the standard library's HTMLParser over the already-cleaned body)
rather than a library such as html2text: fingerprints must stay the same for years, so the
form cannot depend on another project's formatting choices. The text of each revision is
also stored as it was fingerprinted (statements.models.PublicRevision), so a later change
here never alters a published fingerprint.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from html.parser import HTMLParser

SIGNATORIES_MARK = "--"
# Python's \s covers the no-break and other Unicode spaces; ZWNJ/ZWJ are not spaces.
_SPACES = re.compile(r"[^\S\n]+")
_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "ul", "ol", "div"}


@dataclass(frozen=True)
class Signatory:
    name: str
    signed_as: str = ""
    joined_on: date | None = None  # only for an organization that joined later

    def line(self):
        text = f"{self.signed_as} {self.name}" if self.signed_as else self.name
        text = normalize_line(text)
        return f"{text} ({self.joined_on.isoformat()})" if self.joined_on else text


@dataclass(frozen=True)
class Parts:
    """The parts of a statement that the canonical form covers, already as plain text."""

    title: str
    date: date
    body: str
    signatories: tuple[str, ...]


def normalize_line(text):
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


class _PlainText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.current = []
        self.lists = []  # a stack of [kind, counter]

    def flush(self):
        lines = (normalize_line(line) for line in "".join(self.current).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.current.append("\n")
        elif tag in _BLOCKS:
            self.flush()
            if tag in ("ul", "ol"):
                self.lists.append([tag, 0])
            elif tag == "li" and self.lists:
                kind = self.lists[-1]
                kind[1] += 1
                self.current.append("- " if kind[0] == "ul" else f"{kind[1]}. ")

    def handle_endtag(self, tag):
        if tag in _BLOCKS:
            self.flush()
            if tag in ("ul", "ol") and self.lists:
                self.lists.pop()

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        # Source line breaks inside a paragraph are only white space in HTML.
        self.current.append(data.replace("\n", " "))


def plain_text(body_html):
    """The body as plain text: blocks separated by one empty line (see the module's rules)."""
    parser = _PlainText()
    parser.feed(body_html)
    parser.close()
    parser.flush()
    return "\n\n".join(parser.blocks)


def canonical_text(parts):
    """The canonical form of `parts` (a `Parts`), as the exact text that is fingerprinted."""
    sections = [f"{normalize_line(parts.title)}\n{parts.date.isoformat()}"]
    if parts.body:
        sections.append(parts.body)
    sections.append("\n".join([SIGNATORIES_MARK, *parts.signatories]))
    return unicodedata.normalize("NFC", "\n\n".join(sections)) + "\n"


def fingerprint(text):
    """SHA-256 of the text's UTF-8 bytes, in hexadecimal, as `sha256sum` prints it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
