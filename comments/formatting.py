"""Turn the text a reader typed into a small, safe HTML fragment.

``render_comment`` is the public entry point; ``normalise``, its first step, is public too, for
the comment form. Both are pure: no models, no request, no Django. The steps run in this order:

1. Normalise: CRLF and CR become LF; control characters other than newline and tab are removed,
   and so are the bidirectional embedding, override and isolate controls (U+202A-U+202E,
   U+2066-U+2069), which could make a link read as a different address than the one it opens;
   lone surrogates, which cannot be stored or sent, go too. Surrounding whitespace is trimmed.
2. Escape every character HTML gives meaning to (``& < > " '``) with ``html.escape``: markup a
   reader types is shown as text, never removed and never interpreted.
3. Link web addresses (``http://``, ``https://``, ``ftp://``, bare ``www.``) and e-mail
   addresses. Nothing else becomes a link, and every ``href`` starts literally with
   ``http://``, ``https://``, ``ftp://`` or ``mailto:``.
4. Paragraphs: a blank line starts a new ``<p>``, a single newline becomes ``<br>``.

Two directions: every paragraph carries ``dir="auto"``, so a Persian paragraph reads right to
left and an English one left to right, each by its own first strong letter; every link carries
``dir="ltr"``, which also isolates it (an element with ``dir`` is a bidirectional isolate), so an
address keeps its left-to-right order inside right-to-left text ("https://example.org/fa/بیانیه"
reads as typed, not "/https://example.org/fa" with the Persian word moved away). The Persian
and Arabic comma, semicolon and question mark (``، ؛ ؟``) end an address the way ``, ; ?`` do,
and the guillemets ``« »`` the way ``"`` does; the zero-width non-joiner that Persian writes
inside words ("می‌خواهم") is kept, in the text and in the path of an address.

Steps 2 and 3 run as one pass: addresses are found in the normalised, unescaped text, and every
piece of it, plain text and address alike, is escaped exactly once as it is written out. That is
the same as escaping first and linking after, without ever seeing ``&amp;`` where the reader
typed ``&``.

Why not bleach's ``linkify``: measured on this project's machines, ``html.escape`` followed by
``bleach.linkify(parse_email=True)`` takes close to a second on some 5,000-character comments
(a long word, a URL followed by letters, ``a-`` repeated), because its URL and e-mail patterns
backtrack, and it does not link IDN domains. Any visitor could pin a server process with it.
The linker below scans with one regular expression whose alternatives all start at a fixed
anchor (a scheme, ``www.``, or the ``@`` after a run of name characters) and use possessive
quantifiers, so nothing backtracks; hosts are then checked in plain Python. Every character is
examined a bounded number of times, so the time grows linearly with the length of the text (see
``python -m bench.formatting``).

Output format, fixed so that an allow-list pass leaves it unchanged: ``<p dir="auto">`` elements
separated by ``\\n``, lines inside a paragraph joined by ``<br>\\n``, links written as
``<a href="..." rel="nofollow ugc noopener" dir="ltr">``, with ``title="..."`` before ``dir``
holding the full address when the link text is shortened to ``LINK_TEXT_MAX`` characters with
``…``. Text and attribute values are escaped by ``html.escape`` (``'`` becomes ``&#x27;``). An
``href`` keeps the address exactly as typed, Unicode host names included (the browser applies
IDNA itself, so the link goes where typing the address would), with only the scheme lower-cased,
``https://`` put before a bare ``www.`` address and ``mailto:`` before an e-mail address.

Inert links (``links=False``): a comment awaiting moderation is shown to its author as it will
read once published, but its addresses must not work yet: its page can be passed around, and a
spammer could get a reader to click an address no moderator has looked at. Each address is then
written as ``<span class="inert-link" dir="ltr">`` with the same text (and the same ``title``
when shortened): the same steps, the same look, and no ``href`` anywhere.

The allow-list pass (``bleach.clean`` with only ``p`` with ``dir``, ``br``, and ``a`` with
``href``, ``rel``, ``title`` and ``dir``) runs in the tests, over the XSS corpus and in the
property tests, and must return the output unchanged. It does not run here at runtime: the
fragment is assembled from a closed set of pieces, so the pass could not change it, and it would
double the cost of rendering.
"""

import html
import re
import unicodedata

__all__ = ["LINK_REL", "LINK_TEXT_MAX", "normalise", "render_comment"]

LINK_REL = "nofollow ugc noopener"
LINK_TEXT_MAX = 72


def render_comment(text: str, *, links: bool = True) -> str:
    """Return ``text`` as an HTML fragment of ``p``, ``br`` and ``a`` elements, safe to mark safe.

    With ``links=False`` the addresses are inert ``span`` elements instead of ``a`` (see the
    module's docstring). Time is linear in the length of ``text``; no length cap is applied or
    needed here.
    """
    text = normalise(text)
    html_text = _escape_and_link(text, _link if links else _inert_link)
    return _paragraphs(html_text)


