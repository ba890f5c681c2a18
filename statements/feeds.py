from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.text import Truncator

from statements.models import Statement


class LatestStatementsFeed(Feed):
    title = settings.SITE_NAME
    link = reverse_lazy("statements:list")
    description = "The latest joint statements."

    def items(self):
        return Statement.objects.published().with_signatories()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary or Truncator(strip_tags(item.body)).words(60)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.revised_at or item.published_at

    def item_author_name(self, item):
        return ", ".join(s.organization.name for s in item.signatures.all())


class LatestStatementsAtomFeed(LatestStatementsFeed):
    feed_type = Atom1Feed
    subtitle = LatestStatementsFeed.description
