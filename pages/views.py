from django.conf import settings
from django.http import Http404
from django.utils.decorators import method_decorator
from django.views.generic import DetailView

from pages.models import Page
from statements.caching import public_page


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
