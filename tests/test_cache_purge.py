"""A change to what a statement's pages show purges their copies from nginx (and a CDN) after
it commits, never failing the change; and no reader can purge."""

import http.client
import logging
import urllib.request
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import translation

from comments import moderation
from comments.models import Comment
from statements.caching import site_changed, statement_pages_changed
from tests.builders import (
    make_comment,
    make_draft,
    make_organization,
    make_statement,
    statement_form_data,
)
from tests.tools import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def purged(settings, monkeypatch):
    """The addresses each purge of nginx was asked for, one list per purge."""
    settings.CACHE_PURGE_URL = "http://127.0.0.1:9"
    calls = []
    monkeypatch.setattr("statements.caching.purge_nginx", lambda addresses: calls.append(addresses))
    return calls


def after_commit(callbacks_fixture, purged, change):
    """Make `change`; check that nothing is purged before the commit; return what is then
    (a save may say "changed" more than once: each is purged)."""
    with callbacks_fixture(execute=False) as callbacks:
        change()
    assert purged == [], "purged before the change was committed"
    for callback in callbacks:
        callback()
    assert purged
    return set().union(*purged)


def lists(language):
    with translation.override(language):
        return {
            reverse("statements:home"),
            reverse("statements:list"),
            reverse("statements:rss"),
            reverse("statements:atom"),
        }


def test_approving_a_comment_purges_every_page_of_comments_and_the_lists(
    purged, moderator, django_capture_on_commit_callbacks, settings
):
    settings.COMMENTS_PER_PAGE = 2
    statement = make_statement()
    for _ in range(4):
        make_comment(statement)
    pending = make_comment(statement, status="pending")
    moderation.refresh_comment_counts([statement.pk])
    purged.clear()

    addresses = after_commit(
        django_capture_on_commit_callbacks,
        purged,
        lambda: moderation.decide(Comment.objects.filter(pk=pending.pk), "approved", moderator),
    )
    url = statement.get_absolute_url()
    # Five comments, two a page: pages 1-3, and one more (the last page before a removal).
    assert {url, f"{url}?page=1", f"{url}?page=3", f"{url}?page=4"} <= addresses
    assert lists("en") | lists("fa") | {"/sitemap.xml"} <= addresses
    with translation.override("en"):
        assert reverse("statements:year", args=[statement.date.year]) in addresses


def test_editing_a_statement_purges_its_page_its_other_edition_and_its_signatories(
    purged, editor, client, django_capture_on_commit_callbacks
):
    organization = make_organization()
    source = make_statement(signatories=[organization])
    persian = make_statement(language="fa", translation_of=source, slug=source.slug)
    purged.clear()
    data = statement_form_data(source, title="A new title", _save="Save")

    addresses = after_commit(
        django_capture_on_commit_callbacks,
        purged,
        lambda: client.post(reverse("admin:statements_statement_change", args=[source.pk]), data),
    )
    assert {source.get_absolute_url(), source.get_history_url()} <= addresses
    assert persian.get_absolute_url() in addresses
    assert {organization.get_absolute_url("en"), organization.get_absolute_url("fa")} <= addresses


def test_adding_a_translation_purges_the_source_whose_language_switcher_links_it(
    purged, admin_client, django_capture_on_commit_callbacks
):
    source = make_statement()
    purged.clear()
    data = statement_form_data(source, title="منبع", language="fa", translation_of=source.pk)

    addresses = after_commit(
        django_capture_on_commit_callbacks,
        purged,
        lambda: admin_client.post(reverse("admin:statements_statement_add"), data),
    )
    translation_url = source.translations.get().get_absolute_url()
    assert {source.get_absolute_url(), translation_url} <= addresses


def test_renaming_an_organization_purges_every_statement_it_signs(
    purged, editor, client, django_capture_on_commit_callbacks
):
    organization = make_organization(name="Old Name")
    statements = [make_statement(signatories=[organization]) for _ in range(2)]
    unrelated = make_statement()
    purged.clear()

    addresses = after_commit(
        django_capture_on_commit_callbacks,
        purged,
        lambda: client.post(
            reverse("admin:statements_organization_change", args=[organization.pk]),
            {"name": "New Name", "slug": organization.slug, "short_name": "", "website": ""},
        ),
    )
    assert {s.get_absolute_url() for s in statements} <= addresses
    assert organization.get_absolute_url("fa") in addresses
    assert unrelated.get_absolute_url() not in addresses


