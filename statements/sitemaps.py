"""The sitemap (/sitemap.xml): every public page in every language, with its alternates.

Django's i18n sitemaps list an item once per language and link the versions to each other.
A statement's item is its group of editions, shown by the source (or, while the source is
not public, by its first public translation); each language that has a public edition gets
that edition's address.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Prefetch
from django.urls import reverse

from statements.languages import current_language
from statements.models import Organization, Statement


class StatementSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True
    alternates = True

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


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True
    alternates = True

    def items(self):
        return Organization.objects.filter(statements__in=Statement.objects.published()).distinct()


class PageSitemap(Sitemap):
    i18n = True
    alternates = True

    def items(self):
        return ["statements:home", "statements:list"]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "pages": PageSitemap,
    "statements": StatementSitemap,
    "organizations": OrganizationSitemap,
}
