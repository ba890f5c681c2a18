"""The public site as a list of pages, each with what its content depends on.

Pages come from the models and the URL names, in every language of the site: every
published statement, each of its comment pages and its public record (history, each
revision's canonical text, each revision compared with the one before); the lists and their
pages, the year archives, the organizations that signed a published statement and their
logos, the pages staff write, the feeds, the sitemap and robots.txt. `inputs` names what a
page shows: an export renders a page again only when its inputs (or the code, the static
files or the settings it is rendered with) have changed.
"""

import hashlib
import itertools
import math
from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from pages import identity
from pages.models import Page
from statements.models import (
    Organization,
    OrganizationTranslation,
    PublicRevision,
    Signature,
    Statement,
)
from statements.views import PAGE_SIZE


@dataclass(frozen=True)
class SitePage:
    url: str  # the site's address, with ?page=N for the later pages of a list
    inputs: str  # a digest of what the page shows
    suffix: str = ".html"  # the file's suffix when the address ends in "/"


def digest(*parts):
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def languages():
    if settings.USE_I18N:
        return [code for code, _name in settings.LANGUAGES]
    return [settings.LANGUAGE_CODE]


def _pages(url, count, inputs):
    """The first `count` (at least one) pages of the list at `url`."""
    return [
        SitePage(url if n == 1 else f"{url}?page={n}", inputs) for n in range(1, max(count, 1) + 1)
    ]


