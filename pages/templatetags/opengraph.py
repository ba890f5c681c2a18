from django import template
from django.utils.html import format_html

from pages import opengraph

register = template.Library()


@register.simple_tag(takes_context=True)
def statement_image_meta(context, statement):
    """The OpenGraph (and X card) tags naming `statement`'s image, for its page's <head>."""
    url = context["request"].build_absolute_uri(opengraph.image_url(statement))
    return format_html(
        '<meta property="og:image" content="{}">\n'
        '<meta property="og:image:type" content="image/png">\n'
        '<meta property="og:image:width" content="{}">\n'
        '<meta property="og:image:height" content="{}">\n'
        '<meta property="og:image:alt" content="{}">\n'
        '<meta name="twitter:card" content="summary_large_image">',
        url,
        opengraph.WIDTH,
        opengraph.HEIGHT,
        statement.title,
    )
