from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView, YearArchiveView

from statements.caching import cached_statement_page, public_page
from statements.models import Organization, Statement
from statements.search import search_statements

PAGE_SIZE = 20


@method_decorator(public_page, name="dispatch")
class HomeView(ListView):
    template_name = "statements/home.html"

    def get_queryset(self):
        return Statement.objects.published().with_signatories()[:10]

    context_object_name = "statements"


@method_decorator(public_page, name="dispatch")
class StatementListView(ListView):
    def get_queryset(self):
        # Built per request: published() compares with the current time.
        return Statement.objects.published().with_signatories()

    paginate_by = PAGE_SIZE
    context_object_name = "statements"

    def get_context_data(self, **kwargs):
        years = Statement.objects.published().dates("published_at", "year", order="DESC")
        return super().get_context_data(years=years, **kwargs)


@method_decorator(public_page, name="dispatch")
class StatementYearView(YearArchiveView):
    def get_queryset(self):
        # Built per request: published() compares with the current time.
        return Statement.objects.published().with_signatories()

    date_field = "published_at"
    make_object_list = True
    context_object_name = "statements"
    template_name = "statements/statement_year.html"


@method_decorator(public_page, name="dispatch")
class StatementDetailView(DetailView):
    def get_queryset(self):
        # No prefetch of signatures: the rendered page usually comes from the cache.
        return Statement.objects.published()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if request.path != self.object.get_absolute_url():
            # The slug is unique; a wrong year or month in the address is a typo or an old
            # link after the date changed.
            return redirect(self.object, permanent=True)
        context = self.get_context_data(object=self.object)
        content = cached_statement_page(
            request, self.object, lambda: self.render_to_response(context).render().content
        )
        response = HttpResponse(content)
        response["Last-Modified"] = http_date(self.object.updated_at.timestamp())
        return response


@method_decorator([never_cache, staff_member_required], name="dispatch")
class StatementPreviewView(DetailView):
    """Staff see a draft or scheduled statement exactly as readers will."""

    queryset = Statement.objects.with_signatories()
    extra_context = {"preview": True}

    def get_object(self, queryset=None):
        if not self.request.user.has_perm("statements.view_statement"):
            raise PermissionDenied
        return super().get_object(queryset)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        response["X-Robots-Tag"] = "noindex"
        return response


@method_decorator(public_page, name="dispatch")
class OrganizationDetailView(DetailView):
    model = Organization

    def get_context_data(self, **kwargs):
        statements = self.object.statements.published().with_signatories()
        return super().get_context_data(statements=statements, **kwargs)


@method_decorator(public_page, name="dispatch")
class SearchView(ListView):
    template_name = "statements/search.html"
    paginate_by = PAGE_SIZE
    context_object_name = "statements"

    def get_queryset(self):
        self.query = self.request.GET.get("q", "").strip()[:200]
        return search_statements(self.query).with_signatories()

    def get_context_data(self, **kwargs):
        return super().get_context_data(query=self.query, **kwargs)


@method_decorator(public_page, name="dispatch")
class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"
