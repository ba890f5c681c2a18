"""Pages that list things run a fixed number of queries, however many signatories there are."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.builders import make_organization, make_statement

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
    # statement, signatures, organization names, its editions, comment count (no comments)
    with django_assert_num_queries(5):
        client.get(statement.get_absolute_url())


@pytest.mark.parametrize("url_name", ["statements:home", "statements:list"])
def test_list_pages_queries_do_not_grow_with_statements_or_signatories(client, url_name):
    url = reverse(url_name)
    make_statement(signatories=[make_organization()])
    few = count_queries(client, url)
    for _ in range(8):
        make_statement(signatories=[make_organization() for _ in range(5)])
    assert count_queries(client, url) == few


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
