import html
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, strip_tags
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
        """The summary (plain text), or the body's first words, escaped.

        RSS and Atom (`<summary type="html">`) both carry the description as HTML, so the
        plain text is escaped here: a summary holding `<img onerror=…>` stays text.
        """
        text = item.summary or Truncator(html.unescape(strip_tags(item.body))).words(60)
        return escape(text)

    # The entry's id is not its address: a corrected slug or date must not make feed readers
    # show the statement a second time.
    item_guid_is_permalink = False

    def item_guid(self, item):
        return entry_id(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.revised_at or item.published_at

    def item_author_name(self, item):
        return ", ".join(s.organization.name for s in item.signatures.all())


def entry_id(statement):
    """A tag URI (RFC 4151) that names the statement for as long as it exists.

    Built from the site's host name and the statement's creation date and number: never from
    its title, slug or publication date, which editors may correct.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"tag:{host},{statement.created_at:%Y-%m-%d}:statement:{statement.pk}"


class LatestStatementsAtomFeed(LatestStatementsFeed):
    feed_type = Atom1Feed
    subtitle = LatestStatementsFeed.description
