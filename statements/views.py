from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView, View, YearArchiveView

from statements.caching import public_page
from statements.history import compare_public_revisions
from statements.languages import current_language
from statements.models import Organization, Signature, Statement
from statements.search import (
    FoundPaginator,
    SearchTookTooLong,
    attach_excerpts,
    limit_terms,
    search,
    seconds_to_wait,
    time_limit,
)

PAGE_SIZE = settings.PAGE_SIZE


@public_page
def site_root(request):
    """The site root opens the default language's home page, the same for every visitor.

    Not chosen from Accept-Language: one answer for all keeps it in every shared cache without
    `Vary`. Temporary (302), so that changing SITE_DEFAULT_LANGUAGE takes effect at once.
    """
    with translation.override(settings.SITE_DEFAULT_LANGUAGE):
        return HttpResponseRedirect(reverse("statements:home"))


@public_page
def english_address(request, address):
    """An address from before the language prefixes (/statements/…): its English page."""
    language = "en" if "en" in settings.SITE_LANGUAGES else settings.SITE_DEFAULT_LANGUAGE
    query = request.META.get("QUERY_STRING", "")
    return HttpResponsePermanentRedirect(f"/{language}/{address}" + (f"?{query}" if query else ""))


HOME_STATEMENTS = 10
HOME_ORGANIZATIONS = 30


@method_decorator(public_page, name="dispatch")
class HomeView(ListView):
    """The latest statement in full view (title, date, summary, signatories), the ones before
    it, and the organizations that sign in this language, those that signed most first."""

    template_name = "statements/home.html"
    context_object_name = "statements"

    def get_queryset(self):
        return Statement.objects.published().in_language().with_signatories()[:HOME_STATEMENTS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statements = list(context["statements"])
        return {
            **context,
            "latest": statements[0] if statements else None,
            "recent": statements[1:],
            "organizations": signing_organizations(),
        }


def signing_organizations():
    """The organizations that signed published statements in the page's language, those that
    signed most first, each with `signed` (how many).

    Which ones, and their counts, are kept for YEARS_CACHE_SECONDS: counting reads every
    signature of the language (24-45 ms with 5,000 statements a language, make archive, under
    load), and the ranking moves slowly; at worst a new signatory shows a few minutes late.
    Their names are read fresh, by primary key.
    """
    language = current_language()

    def ranking():
        signed = (
            Organization.objects.filter(
                signatures__statement__in=Statement.objects.published().in_language(language)
            )
            .annotate(signed=models.Count("signatures"))
            .order_by("-signed", "name")
            .values_list("pk", "signed")[:HOME_ORGANIZATIONS]
        )
        return list(signed)

    counts = dict(
        cache.get_or_set(f"signing-organizations:{language}", ranking, settings.YEARS_CACHE_SECONDS)
    )
    organizations = Organization.objects.filter(pk__in=counts).prefetch_related("translations")
    for organization in organizations:
        organization.signed = counts[organization.pk]
    return sorted(organizations, key=lambda o: (-o.signed, o.name))


@method_decorator(public_page, name="dispatch")
class StatementListView(ListView):
    def get_queryset(self):
        # Built per request: published() compares with the current time.
        return Statement.objects.published().in_language().with_signatories()

    paginate_by = PAGE_SIZE
    context_object_name = "statements"

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=archive_years(), **kwargs)


def archive_years():
    """The years with published statements in the page's language, newest first.

    Kept for YEARS_CACHE_SECONDS: finding them reads the date of every statement (20 ms of the
    statement list's time with 5,000 in a language, make archive), and a new year appears once
    a year; at worst its link shows a few minutes late.
    """
    language = current_language()

    def years():
        dates = (
            Statement.objects.published()
            .in_language(language)
            .dates("published_at", "year", order="DESC")
        )
        return list(dates)

    return cache.get_or_set(f"archive-years:{language}", years, settings.YEARS_CACHE_SECONDS)


@method_decorator(public_page, name="dispatch")
class StatementYearView(YearArchiveView):
    def get_queryset(self):
        # Built per request: published() compares with the current time.
        return Statement.objects.published().in_language()

    date_field = "published_at"
    make_object_list = True
    paginate_by = PAGE_SIZE
    context_object_name = "statements"
    template_name = "statements/statement_year.html"

    def get_dated_items(self):
        # Signatories for the listed page only, not for the one-row lookups of the next and
        # previous years.
        date_list, statements, extra = super().get_dated_items()
        return date_list, statements.with_signatories(), extra

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """None: the page lists statements, not the months that have some (a query saved)."""
        return None

    def get_context_data(self, **kwargs):
        # The same year in the languages that published something in it.
        year = int(self.get_year())
        languages = set(
            Statement.objects.published()
            .filter(published_at__year=year)
            .values_list("language", flat=True)
            .order_by()
            .distinct()
        )
        language_urls = {}
        for code in languages:
            with translation.override(code):
                language_urls[code] = reverse("statements:year", args=[year])
        return super().get_context_data(language_urls=language_urls, **kwargs)


