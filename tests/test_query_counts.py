"""Pages that list things run a fixed number of queries, however many signatories there are."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date

from comments.models import Campaign, Report, Rule
from statements.models import OrganizationTranslation
from tests.builders import make_comment, make_organization, make_statement

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    cache.clear()  # both counts from the same start: some parts (archive years) are kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("signatories", [1, 12])
def test_statement_page_queries_do_not_grow_with_signatories(
    client, django_assert_num_queries, signatories
):
    statement = make_statement(signatories=[make_organization() for _ in range(signatories)])
    # statement, signatures, organization names, its editions, comment count (no comments),
    # the site's identity (pages.identity: once, then from the cache)
    with django_assert_num_queries(6):
        client.get(statement.get_absolute_url())


def test_statement_page_kept_for_readers_makes_no_query(
    client, django_assert_num_queries, statement, comment
):
    url = statement.get_absolute_url()
    client.get(url)  # rendered and kept
    with django_assert_num_queries(0):
        response = client.get(url)
    assert "First thought." in response.content.decode()
    assert response["Last-Modified"] == http_date(statement.updated_at.timestamp())


def signed_editions(organizations):
    """A statement in English and its Persian translation, signed by `organizations`, each of
    which has a Persian name, and a comment on the English one."""
    for organization in organizations:
        OrganizationTranslation.objects.get_or_create(
            organization=organization, language="fa", defaults={"name": f"سازمان {organization.pk}"}
        )
    english = make_statement(signatories=organizations, title="Water for all", summary="water")
    make_statement(
        signatories=organizations,
        language="fa",
        title="آب برای همه",
        slug=english.slug,
        translation_of=english,
    )
    make_comment(english)
    return english


def list_addresses(organization, year):
    """Every page that lists statements or organizations, in both languages."""
    addresses = ["/sitemap.xml", "/sitemap-statements.xml", "/sitemap-organizations.xml"]
    for language, query in (("en", "water"), ("fa", "آب")):
        with translation.override(language):
            addresses += [
                reverse("statements:home"),
                reverse("statements:list"),
                reverse("statements:year", args=[year]),
                organization.get_absolute_url(),
                f"{reverse('statements:search')}?q={query}",
                reverse("statements:rss"),
                reverse("statements:atom"),
            ]
    return addresses


def test_list_pages_queries_do_not_grow_with_statements_or_signatories(
    client, django_assert_num_queries
):
    organization = make_organization()
    year = signed_editions([organization]).date.year
    few = {url: count_queries(client, url) for url in list_addresses(organization, year)}
    for _ in range(8):
        signed_editions([organization, *(make_organization() for _ in range(4))])
    for url, queries in few.items():
        cache.clear()
        with django_assert_num_queries(queries):
            response = client.get(url)
        assert response.status_code == 200, url


def test_organization_admin_list_queries_do_not_grow_with_organizations(admin_client):
    url = reverse("admin:statements_organization_changelist")
    make_statement(signatories=[make_organization()])
    few = count_queries(admin_client, url)
    for _ in range(6):
        make_statement(signatories=[make_organization() for _ in range(3)])
    content = admin_client.get(url).content.decode()
    assert count_queries(admin_client, url) == few
    assert content.count('<td class="field-statement_count">1</td>') == 19


@pytest.mark.filterwarnings("error::django.core.paginator.UnorderedObjectListWarning")
def test_organization_autocomplete_lists_names_in_order(client, editor):
    for name in ("Beta", "Alpha", "Gamma"):
        make_statement(signatories=[make_organization(name=name)])
    url = reverse("admin:autocomplete")
    params = {"app_label": "statements", "model_name": "signature", "field_name": "organization"}
    results = client.get(url, params).json()["results"]
    assert [r["text"] for r in results] == ["Alpha", "Beta", "Gamma"]


def test_moderation_queue_queries_do_not_grow_with_comments(client, moderator):
    """Each row shows its statement, the comment it answers, its campaign, rules and reports."""
    statement = make_statement()
    url = f"{reverse('admin:comments_comment_changelist')}?status=all"
    make_comment(statement, status="pending")
    few = count_queries(client, url)
    rule = Rule.objects.create(kind="phrase", action="deny", pattern="pills", reason="Spam.")
    campaign = Campaign.objects.create(kind=Campaign.Kind.SAME_TEXT)
    parent = make_comment(statement)
    for number in range(8):
        comment = make_comment(
            statement, status="pending", parent=parent, campaign=campaign, returning_author=True
        )
        comment.rules.add(rule)
        Report.objects.create(comment=comment, reason="spam", nonce=f"report-{number}")
    assert count_queries(client, url) == few