# --- 1. Normalise -------------------------------------------------------------------------------

_LINE_ENDINGS = re.compile(r"\r\n?")
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def normalise(text: str) -> str:
    """Return ``text`` with LF line endings, without control characters, trimmed (step 1).

    Newline and tab stay. The comment form uses it too, so that the length a reader is held to
    is the length of what is stored and rendered.
    """
    text = _LINE_ENDINGS.sub("\n", text)
    return _UNWANTED.sub("", text).strip()


# --- 2 and 3. Escape and link -------------------------------------------------------------------


# Where the combining marks are: none below U+0300, none from U+1F000 to U+E00FF, none after the
# variation selectors U+E0100-U+E01EF (a test holds this against the whole Unicode database).
_MARK_BLOCKS = (range(0x300, 0x1F000), range(0xE0100, 0xE01F0))


def _mark_ranges(blocks=_MARK_BLOCKS):
    """Return the combining marks (category M) in ``blocks`` as the body of a character class.

    Python's ``\\w`` has no combining marks, yet Indic names need them ("भारत" is a TLD); ``re``
    has no ``\\p{M}``, so the class is built once, at import, from the Unicode database (about
    60 ms). It is a function of its blocks, not import-time code, so that a test can build it
    again and mutation testing can reach it; rendering only ever uses the built ``_MARKS``.
    """
    ranges = []
    for block in blocks:
        start = None
        for cp in block:
            if unicodedata.category(chr(cp))[0] == "M":
                start = cp if start is None else start
            elif start is not None:
                ranges.append(f"{chr(start)}-{chr(cp - 1)}")
                start = None
        if start is not None:  # the block ends with a mark
            ranges.append(f"{chr(start)}-{chr(block[-1])}")
    return "".join(ranges)


_MARKS = _mark_ranges()
# Characters that end an address wherever they appear: invisible format characters (they could
# hide part of an address), curly and angle quotes, the ellipsis, CJK and full-width punctuation.
# The zero-width non-joiner (U+200C) is not one: Persian writes it inside words, and paths too.
_STOPS = (
    "\u00ab\u00ad\u00bb\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b\u200d-\u200f\u2018-\u201f"
    "\u2026\u2039\u203a\u2028-\u202e\u2060-\u206f\u3000-\u303f\ufeff\ufff9-\ufffb"
    "\uff01\uff08\uff09\uff0c\uff0e\uff1a\uff1b\uff1f\uff3b\uff3d\uff5b\uff5d\uff61-\uff64"
    "\U000e0000-\U000e007f"
)
_NAME = rf"\w{_MARKS}.+\-"  # what a run of e-mail local-part characters is made of

# Each alternative starts only where a run of name characters starts (the lookbehinds), and its
# quantifiers are possessive, so a failed attempt costs one pass over one run and no more.
# A scheme or "www." glued to an ASCII word ("foohttp://") is no anchor, but one right after a
# CJK character is: those scripts put no space before an address. The small lookaheads come
# first because testing a character against the large _NAME class is slow when it is not in it.
_ANCHOR = re.compile(
    r"(?=[hHfF])(?<![A-Za-z0-9_.+-])(?P<scheme>(?i:https?|ftp)://)"
    rf"|(?=[\w.+-])(?<![{_NAME}@])(?P<local>[{_NAME}]++)@"
    r"|(?=[wW])(?<![A-Za-z0-9_.+/@-])(?P<www>(?i:www)\.)"
)
_USERINFO = re.compile(r"[\w.~!$&'*+,;=:%-]++@")
_HOST = re.compile(rf"[\w{_MARKS}.\-]*+")
_PORT = re.compile(r":([0-9]{1,5})(?![0-9])")
_REST = re.compile(rf"[/?#][^\x00-\x20\x7f-\x9f\s<>\"`{{}}|\\^{_STOPS}]*+")
_IPV4 = re.compile(
    r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}"
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
)
_PUNYCODE_TLD = re.compile(r"xn--[a-z0-9-]+", re.IGNORECASE)
# Punctuation that ends the sentence around an address, not the address: the Persian and Arabic
# comma, semicolon and question mark too, and a zero-width non-joiner left at the end.
_TRAILING = frozenset(".,!?;:'\u060c\u061b\u061f\u200c")
_OPENER = {")": "(", "]": "["}


def _escape_and_link(text, link):
    """Return ``text`` escaped, with each address in it written by ``link(address, href)``."""
    parts = []
    pos = 0
    while match := _ANCHOR.search(text, pos):
        start, end, href = _address_at(text, match)
        if href is None:
            # Not an address: everything up to `end` is plain text, scanning resumes there.
            parts.append(html.escape(text[pos:end]))
        else:
            parts.append(html.escape(text[pos:start]))
            parts.append(link(text[start:end], href))
        pos = end
    parts.append(html.escape(text[pos:]))
    return "".join(parts)


