from django.utils.functional import SimpleLazyObject

from pages import identity


def site_identity(request):
    """`identity`: the site's name, tagline, footer text, logo and colour (pages.identity),
    read from the cache only by a page that shows it."""
    return {"identity": SimpleLazyObject(identity.current)}
