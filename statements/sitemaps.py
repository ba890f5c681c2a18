"""The sitemap (/sitemap.xml): every public page in every language, with its alternates.

Django's i18n sitemaps list an item once per language and link the versions to each other.
A statement's item is its group of editions, shown by the source (or, while the source is
not public, by its first public translation); each language that has a public edition gets
that edition's address.

Past SITEMAP_LIMIT addresses /sitemap.xml is an index of several files (`sitemap_or_index`),
each at most SITEMAP_LIMIT addresses. Django builds an i18n sitemap's pages from the list of
every item in every language, on each request; `ItemPages` pages the items in the database
instead, and the lastmod of a whole section is one aggregate query (`get_latest_lastmod`),
so no request loads the whole archive.
"""

from functools import wraps

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch
from django.db.models.functions import Coalesce
from django.urls import reverse

from statements.languages import current_language
from statements.models import Organization, Statement


class ItemPages(Paginator):
    """Pages of a sitemap's items, each expanded into (item, language) pairs for its page only.

    A page holds at most SITEMAP_LIMIT addresses: SITEMAP_LIMIT // len(languages) items.
    """

    def __init__(self, sitemap):
        per_page = max(1, settings.SITEMAP_LIMIT // max(1, len(sitemap._languages())))
        super().__init__(sitemap.items(), per_page)
        self.sitemap = sitemap

    def page(self, number):
        page = super().page(number)
        page.object_list = [
            (item, code)
            for item in page.object_list
            for code in self.sitemap.get_languages_for_item(item)
        ]
        return page


class PagedSitemap(Sitemap):
    i18n = True
    alternates = True

    @property
    def paginator(self):
        return ItemPages(self)


class StatementSitemap(PagedSitemap):
    changefreq = "weekly"

    def items(self):
        published = Statement.objects.published()
        public_source = published.filter(pk=OuterRef("translation_of_id"))
        return (
            published.exclude(Exists(public_source))
            .select_related("translation_of")
            .prefetch_related(Prefetch("translations", queryset=published, to_attr="public"))
        )

    def _editions(self, item):
        source = item.translation_of or item
        public = getattr(item, "public", [])
        editions = {edition.language: edition for edition in public}
        editions[item.language] = item
        if source is not item and source.is_public:
            editions[source.language] = source
        return editions

    def get_languages_for_item(self, item):
        editions = self._editions(item)
        return [code for code in settings.SITE_LANGUAGES if code in editions]

    def location(self, item):
        return self._editions(item)[current_language()].get_absolute_url()

    def lastmod(self, item):
        return item.revised_at or item.published_at

    def get_latest_lastmod(self):
        dates = Statement.objects.published().aggregate(
            latest=Max(Coalesce("revised_at", "published_at"))
        )
        return dates["latest"]


class OrganizationSitemap(PagedSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Organization.objects.filter(statements__in=Statement.objects.published())
            .distinct()
            .order_by("name", "pk")
        )


class PageSitemap(PagedSitemap):
    def items(self):
        return ["statements:home", "statements:list"]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "pages": PageSitemap,
    "statements": StatementSitemap,
    "organizations": OrganizationSitemap,
}


def address_count():
    """How many addresses the sitemap lists: every public edition, and each organization and
    page in every language (counted, not listed)."""
    languages = len(settings.SITE_LANGUAGES)
    organizations = OrganizationSitemap().items().count()
    pages = len(PageSitemap().items())
    return Statement.objects.published().count() + (organizations + pages) * languages


def kept(view):
    """Keep a sitemap file in the cache until the public statements change (or for
    SITEMAP_CACHE_SECONDS): rendering a file of SITEMAP_LIMIT addresses takes a few hundred
    milliseconds, checking that nothing changed one aggregate query. A statement published,
    withdrawn or edited (statement_pages_changed moves `updated_at`) makes a new key; only real
    page numbers are kept, so junk query strings cannot fill the cache."""

    @wraps(view)
    def wrapped(request, **kwargs):
        page = request.GET.get("p", "1")
        if set(request.GET) - {"p"} or not (page.isdigit() and len(page) <= 4):
            return view(request, **kwargs)
        state = Statement.objects.published().aggregate(
            count=Count("pk"), changed=Max("updated_at")
        )
        changed = state["changed"].timestamp() if state["changed"] else 0
        key = (
            f"sitemap:{kwargs.get('section', '')}:{page}:{request.scheme}:{request.get_host()}:"
            f"{state['count']}:{changed}"
        )
        response = cache.get(key)
        if response is None:
            response = view(request, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code == 200:
                cache.set(key, response, settings.SITEMAP_CACHE_SECONDS)
        return response

    return wrapped


@kept
def sitemap_or_index(request):
    """/sitemap.xml: the whole sitemap while it has at most SITEMAP_LIMIT addresses, else an
    index of the section files (`sitemap_section`, ?p=2 and on for their further pages)."""
    if address_count() <= settings.SITEMAP_LIMIT:
        return sitemap_views.sitemap(request, sitemaps)
    return sitemap_views.index(request, sitemaps, sitemap_url_name="sitemap-section")


@kept
def sitemap_section(request, section):
    """One section's file of the sitemap index (statements, organizations, pages)."""
    return sitemap_views.sitemap(request, sitemaps, section=section)
