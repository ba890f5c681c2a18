"""The site's identity (name, tagline, footer text, logo, accent colour) as pages show it.

Read on every page that is rendered, so it comes from the cache: one read, no query, once the
first page after a change has put it there. `identity_changed()` is the one entry point after
staff change it (pages.admin calls it): it drops the cached copy and tells the page caches
(`statements.caching.site_changed`) that every page changed.

With no row saved, the site is called by its translated default name, "Joint Statements"
(or DJANGO_SITE_NAME), with the default colour and no logo.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from pages.colours import DEFAULT_ACCENT, darker
from pages.models import SiteIdentity
from statements.caching import site_changed
from statements.languages import current_language

# The default of DJANGO_SITE_NAME, marked so that the catalog keeps its translation.
gettext_noop("Joint Statements")

CACHE_KEY = "site-identity:1"
SINGLETON = 1


@dataclass(frozen=True)
class Identity:
    name: str
    tagline: str
    footer: str
    accent: str
    version: str  # changes with anything below; part of the stylesheet's and logo's addresses
    logo_type: str = ""

    @property
    def accent_dark(self):
        return darker(self.accent)

    @property
    def stylesheet_url(self):
        return reverse("identity-css", args=[self.version])

    @property
    def logo_url(self):
        if not self.logo_type:
            return ""
        extension = "svg" if self.logo_type == "image/svg+xml" else "png"
        return reverse("identity-logo", args=[self.version, extension])


def _stored():
    """What the cache keeps: the saved row's values and its texts by language, or None."""
    row = (
        SiteIdentity.objects.filter(pk=SINGLETON)
        .prefetch_related("texts")
        .only("accent", "logo_type", "updated_at")
        .first()
    )
    if row is None:
        return None
    return {
        "accent": row.accent,
        "logo_type": row.logo_type,
        "version": hashlib.sha256(
            repr((row.updated_at, row.accent, row.logo_type)).encode()
        ).hexdigest()[:12],
        "texts": {t.language: (t.name, t.tagline, t.footer) for t in row.texts.all()},
    }


def current(language=None):
    """The identity in `language` (the page's by default)."""
    stored = cache.get(CACHE_KEY)
    if stored is None:
        stored = _stored() or {}
        cache.set(CACHE_KEY, stored, None)
    texts = stored.get("texts", {})
    name, tagline, footer = texts.get(language or current_language(), ("", "", ""))
    return Identity(
        # gettext of the setting: the catalog translates the default name; any other is kept.
        name=name or gettext(settings.SITE_NAME),
        tagline=tagline or gettext("Joint statements published together by civic organizations."),
        footer=footer
        or gettext(
            "Statements are published jointly by their signatory organizations. Reader comments "
            "are moderated before they appear."
        ),
        accent=stored.get("accent") or DEFAULT_ACCENT,
        logo_type=stored.get("logo_type", ""),
        version=stored.get("version", f"default-{DEFAULT_ACCENT[1:]}"),
    )


def identity_changed():
    """Staff changed the identity: every page shows the new one (after the transaction)."""

    def forget():
        cache.delete(CACHE_KEY)
        site_changed()

    transaction.on_commit(forget)
