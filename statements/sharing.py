"""Share links for a statement: plain addresses of each service's own share page, so that the
statement page loads no third-party script and tells no service who read it. A pure module.

Every value is percent-encoded with `quote` (a space is %20, never +): `mailto:` reads a
+ as a plus sign (RFC 6068), and the other services accept %20 as well.
"""

from typing import NamedTuple
from urllib.parse import quote, urlencode

from django.utils.translation import gettext_lazy as _


class ShareLink(NamedTuple):
    service: str  # a CSS class and a test's handle
    label: str
    href: str


def _query(**params):
    return urlencode(params, quote_via=quote)


def share_links(url, title):
    """The share links for the page at `url` (absolute) titled `title`, in display order."""
    email = _query(subject=title, body=f"{title}\n{url}")
    telegram = _query(url=url, text=title)
    whatsapp = _query(text=f"{title} {url}")
    x = _query(text=title, url=url)
    facebook = _query(u=url)
    return [
        ShareLink("email", _("E-mail"), f"mailto:?{email}"),
        ShareLink("telegram", _("Telegram"), f"https://t.me/share/url?{telegram}"),
        ShareLink("whatsapp", _("WhatsApp"), f"https://wa.me/?{whatsapp}"),
        ShareLink("x", _("X"), f"https://x.com/intent/post?{x}"),
        ShareLink(
            "facebook", _("Facebook"), f"https://www.facebook.com/sharer/sharer.php?{facebook}"
        ),
    ]
