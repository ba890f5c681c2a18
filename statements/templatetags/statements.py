import json

from django import template
from django.utils import timezone
from django.utils.safestring import mark_safe

from statements import sharing

register = template.Library()

# Characters that could end the <script> element or open markup inside it.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def html_datetime(value):
    """`value` as HTML's `datetime` attribute accepts it: ISO 8601 to the whole second.

    HTML allows at most three decimal places of a second; Python's isoformat() and Django's
    `date:"c"` write six whenever the time has microseconds (every auto-filled timestamp).
    """
    return timezone.localtime(value).replace(microsecond=0).isoformat()


@register.simple_tag(takes_context=True)
def statement_json_ld(context, statement):
    """JSON-LD describing the statement as a NewsArticle, for search engines."""
    request = context["request"]
    organizations = [
        {
            "@type": "Organization",
            "name": s.organization.local.name,
            **({"url": s.organization.website} if s.organization.website else {}),
        }
        for s in statement.signature_list
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": statement.title[:110],
        "inLanguage": statement.language,
        "description": statement.description[:300],
        "datePublished": statement.published_at.isoformat(),
        "dateModified": (statement.revised_at or statement.published_at).isoformat(),
        "url": request.build_absolute_uri(statement.get_absolute_url()),
        **({"version": str(statement.version)} if statement.version else {}),
        "author": organizations,
        "publisher": organizations,
    }
    payload = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    # Safe: the JSON is escaped above so that it cannot close the element.
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address's query string with `page` set to `number`, every other parameter
    (the search words, a filter) kept: what the pagination include links to."""
    request = context.get("request")
    if request is None:  # rendered without the request context processor
        return f"?page={number}"
    query = request.GET.copy()
    query["page"] = number
    return f"?{query.urlencode()}"


@register.inclusion_tag("statements/share.html", takes_context=True)
def share_links(context, statement):
    """Links that share `statement`'s address, and the address itself to copy.

    The address is the one this page was asked for (scheme and host), like the canonical link:
    in a static copy that is the origin's (mirror.export renders for ORIGIN_URL's host). A copy
    cannot know its own address without running script, and copies run none; the origin's is
    also the one address that outlives the copies, which move as they get blocked.
    """
    url = context["request"].build_absolute_uri(statement.get_absolute_url())
    return {"url": url, "links": sharing.share_links(url, statement.title)}
