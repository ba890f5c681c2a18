from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from statements.models import Organization, Statement


class StatementSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Statement.objects.published()

    def lastmod(self, item):
        return item.revised_at or item.published_at


class OrganizationSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return Organization.objects.filter(statements__in=Statement.objects.published()).distinct()


class PageSitemap(Sitemap):
    def items(self):
        return ["statements:home", "statements:list"]

    def location(self, item):
        return reverse(item)


sitemaps = {
    "pages": PageSitemap,
    "statements": StatementSitemap,
    "organizations": OrganizationSitemap,
}
