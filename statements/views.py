from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.decorators.cache import never_cache
from django.views.generic import DetailView, ListView, TemplateView, View, YearArchiveView

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


STATEMENT_TEMPLATE = "statements/statement_detail.html"


def published_statement_or_404(slug):
    """The published statement with this slug (unique: it alone names a statement), or 404."""
    return get_object_or_404(Statement.objects.published(), slug=slug)


def render_statement_page(request, statement, **extra_context):
    """The statement page: the one template and context behind every view that shows it.

    Readers get it from `StatementDetailView` (cached whole), staff from the preview
    (`preview=True`), an author right after commenting (comments.views.posted) (with
    `posted_comment`, their own comment awaiting moderation). Signatures need no prefetch:
    `Statement.signature_list` fetches them in one query.
    """
    context = {"statement": statement, "object": statement, **extra_context}
    return render(request, STATEMENT_TEMPLATE, context)


@method_decorator(public_page, name="dispatch")
class StatementDetailView(View):
    def get(self, request, year, month, slug):
        statement = published_statement_or_404(slug)
        if request.path != statement.get_absolute_url():
            # The slug is unique; a wrong year or month in the address is a typo or an old
            # link after the date changed.
            return redirect(statement, permanent=True)
        content = cached_statement_page(
            request, statement, lambda: render_statement_page(request, statement).content
        )
        response = HttpResponse(content)
        response["Last-Modified"] = http_date(statement.updated_at.timestamp())
        return response


@method_decorator([never_cache, staff_member_required], name="dispatch")
class StatementPreviewView(View):
    """Staff see a draft or scheduled statement exactly as readers will."""

    def get(self, request, pk):
        if not request.user.has_perm("statements.view_statement"):
            raise PermissionDenied
        statement = get_object_or_404(Statement, pk=pk)
        response = render_statement_page(request, statement, preview=True)
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
