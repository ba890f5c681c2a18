"""Bad input is refused with a 4xx and a reason, never a 500, on PostgreSQL as on SQLite."""

import pytest
from django.urls import reverse

from tests.builders import make_comment, make_statement

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:comments_comment_changelist")


def test_nul_in_a_search_is_refused_not_a_server_error(client):
    response = client.get(reverse("statements:search") + "?q=%00")
    assert response.status_code == 400
    assert "not allowed" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_nul_anywhere_in_a_query_string_is_refused(client):
    assert client.get("/?x%00=1").status_code == 400
    assert client.get(reverse("statements:list") + "?page=1%00").status_code == 400


@pytest.mark.parametrize("query", ["status=%00", "q=%00", "reason=%00"])
def test_nul_in_a_queue_filter_is_refused(client, moderator, query):
    make_comment(make_statement(), status="pending")
    assert client.get(f"{QUEUE}?{query}").status_code == 400


@pytest.mark.parametrize("query", ["ip_address=x", "ip_address__in=1.2.3.4,x", "ip_address__gt=x"])
def test_queue_filter_by_a_malformed_address_is_refused(client, moderator, query):
    make_comment(make_statement(), status="pending", ip_address="192.0.2.1")
    assert client.get(f"{QUEUE}?status=all&{query}").status_code == 400


def test_queue_filter_by_an_address_works(client, moderator):
    statement = make_statement()
    make_comment(statement, status="pending", ip_address="192.0.2.1", text="From one.")
    make_comment(statement, status="pending", ip_address="192.0.2.2", text="From two.")
    response = client.get(f"{QUEUE}?status=all&ip_address=192.0.2.1")
    assert response.status_code == 200
    content = response.content.decode()
    assert "From one." in content and "From two." not in content
