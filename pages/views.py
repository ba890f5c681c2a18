from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.generic import DetailView

from pages import opengraph
from pages.identity import SINGLETON, current
from pages.logos import SVG, SVG_POLICY
from pages.models import Page, SiteIdentity
from statements.caching import public_page
from statements.views import published_statement_or_404


@method_decorator(public_page, name="dispatch")
class PageView(DetailView):
    context_object_name = "page"

    def get_object(self, queryset=None):
        page = Page.objects.in_language(self.kwargs["slug"])
        if page is None:
            raise Http404("No such page.")
        return page

    def get_context_data(self, **kwargs):
        # `origin_url` comes from mirror.context_processors, as on every page.
        return super().get_context_data(onion_url=settings.ONION_URL, **kwargs)

    def get_template_names(self):
        # A page may have a template of its own (pages/reach-us.html adds the addresses).
        return [f"pages/{self.object.slug}.html", "pages/page.html"]


@public_page
def statement_image(request, year, month, slug):
    """A published statement's OpenGraph image (pages.opengraph), drawn once per title."""
    statement = published_statement_or_404(slug)
    if request.path != opengraph.image_url(statement):
        return redirect(opengraph.image_url(statement), permanent=True)
    return HttpResponse(opengraph.image_for(statement), content_type="image/png")


# The stylesheet and the logo are addressed by the identity's version: a browser or a cache
# may keep them for a year, and a change gives them new addresses. An old address (a page
# still cached for a few seconds) gets the current file, kept briefly.
IMMUTABLE = "public, max-age=31536000, immutable"


def _cached(response, version, identity):
    current_version = version == identity.version
    response["Cache-Control"] = IMMUTABLE if current_version else "public, max-age=60"
    return response


def identity_stylesheet(request, version):
    """The accent colour as CSS custom properties.

    A stylesheet of its own rather than a <style> element in each page: the CSP allows no
    inline style, a nonce cannot survive the page caches (the HTML is kept and served again),
    and a hash would put the colour into every response's CSP header. This file is 100 bytes
    that a browser fetches once per change.
    """
    identity = current()
    css = f":root {{ --accent: {identity.accent}; --accent-dark: {identity.accent_dark}; }}\n"
    return _cached(HttpResponse(css, content_type="text/css; charset=utf-8"), version, identity)


def identity_logo(request, version, extension):
    """The uploaded logo; an SVG in a sandbox that runs no script (pages.logos)."""
    identity = current()
    row = SiteIdentity.objects.filter(pk=SINGLETON).values_list("logo", "logo_type").first()
    if not row or not row[1]:
        raise Http404("The site has no logo.")
    response = HttpResponse(bytes(row[0]), content_type=row[1])
    if row[1] == SVG:
        response["Content-Security-Policy"] = SVG_POLICY
    return _cached(response, version, identity)