def _address_at(text, match):
    """Return ``(start, end, href)`` for the address at ``match``, or ``(None, resume, None)``."""
    start = match.start()
    if match["scheme"]:
        after = match.end()
        userinfo = _USERINFO.match(text, after)
        host_start = userinfo.end() if userinfo else after
        host_end = _host_end(text, host_start)
        if not _is_host(text[host_start:host_end], min_labels=2, ipv4=True):
            return None, after, None
        end = _path_end(text, start, host_end)
        return start, end, match["scheme"].lower() + text[after:end]
    if match["local"]:
        at = match.end() - 1
        start += len(match["local"]) - len(match["local"].lstrip(".+-"))
        host_end = _host_end(text, at + 1)
        if not (
            _is_local(text[start:at])
            and _is_host(text[at + 1 : host_end], min_labels=2)
            and not text.startswith("@", host_end)  # "a@b.org@c.org" is no address
        ):
            return None, at + 1, None
        return start, host_end, "mailto:" + text[start:host_end]
    host_end = _host_end(text, start)
    if not _is_host(text[start:host_end], min_labels=3):
        # Resuming after the whole host keeps "www.www.www..." linear.
        return None, host_end, None
    end = _path_end(text, start, host_end)
    return start, end, "https://" + text[start:end]


def _host_end(text, pos):
    """Return where the host name starting at ``pos`` ends; a trailing dot or dash is not in it."""
    end = _HOST.match(text, pos).end()
    while end > pos and text[end - 1] in ".-":
        end -= 1
    return end


def _path_end(text, start, host_end):
    """Return where the address ends, given its host: after the port, path, query and fragment."""
    end = host_end
    port = _PORT.match(text, end)
    if port and int(port[1]) <= 65535:
        end = port.end()
    rest = _REST.match(text, end)
    if rest:
        end = start + _trim_punctuation(text[start : rest.end()])
    return end


def _trim_punctuation(address):
    """Return the length of ``address`` without the punctuation that ends the sentence around it.

    A closing bracket stays only when the address opened it, so ``/wiki/Foo_(bar)`` keeps its
    ``)`` while ``(see http://example.org/)`` does not.
    """
    opened = {")": address.count("("), "]": address.count("[")}
    closed = {")": address.count(")"), "]": address.count("]")}
    end = len(address)
    while end:
        char = address[end - 1]
        if char in _TRAILING:
            end -= 1
        elif char in _OPENER and closed[char] > opened[char]:
            closed[char] -= 1
            end -= 1
        else:
            break
    return end


def _is_host(host, *, min_labels, ipv4=False):
    """Whether ``host`` is an IPv4 address (if allowed) or a domain name with a real-looking TLD."""
    if ipv4 and _IPV4.fullmatch(host):
        return True
    labels = host.split(".")
    if len(host) > 253 or len(labels) < min_labels:
        return False
    *names, tld = labels
    return all(map(_is_label, names)) and _is_tld(tld)


def _is_label(label):
    return 0 < len(label) <= 63 and label[0] != "-" and label[-1] != "-"


def _is_tld(tld):
    # Letters only (with their combining marks), or punycode: "example.123", "setup.py1" and
    # dotted numbers that are not an IPv4 address never make a host.
    if not 2 <= len(tld) <= 63:
        return False
    if _PUNYCODE_TLD.fullmatch(tld):
        return True
    return tld[0].isalpha() and all(c.isalpha() or unicodedata.category(c)[0] == "M" for c in tld)


def _is_local(local):
    # At most 64 characters (RFC 5321); no dot at the end and no two in a row.
    return 0 < len(local) <= 64 and not local.endswith(".") and ".." not in local


def _link(address, href):
    """Return the ``<a>`` element for ``address``; long link text is shortened with ``…``."""
    return _address_element("a", f'href="{html.escape(href)}" rel="{LINK_REL}"', address)


def _inert_link(address, href):
    """Return ``address`` as it would read as a link, in a ``span`` without any ``href``."""
    return _address_element("span", 'class="inert-link"', address)


def _address_element(tag, attributes, address):
    text = address
    if len(address) > LINK_TEXT_MAX:
        text = address[: LINK_TEXT_MAX - 1] + "…"
        attributes += f' title="{html.escape(address)}"'
    # An address reads left to right, isolated from the direction of the text around it.
    return f'<{tag} {attributes} dir="ltr">{html.escape(text)}</{tag}>'


# --- 4. Paragraphs ------------------------------------------------------------------------------


def _paragraphs(html_text):
    """Wrap blank-line-separated blocks in ``<p>`` and join the lines of each with ``<br>``."""
    paragraphs, lines = [], []
    for line in html_text.split("\n"):
        if line.strip():
            lines.append(line)
        elif lines:
            paragraphs.append(lines)
            lines = []
    if lines:
        paragraphs.append(lines)
    return "\n".join('<p dir="auto">' + "<br>\n".join(lines) + "</p>" for lines in paragraphs)