def test_a_purge_that_fails_is_logged_and_the_approval_stands(
    settings, moderator, django_capture_on_commit_callbacks, caplog
):
    settings.CACHE_PURGE_URL = f"http://127.0.0.1:{free_port()}"  # nobody listens
    statement = make_statement()
    pending = make_comment(statement, status="pending")
    with (
        caplog.at_level(logging.WARNING, logger="statements.caching"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        moderation.decide(Comment.objects.filter(pk=pending.pk), "approved", moderator)
    pending.refresh_from_db()
    assert pending.status == Comment.Status.APPROVED
    assert "Could not purge" in caplog.text


def test_a_failed_purge_never_fails_the_editors_save(
    settings, editor, client, django_capture_on_commit_callbacks
):
    settings.CACHE_PURGE_URL = f"http://127.0.0.1:{free_port()}"
    statement = make_statement()
    data = statement_form_data(statement, title="Saved all the same", _save="Save")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:statements_statement_change", args=[statement.pk]), data
        )
    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.title == "Saved all the same"


def test_a_cdn_gets_the_full_addresses_through_its_command(
    settings, tmp_path, django_capture_on_commit_callbacks, run_tasks
):
    settings.SITE_URL = "https://statements.example.org"
    settings.ONION_URL = "http://exampleonion.onion"
    received = tmp_path / "purged.txt"
    settings.CACHE_PURGE_COMMAND = f"tee {received}"
    statement = make_statement()
    with django_capture_on_commit_callbacks(execute=True):
        statement_pages_changed([statement.pk])
    run_tasks(queues=["default"])
    lines = received.read_text().splitlines()
    assert "https://statements.example.org" + statement.get_absolute_url() in lines
    assert "https://exampleonion.onion" + statement.get_absolute_url() in lines


def test_a_new_site_identity_purges_every_public_statement_through_the_worker(purged, run_tasks):
    statements = [make_statement() for _ in range(2)]
    draft = make_draft()
    purged.clear()
    site_changed()
    assert purged == []  # not in the staff member's save
    run_tasks(queues=["default"])
    addresses = set().union(*purged)
    assert {s.get_absolute_url() for s in statements} | lists("en") | lists("fa") <= addresses
    assert draft.get_absolute_url() not in addresses


# Through the real nginx configuration (deploy/nginx/site.conf.template).


def fetch(url, method="GET", host=None):
    request = urllib.request.Request(url, method=method)  # noqa: S310 (loopback)
    if host:
        request.add_header("Host", host)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
            return response.status, response.headers.get("X-Cache-Status"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Cache-Status"), error.read()


@pytest.mark.django_db(transaction=True)
def test_an_approved_comment_reaches_readers_through_nginx_at_once(
    nginx, settings, data_migration_rows, moderator
):
    # data_migration_rows: an earlier transactional test's flush took the Moderators group.
    settings.CACHE_PURGE_URL = nginx.purge
    settings.SITE_URL = "http://127.0.0.1"
    statement = make_statement()
    pending = make_comment(statement, status="pending", text="Freshly approved words")
    page = nginx.web + statement.get_absolute_url()
    fetch(page)
    status, cache_status, body = fetch(page)
    assert (status, cache_status) == (200, "HIT")
    assert b"Freshly approved words" not in body

    moderation.decide(Comment.objects.filter(pk=pending.pk), "approved", moderator)
    status, cache_status, body = fetch(page)
    assert cache_status == "MISS"
    assert b"Freshly approved words" in body


@pytest.mark.django_db(transaction=True)
def test_readers_cannot_purge_through_the_site(nginx):
    statement = make_statement()
    page = nginx.web + statement.get_absolute_url()
    fetch(page)
    assert fetch(page)[1] == "HIT"
    status, _cache, _body = fetch(page, method="PURGE")
    assert status >= 400
    assert fetch(page)[1] == "HIT"
    # The purge server itself takes PURGE from the app's address (here, this machine's) only.
    connection = http.client.HTTPConnection(
        urlsplit(nginx.purge).hostname, urlsplit(nginx.purge).port
    )
    connection.request(
        "PURGE",
        statement.get_absolute_url(),
        headers={"X-Forwarded-Proto": "http", "Host": "127.0.0.1"},
    )
    assert connection.getresponse().status == 200
    assert fetch(page)[1] == "MISS"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("nginx", [{"purge_from": "10.11.12.13"}], indirect=True)
def test_the_purge_server_refuses_every_other_address(nginx):
    statement = make_statement()
    page = nginx.web + statement.get_absolute_url()
    fetch(page)
    status, _cache, _body = fetch(
        nginx.purge + statement.get_absolute_url(), method="PURGE", host="127.0.0.1"
    )
    assert status == 403
    assert fetch(page)[1] == "HIT"