def public_pages():
    """Every page of the public site, as a list of SitePage."""
    statements = list(
        Statement.objects.published()
        .order_by("pk")
        .only(
            "pk",
            "slug",
            "language",
            "published_at",
            "updated_at",
            "comment_count",
            "comment_mode",
            "version",
            "translation_of_id",
        )
    )
    # Lists, feeds and the sitemap show titles, summaries and comment counts of all of them;
    # every such change moves a statement's updated_at.
    everything = digest([(s.pk, s.updated_at) for s in statements])
    years = sorted({timezone.localtime(s.published_at).year for s in statements})
    # A year's page lists that year's statements and links to the years beside it.
    by_year = {
        year: digest(
            years,
            [
                (s.pk, s.updated_at)
                for s in statements
                if timezone.localtime(s.published_at).year == year
            ],
        )
        for year in years
    }
    pages = []
    for language in languages():
        # Each language lists its own statements (statements.views: in_language()).
        own = [s for s in statements if s.language == language]
        listed = digest([(s.pk, s.updated_at) for s in own])
        own_years = sorted({timezone.localtime(s.published_at).year for s in own})
        with translation.override(language):
            pages.append(SitePage(reverse("statements:home"), listed))
            pages += _pages(reverse("statements:list"), math.ceil(len(own) / PAGE_SIZE), listed)
            # Year archives are paginated like the list (statements.views.StatementYearView).
            for year in own_years:
                in_year = sum(timezone.localtime(s.published_at).year == year for s in own)
                url = reverse("statements:year", args=[year])
                pages += _pages(url, math.ceil(in_year / PAGE_SIZE), by_year[year])
            # Its figures count every moderation decision: rendered at every export.
            pages.append(
                SitePage(reverse("comments:transparency"), digest("moderation", timezone.now()))
            )
            pages.append(SitePage(reverse("statements:rss"), listed, ".xml"))
            pages.append(SitePage(reverse("statements:atom"), listed, ".xml"))
    # The root: the site answers it with a redirect to the default language's home; a copy,
    # which cannot redirect, has a small page of its own there (mirror.export.ROOT_TEMPLATE).
    pages.append(SitePage("/", digest("root", languages())))
    # The site's accent colour and logo, at addresses that hold the identity's version.
    site = identity.current()
    pages.append(SitePage(site.stylesheet_url, site.version))
    if site.logo_url:
        pages.append(SitePage(site.logo_url, site.version))
    # One sitemap and one robots.txt for the whole site, at its root.
    pages.append(SitePage(reverse("sitemap"), everything))
    pages.append(SitePage(reverse("robots"), ""))
    revisions = {}
    for statement_id, number, note in PublicRevision.objects.filter(
        statement__in=statements
    ).values_list("statement_id", "number", "note"):
        revisions.setdefault(statement_id, []).append((number, note))
    # A statement's pages link to its other published editions (the language switcher and
    # the hreflang alternates): a translation published later changes them too.
    editions = {}
    for s in statements:
        editions.setdefault(s.translation_of_id or s.pk, []).append((s.pk, s.language, s.slug))
    for statement in statements:
        inputs = digest(
            "statement",
            statement.pk,
            statement.updated_at,
            editions[statement.translation_of_id or statement.pk],
        )
        hidden = statement.comment_mode == Statement.CommentMode.HIDDEN
        count = 1 if hidden else math.ceil(statement.comment_count / settings.COMMENTS_PER_PAGE)
        pages += _pages(statement.get_absolute_url(), count, inputs)
        # Its public record: the history, each revision's canonical text, and each revision
        # compared with the one before (what the history links to).
        # Revisions are frozen: these pages change with the list of revisions (and their
        # notes), not with comments.
        record = sorted(revisions.get(statement.pk, []))
        numbers = [number for number, _note in record]
        if statement.version and numbers:
            inputs = digest("record", statement.pk, statement.get_absolute_url(), record)
            pages.append(SitePage(statement.get_history_url(), inputs))
            pages += [SitePage(statement.get_revision_text_url(n), inputs) for n in numbers]
            pages += [
                SitePage(statement.get_comparison_url(older, newer), inputs)
                for older, newer in itertools.pairwise(numbers)
            ]
    signed = {}
    for organization_id, pk, updated_at in (
        Signature.objects.filter(statement__in=statements)
        .order_by("organization_id", "statement_id")
        .values_list("organization_id", "statement_id", "statement__updated_at")
    ):
        signed.setdefault(organization_id, []).append((pk, updated_at))
    language_of = {s.pk: s.language for s in statements}
    for organization in Organization.objects.filter(pk__in=signed):
        inputs = digest("organization", organization.pk, signed[organization.pk])
        # Each language's page lists its own statements, paginated (OrganizationDetailView).
        for language in languages():
            own = sum(language_of[pk] == language for pk, _ in signed[organization.pk])
            url = organization.get_absolute_url(language)
            pages += _pages(url, math.ceil(own / PAGE_SIZE), inputs)
        # Its logo, beside its name on its page and on the home page.
        if organization.logo:
            pages.append(SitePage(organization.logo.url, digest("logo", organization.logo.name)))
    # A page answers under every language's prefix (in that language where it has one).
    written = {}
    for page in Page.objects.all():
        written.setdefault(page.slug, []).append((page.pk, page.updated_at))
    for slug, versions in written.items():
        for language in languages():
            with translation.override(language):
                pages.append(SitePage(reverse("pages:page", args=[slug]), digest("page", versions)))
    return pages


def shared_inputs():
    """What every page shows besides its own inputs: organizations' names (in signatory lists
    everywhere) and the settings that appear in pages."""
    organizations = list(
        Organization.objects.order_by("pk").values_list(
            "pk", "name", "short_name", "slug", "website", "description", "logo"
        )
    )
    # Their names in the other languages (statements.models.Organization.in_language).
    names = list(
        OrganizationTranslation.objects.order_by("pk").values_list(
            "pk", "organization_id", "language", "name", "short_name", "description"
        )
    )
    return digest(
        organizations,
        names,
        # The site's name, tagline and footer text in every language, its colour and logo.
        [identity.current(language) for language in languages()],
        settings.SITE_LANGUAGES,
        settings.ORIGIN_URL,
        settings.ONION_URL,
        settings.SITE_NAME,
        settings.TIME_ZONE,
        settings.LANGUAGE_CODE,
        settings.COMMENTS_PER_PAGE,
    )
