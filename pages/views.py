from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.views.generic import DetailView

from pages import opengraph
from pages.models import Page
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
