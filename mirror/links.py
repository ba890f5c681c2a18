"""Links in a static copy: from the site's addresses to relative paths between files.

A pure module (no models, no request). The site's pages link with absolute paths
(`/statements/2020/11/x/`, `?page=2#comments`); a copy must work from any domain, under any
path prefix and from a disk, so each link becomes a path relative to the file that holds it,
ending in the file itself (`../../x/index.html`: a bucket or a USB stick has no directory
index). A link to something the copy does not have (the comment form, search, the admin)
becomes an absolute link to the origin. Fragments are kept; links with a scheme (other sites,
`mailto:`, the canonical address) are left alone.

Only `href`, `src` and `action` attributes written with double quotes are rewritten: every
template of the site writes them so, and reader text can never produce one (the comment
pipeline escapes `"` before it makes links, and those links always have a scheme).
"""

import posixpath
import re
from collections.abc import Callable
from html import escape, unescape
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

_LINK = re.compile(r'(?P<attr>\s(?:href|src|action))="(?P<url>[^"]*)"')


def page_address(url):
    """The site address `url` in one spelling: `?page=1` and empty queries dropped."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if not (k == "page" and v == "1")]
    return parts.path + (f"?{urlencode(query)}" if query else "")


def file_for(url, suffix=".html"):
    """The file of the copy that holds the page at site address `url`.

    `/` → `index.html`; `/a/b/` → `a/b/index.html`; `/a/b/?page=3` → `a/b/page-3.html`;
    an address ending in a name keeps it (`/sitemap.xml`); a non-HTML page at an address
    ending in `/` gets `suffix` (`/feeds/rss/` → `feeds/rss.xml`).
    """
    parts = urlsplit(page_address(url))
    path = parts.path.lstrip("/")
    query = dict(parse_qsl(parts.query))
    if set(query) - {"page"} or not query.get("page", "1").isdigit():
        raise ValueError(f"a static copy cannot hold {url!r}: only ?page=N is supported")
    if path and not path.endswith("/"):
        return path
    if suffix != ".html":
        return path.rstrip("/") + suffix
    page = int(query.get("page", "1"))
    return path + ("index.html" if page == 1 else f"page-{page}.html")


def relative_links(
    html: str, page_url: str, page_file: str, find: Callable[[str], str | None], origin: str
) -> str:
    """`html` (the page at site address `page_url`, kept in `page_file`) with its links made
    relative. `find(address)` returns the copy's file for a site address, or None."""
    directory = posixpath.dirname(page_file)

    def replace(match):
        url = unescape(match["url"])
        if not url or url.startswith("#") or urlsplit(url).scheme or url.startswith("//"):
            return match.group(0)
        absolute = urljoin(page_url, url)
        parts = urlsplit(absolute)
        fragment = f"#{parts.fragment}" if parts.fragment else ""
        address = page_address(parts.path + (f"?{parts.query}" if parts.query else ""))
        target = find(address)
        if target is None:
            new = origin + address + fragment
        else:
            new = posixpath.relpath(target, directory or ".") + fragment
        return f'{match["attr"]}="{escape(new)}"'

    return _LINK.sub(replace, html)