STATEMENT_TEMPLATE = "statements/statement_detail.html"


def published_statement_or_404(slug, defer=()):
    """The published statement in the page's language with this slug (unique within a
    language: a translation may share its source's), or 404; `defer`: fields not read yet."""
    return get_object_or_404(Statement.objects.published().in_language().defer(*defer), slug=slug)


def render_statement_page(request, statement, **extra_context):
    """The statement page: the one template and context behind every view that shows it.

    Readers get it from `StatementDetailView` (cached whole), staff from the preview
    (`preview=True`), an author right after commenting (comments.views.posted) (with
    `posted_comment`, their own comment awaiting moderation). Signatures need no prefetch:
    `Statement.signature_list` fetches them in one query. `editions` is a callable: the
    language links are looked up only when the page is rendered, not when it comes from the
    cache.
    """
    context = {
        "statement": statement,
        "object": statement,
        "editions": statement.published_editions,
        **extra_context,
    }
    return render(request, STATEMENT_TEMPLATE, context)


@method_decorator(public_page, name="dispatch")
class StatementDetailView(View):
    """The statement page."""

    # Readers get it kept whole (statements.caching.KeptPageMiddleware).
    keep_for_readers = True

    def get(self, request, year, month, slug):
        statement = published_statement_or_404(slug, defer=["search_text"])
        if request.path != statement.get_absolute_url():
            # The slug is unique in a language; a wrong year or month in the address is a
            # typo or an old link after the date changed.
            return redirect(statement, permanent=True)
        response = render_statement_page(request, statement)
        response["Last-Modified"] = http_date(statement.updated_at.timestamp())
        return response


@method_decorator([never_cache, staff_member_required], name="dispatch")
class StatementPreviewView(View):
    """Staff see a draft or scheduled statement exactly as readers will."""

    def get(self, request, pk):
        if not request.user.has_perm("statements.view_statement"):
            raise PermissionDenied
        statement = get_object_or_404(Statement, pk=pk)
        if request.path != statement.get_preview_url():
            # Under its own language's prefix, so that the page around it speaks that language.
            return redirect(statement.get_preview_url())
        response = render_statement_page(request, statement, preview=True)
        response["X-Robots-Tag"] = "noindex"
        return response


class PublicRevisionsMixin:
    """A published statement's revision pages: found by slug, 404 for drafts and scheduled.

    A wrong year or month in the address redirects to the real one, as the statement page does.
    """

    def get_statement(self):
        statement = published_statement_or_404(self.kwargs["slug"])
        if not statement.version:
            raise Http404("This statement has no public revisions.")
        return statement

    def get_revision(self, statement, number):
        return get_object_or_404(statement.public_revisions, number=number)

    def last_modified(self, response, statement):
        response["Last-Modified"] = http_date(statement.updated_at.timestamp())
        return response


@method_decorator(public_page, name="dispatch")
class HistoryView(PublicRevisionsMixin, TemplateView):
    """The public revisions of a statement, their fingerprints, and a form to compare two."""

    template_name = "statements/history.html"

    def get(self, request, *args, **kwargs):
        statement = self.get_statement()
        if request.path != statement.get_history_url():
            return redirect(statement.get_history_url(), permanent=True)
        revisions = list(statement.public_revisions.all())
        numbers = {revision.number for revision in revisions}
        error = ""
        if "older" in request.GET or "newer" in request.GET:
            chosen = [request.GET.get("older", ""), request.GET.get("newer", "")]
            if all(n.isdigit() and int(n) in numbers for n in chosen) and chosen[0] != chosen[1]:
                older, newer = sorted(int(n) for n in chosen)
                return redirect(statement.get_comparison_url(older, newer))
            error = _("Choose two different revisions to compare.")
        context = self.get_context_data(
            statement=statement,
            revisions=revisions,
            error=error,
            newest=revisions[0].number,
            previous=revisions[1].number if len(revisions) > 1 else None,
        )
        return self.last_modified(self.render_to_response(context), statement)


