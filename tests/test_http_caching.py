"""Who may keep a copy of which page: shared caches for anonymous pages, nobody for the rest."""

import pytest
from django.urls import reverse

from tests.builders import (
    make_comment,
    make_organization,
    make_statement,
    make_user,
    solved_comment_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    statement = make_statement(signatories=[make_organization(slug="org")])
    make_comment(statement)
    return statement


def public_urls(statement):
    return [
        reverse("statements:home"),
        reverse("statements:list"),
        reverse("statements:year", args=[statement.published_at.year]),
        statement.get_absolute_url(),
        "/en/organizations/org/",
        reverse("statements:search") + "?q=statement",
        reverse("statements:rss"),
        reverse("statements:atom"),
        reverse("sitemap"),
        "/robots.txt",
    ]


def assert_shared_cacheable(response):
    cache_control = response["Cache-Control"]
    assert response.status_code == 200
    assert "public" in cache_control
    assert "s-maxage=5" in cache_control
    assert "stale-while-revalidate=5" in cache_control
    assert "private" not in cache_control and "no-store" not in cache_control
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert response.has_header("ETag")


def assert_never_stored(response):
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_public_pages_may_be_kept_briefly_by_shared_caches(client, statement):
    for url in public_urls(statement):
        assert_shared_cacheable(client.get(url))


def test_statement_page_has_last_modified_and_answers_304(client, statement):
    response = client.get(statement.get_absolute_url())
    assert response.has_header("Last-Modified")
    again = client.get(statement.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_a_kept_statement_page_is_answered_whole_with_every_header(
    client, statement, django_assert_num_queries
):
    first = client.get(statement.get_absolute_url())
    with django_assert_num_queries(0):
        kept = client.get(statement.get_absolute_url())
    assert kept.content == first.content
    headers = {name: value for name, value in first.items() if name != "Date"}
    assert {name: value for name, value in kept.items() if name != "Date"} == headers
    assert {"Content-Security-Policy", "Content-Language", "X-Frame-Options"} <= set(headers)


def test_a_head_request_is_answered_from_the_kept_page_too(
    client, statement, django_assert_num_queries
):
    first = client.get(statement.get_absolute_url())
    with django_assert_num_queries(0):
        head = client.head(statement.get_absolute_url())
    assert head.status_code == 200 and head["ETag"] == first["ETag"]
    assert head.content == b""


def test_a_signed_in_reader_never_gets_the_page_kept_for_anonymous_readers(client, statement):
    assert_shared_cacheable(client.get(statement.get_absolute_url()))  # kept now
    client.force_login(make_user("someone"))
    assert_never_stored(client.get(statement.get_absolute_url()))


def test_public_pages_are_private_for_logged_in_users(client, statement):
    client.force_login(make_user("someone"))
    for url in public_urls(statement):
        assert_never_stored(client.get(url))


def test_comment_endpoints_are_never_stored(client, statement):
    assert_never_stored(client.get(statement.get_comment_url()))
    assert_never_stored(client.get(statement.get_comment_form_url()))
    response = client.post(statement.get_comment_url(), solved_comment_data(client, statement))
    assert_never_stored(client.get(response["Location"]))  # the author's pending view
    assert_never_stored(client.post(statement.get_comment_url(), {"name": "x"}))


def test_admin_pages_are_never_stored(client, statement):
    assert_never_stored(client.get(reverse("admin:login")))
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:index"),
        reverse("admin:comments_comment_changelist"),
        reverse("admin:statements_statement_change", args=[statement.pk]),
    ):
        assert_never_stored(client.get(url))


def test_staff_preview_is_never_stored(client, statement):
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    assert_never_stored(client.get(reverse("statements:preview", args=[statement.pk])))


def test_malformed_csrf_cookie_never_makes_a_shared_copy_with_a_cookie(client, statement):
    """The review's reproduction: a public page answered `public, s-maxage=5` and Set-Cookie."""
    with_cookie = 0
    for url in public_urls(statement):
        client.cookies["csrftoken"] = "not-a-token!"
        response = client.get(url)
        if response.cookies:
            with_cookie += 1
            assert_never_stored(response)
        else:
            assert_shared_cacheable(response)
    assert with_cookie, "the check above must have met a response with a cookie"


def test_comment_page_and_form_fragment_answer_head(client, statement):
    for url in (statement.get_comment_url(), statement.get_comment_form_url()):
        response = client.head(url)
        assert response.status_code == 200, url
        assert response.content == b""
        assert_never_stored(response)
