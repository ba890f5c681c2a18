"""RSS and Atom feeds of the latest statements, with their full text.

Full text, not only a summary: where the site is blocked, feed readers and channel bots that
fetch from elsewhere carry the statements to readers whole. Each entry has the summary as
text (RSS `description`, Atom `summary`) and the whole body as HTML (RSS `content:encoded`,
the RSS content module that feed readers show in full; Atom `content`).

Opened in a browser, a feed is shown through an XSLT stylesheet (`<?xml-stylesheet?>`, served
by statements.views.FeedStylesheetView in the feed's language): a page that says what a feed is
and how to subscribe. A static copy has no such page, and its feeds name none.
"""

import html
from datetime import datetime, time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.html import escape, strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.utils.xmlutils import SimplerXMLGenerator

from statements.caching import rendered_for_mirror
from statements.formats import format_date
from statements.languages import current_language
from statements.models import Signature, Statement

ITEMS = 20

CONTENT_MODULE = "http://purl.org/rss/1.0/modules/content/"


# Served as XML, not as application/rss+xml or application/atom+xml: a browser applies the
# stylesheet only to a document it shows as XML (Chromium shows those two types as plain text).
# Feed readers go by the document, which says what it is.
FEED_CONTENT_TYPE = "application/xml; charset=utf-8"


class FullTextRssFeed(Rss201rev2Feed):
    """RSS 2.0 with each item's full text in `<content:encoded>`."""

    content_type = FEED_CONTENT_TYPE

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:content": CONTENT_MODULE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content"])


class FullTextAtom1Feed(Atom1Feed):
    """Atom with each entry's full text in `<content type="html">`, and the stylesheets
    named as in RSS (Django 5.2 writes them for RSS only)."""

    content_type = FEED_CONTENT_TYPE

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content"], {"type": "html"})


class LatestStatementsFeed(Feed):
    """The latest statements in the page's language (/fa/feeds/rss/, /en/feeds/rss/), and
    organizations that joined one of them later."""

    feed_type = FullTextRssFeed

    def get_object(self, request, *args, **kwargs):
        """The channel: the site's name and tagline, and whether the feed is for a static copy
        (what `stylesheets` depends on). The name and tagline reach the feed as they reach every
        page, through the templates' context (pages.context_processors), so that statements/
        does not import pages/."""
        channel = {
            part: render_to_string(f"statements/feed_{part}.txt", request=request).strip()
            for part in ("title", "description")
        }
        return {**channel, "for_mirror": rendered_for_mirror(request)}

    def stylesheets(self, channel):
        if channel["for_mirror"]:
            return []
        return [Stylesheet(reverse("statements:feed_stylesheet"), mimetype="text/xsl")]

    def title(self, channel):
        return channel["title"]

    def link(self):
        return reverse("statements:list")

    def description(self, channel):
        return channel["description"]

    subtitle = description

    def items(self):
        published = Statement.objects.published().in_language()
        statements = list(published.with_signatories()[:ITEMS])
        joined = [
            signature
            for signature in Signature.objects.filter(
                joined_on__isnull=False, statement__in=published
            )
            .select_related("statement", "organization")
            .prefetch_related("organization__translations")
            .order_by("-joined_on", "-pk")[: ITEMS * 2]
            if signature.joined_later
        ]
        return sorted(statements + joined, key=self.item_pubdate, reverse=True)[:ITEMS]

    def item_title(self, item):
        if isinstance(item, Signature):
            return _("%(organization)s joined “%(statement)s”") % {
                "organization": item.organization.local.name,
                "statement": item.statement.title,
            }
        return item.title

    def item_description(self, item):
        """The summary (plain text), or the body's first words, escaped; for an organization
        that joined later, a sentence saying so.

        RSS and Atom (`<summary type="html">`) both carry the description as HTML, so the
        plain text is escaped here: a summary holding `<img onerror=…>` stays text.
        """
        if isinstance(item, Signature):
            text = _("%(organization)s signed this statement on %(date)s.") % {
                "organization": item.organization.local.name,
                "date": format_date(item.joined_on, current_language()),
            }
        else:
            text = item.summary or Truncator(html.unescape(strip_tags(item.body))).words(60)
        return escape(text)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_extra_kwargs(self, item):
        """The full text: the statement's body (made safe when saved, by
        statements.markup.clean_body); a late signature's announcement as it is described."""
        if isinstance(item, Signature):
            return {"content": self.item_description(item)}
        return {"content": item.body}

    # The entry's id is not its address: a corrected slug or date must not make feed readers
    # show the statement a second time.
    item_guid_is_permalink = False

    def item_guid(self, item):
        return entry_id(item)

    def item_pubdate(self, item):
        if isinstance(item, Signature):
            return timezone.make_aware(datetime.combine(item.joined_on, time(12, 0)))
        return item.published_at

    def item_updateddate(self, item):
        if isinstance(item, Signature):
            return self.item_pubdate(item)
        return item.revised_at or item.published_at

    def item_author_name(self, item):
        if isinstance(item, Signature):
            return item.organization.local.name
        return pgettext("list separator", ", ").join(
            s.organization.local.name for s in item.signatures.all()
        )


def entry_id(item):
    """A tag URI (RFC 4151) that names the statement (or a late signature) for as long as it
    exists.

    Built from the site's host name and the statement's creation date and number: never from
    its title, slug or publication date, which editors may correct. An organization that joined
    later is an entry of its own, named by the statement and the organization.
    """
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    if isinstance(item, Signature):
        statement = item.statement
        suffix = f":joined:{item.organization_id}"
    else:
        statement, suffix = item, ""
    return f"tag:{host},{statement.created_at:%Y-%m-%d}:statement:{statement.pk}{suffix}"


class LatestStatementsAtomFeed(LatestStatementsFeed):
    feed_type = FullTextAtom1Feed