@method_decorator(public_page, name="dispatch")
class ComparisonView(PublicRevisionsMixin, TemplateView):
    """Two public revisions compared word by word."""

    template_name = "statements/comparison.html"

    def get(self, request, *args, **kwargs):
        statement = self.get_statement()
        older, newer = self.kwargs["older"], self.kwargs["newer"]
        if older == newer:
            raise Http404("A revision compared with itself.")
        if older > newer:
            return redirect(statement.get_comparison_url(newer, older), permanent=True)
        if request.path != statement.get_comparison_url(older, newer):
            return redirect(statement.get_comparison_url(older, newer), permanent=True)
        old, new = self.get_revision(statement, older), self.get_revision(statement, newer)
        context = self.get_context_data(
            statement=statement,
            older=old,
            newer=new,
            sections=compare_public_revisions(old, new),
        )
        return self.last_modified(self.render_to_response(context), statement)


@method_decorator(public_page, name="dispatch")
class RevisionTextView(PublicRevisionsMixin, View):
    """The canonical plain text of one public revision: its SHA-256 is the fingerprint."""

    def get(self, request, *args, **kwargs):
        statement = self.get_statement()
        revision = self.get_revision(statement, self.kwargs["number"])
        if request.path != revision.get_text_url():
            return redirect(revision.get_text_url(), permanent=True)
        response = HttpResponse(
            revision.canonical_text.encode("utf-8"), content_type="text/plain; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'inline; filename="{statement.slug}-revision-{revision.number}.txt"'
        )
        return self.last_modified(response, statement)


@method_decorator(public_page, name="dispatch")
class OrganizationDetailView(ListView):
    """An organization and the statements it signed in the page's language, a page at a time
    (a coalition member may sign thousands)."""

    paginate_by = PAGE_SIZE
    context_object_name = "statements"
    template_name = "statements/organization_detail.html"

    def get_queryset(self):
        self.organization = get_object_or_404(
            Organization.objects.prefetch_related("translations"), slug=self.kwargs["slug"]
        )
        # The day this organization signed each statement (it may have joined later).
        joined = Signature.objects.filter(
            statement=models.OuterRef("pk"), organization=self.organization
        ).values("joined_on")[:1]
        return (
            self.organization.statements.published()
            .in_language()
            .with_signatories()
            .annotate(joined_on=models.Subquery(joined))
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(organization=self.organization, **kwargs)


@method_decorator(public_page, name="dispatch")
class SearchView(ListView):
    """Search in the page's language: the query within its limits (the reader is told when it
    was cut), at most SEARCH_RATE_LIMIT searches per address and window, and SEARCH_TIMEOUT_MS
    of database time; ranked results with the matching passage of each (statements.search).
    Ten a page: each shows an excerpt, which the database makes from the whole body."""

    template_name = "statements/search.html"
    paginate_by = settings.SEARCH_PAGE_SIZE
    context_object_name = "statements"

    def get(self, request, *args, **kwargs):
        self.terms = limit_terms(request.GET.get("q", ""))
        if self.terms.text and (wait := seconds_to_wait(request)):
            return too_many_searches(request, self.terms.text, wait)
        try:
            with time_limit():
                return super().get(request, *args, **kwargs).render()
        except SearchTookTooLong:
            context = {"query": self.terms.text, "too_long": True, **search_limits()}
            return render(request, self.template_name, context)

    def get_queryset(self):
        self.found = search(self.terms.text)
        return self.found.statements.with_signatories()

    def get_paginator(self, queryset, per_page, **kwargs):
        return FoundPaginator(queryset, per_page, self.found.count, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            query=self.terms.text, shortened=self.terms.shortened, **search_limits(), **kwargs
        )
        # Excerpts for the statements on this page only.
        context["statements"] = attach_excerpts(context["statements"], self.terms.text)
        context.update(found=self.found, max_results=settings.SEARCH_MAX_RESULTS)
        return context


def search_limits():
    return {"max_length": settings.SEARCH_MAX_LENGTH, "max_words": settings.SEARCH_MAX_WORDS}


def too_many_searches(request, query, wait):
    """429 in the reader's language, with when to try again; never kept by a shared cache."""
    response = render(
        request,
        "statements/search_limited.html",
        {"query": query, "minutes": max(1, round(wait / 60)), **search_limits()},
        status=429,
    )
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response


@method_decorator(public_page, name="dispatch")
class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain"

    def get_context_data(self, **kwargs):
        return super().get_context_data(site_languages=settings.SITE_LANGUAGES, **kwargs)


@method_decorator(public_page, name="dispatch")
class FeedStylesheetView(TemplateView):
    """The XSLT stylesheet the feeds name (statements.feeds), in the page's language: what a
    browser shows when a reader opens a feed. `text/xsl`, the type browsers expect of it."""

    template_name = "statements/feed.xsl"
    content_type = "text/xsl; charset=utf-8"
