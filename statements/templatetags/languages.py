"""The page's languages: `<html lang dir>`, hreflang alternates, the language switcher, and the
date and number filters (statements.formats) for the page's language."""

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html, format_html_join

from statements import formats
from statements.languages import current_language, is_rtl, local_name
from statements.models import Statement

register = template.Library()


@register.simple_tag
def html_attributes():
    """`lang` and `dir` for the <html> element."""
    language = current_language()
    return format_html('lang="{}" dir="{}"', language, "rtl" if is_rtl(language) else "ltr")


def page_languages(context):
    """For each of the site's languages: (code, the same page's address there or None).

    A statement page links to its editions (context `editions`, language → statement), and so
    does any page about one statement (context `statement`); other pages to the same address
    under the other prefix, or what the view says (context `language_urls`). Computed once
    per page.
    """
    request = context.get("request")
    cached = getattr(request, "_page_languages", None)
    if cached is not None:
        return cached
    current = current_language()
    editions = context.get("editions")
    if editions is None and isinstance(context.get("statement"), Statement):
        # A page about one statement (its comment page): its editions' statement pages.
        editions = context["statement"].published_editions
    if callable(editions):
        editions = editions()
    urls = context.get("language_urls")
    result = []
    for code in settings.SITE_LANGUAGES:
        if editions is not None:
            edition = editions.get(code)
            url = edition.get_absolute_url() if edition else None
        elif urls is not None:
            url = urls.get(code)
        elif code == current or request is None:
            url = request.path if request is not None else None
        else:
            url = translate_url(request.path, code)
            url = None if url == request.path else url
        result.append((code, url))
    if request is not None:
        request._page_languages = result
    return result


def _home(code):
    with translation.override(code):
        return reverse("statements:home")


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """`<link rel="alternate" hreflang>` to this page in each language that has it, and
    `x-default`: the default language's version, else the first there is."""
    request = context.get("request")
    if request is None or context.get("mirror_copy"):
        return ""  # a copy elsewhere is not where search engines should send anyone
    found = [(code, url) for code, url in page_languages(context) if url]
    if len(found) < 2:
        return ""
    absolute = request.build_absolute_uri
    default = dict(found).get(settings.SITE_DEFAULT_LANGUAGE) or found[0][1]
    links = [(code, absolute(url)) for code, url in found] + [("x-default", absolute(default))]
    return format_html_join(
        "\n", '<link rel="alternate" hreflang="{}" href="{}">', ((c, u) for c, u in links)
    )


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages; where it has no such page, that language's
    home page."""
    current = current_language()
    choices = [
        {
            "code": code,
            "name": local_name(code),
            "url": url or _home(code),
            "same_page": bool(url),
            "dir": "rtl" if is_rtl(code) else "ltr",
        }
        for code, url in page_languages(context)
        if code != current
    ]
    return {"choices": choices}


@register.filter
def local_date(value):
    """The day, as the page's language writes it (Solar Hijri in Persian)."""
    return formats.format_date(value, current_language()) if value else ""


@register.filter
def local_datetime(value):
    """Day, time and time zone, as the page's language writes them."""
    return formats.format_datetime(value, current_language()) if value else ""


@register.filter
def local_number(value):
    """A count in the page's language's digits."""
    return formats.format_number(value, current_language())


@register.filter
def local_month(value):
    """A Gregorian month and its year, as the page's language names them."""
    return formats.format_month(value, current_language()) if value else ""


@register.filter
def local_year(value):
    return formats.format_year(value, current_language())
