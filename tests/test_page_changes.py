"""Whatever changes what a statement page shows reaches readers at once, cached page or not."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from statements.caching import (
    KeptPageMiddleware,
    public_page,
    statement_pages_changed,
)
from statements.models import Organization
from tests.builders import make_organization, make_statement, statement_form_data

pytestmark = pytest.mark.django_db


def page(client, statement):
    return client.get(statement.get_absolute_url()).content.decode()


def test_organization_edited_in_the_admin_shows_on_every_statement_it_signs(client, editor):
    organization = make_organization(name="Old Name")
    statements = [make_statement(signatories=[organization]) for _ in range(2)]
    reader = type(client)()
    assert all("Old Name" in page(reader, s) for s in statements)  # now cached
    client.post(
        reverse("admin:statements_organization_change", args=[organization.pk]),
        {"name": "New Name", "slug": organization.slug, "short_name": "", "website": ""},
    )
    assert all("New Name" in page(reader, s) for s in statements)


def test_signature_added_in_the_admin_shows_at_once(client, editor):
    statement = make_statement()
    organization = make_organization(name="Latecomer Union")
    reader = type(client)()
    assert "Latecomer Union" not in page(reader, statement)
    data = statement_form_data(statement)
    data.update(
        {
            "signatures-TOTAL_FORMS": "1",
            "signatures-0-organization": organization.pk,
            "signatures-0-order": "1",
            "signatures-0-signed_as": "",
            # A published statement: the admin asks for the day it joined and a note.
            "signatures-0-joined_on": timezone.localdate().isoformat(),
            "note": "Latecomer Union joined.",
            "_save": "Save",
        }
    )
    response = client.post(reverse("admin:statements_statement_change", args=[statement.pk]), data)
    assert response.status_code == 302
    assert "Latecomer Union" in page(reader, statement)


def test_load_demo_corrects_organizations_on_every_statement_they_sign(client):
    call_command("load_demo", stdout=StringIO())
    organization = Organization.objects.get(short_name="USRHR")
    other = make_statement(signatories=[organization])
    Organization.objects.filter(pk=organization.pk).update(name="A stale name")
    assert "A stale name" in page(client, other)  # rendered and cached
    call_command("load_demo", stdout=StringIO())
    assert "A stale name" not in page(client, other)
    assert organization.name in page(client, other)


def test_a_page_rendered_from_rows_read_before_a_change_is_never_kept_past_it(
    client, statement, rf, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as commit:
        statement_pages_changed([statement.pk])  # a moderator's approval, not committed yet ...

    @public_page
    def reader(request):  # ... as a reader's render of the page starts ...
        for callback in commit:  # ... the approval commits ...
            callback()
        return HttpResponse(b"A page of before the change")  # ... and the render ends

    KeptPageMiddleware(reader)(rf.get(statement.get_absolute_url()))
    assert "A page of before the change" not in page(client, statement)


def test_a_deploys_processes_never_answer_with_a_page_the_code_before_it_kept(
    client, statement, rf, monkeypatch
):
    from statements import caching

    @public_page
    def code_before(request):
        return HttpResponse(b"A page of the code before the deploy")

    monkeypatch.setattr(caching, "release", lambda: "before")
    KeptPageMiddleware(code_before)(rf.get(statement.get_absolute_url()))
    # A process of that code (a client of its own: no copies of the process's) answers with it.
    assert "A page of the code before the deploy" in page(type(client)(), statement)
    monkeypatch.setattr(caching, "release", lambda: "after")
    assert "A page of the code before the deploy" not in page(type(client)(), statement)


def test_a_statement_deleted_in_the_admin_is_gone_at_once_and_takes_no_comment(admin_client):
    statement = make_statement(title="Soon withdrawn")
    reader = type(admin_client)()
    assert "Soon withdrawn" in page(reader, statement)  # now kept
    assert reader.get(statement.get_comment_url()).status_code == 200  # its statement too
    delete = reverse("admin:statements_statement_delete", args=[statement.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    assert reader.get(statement.get_absolute_url()).status_code == 404
    assert reader.post(statement.get_comment_url(), {"text": "Too late"}).status_code == 404


class CacheDown:
    """The cache as django-redis answers while Redis is down: nothing found, nothing kept."""

    def get(self, key, default=None):
        return default

    def get_many(self, keys):
        return {}

    def add(self, *args, **kwargs):
        return False

    def set(self, *args, **kwargs):
        return None


def test_while_the_cache_is_down_every_reader_gets_the_page_as_it_is(
    client, statement, monkeypatch
):
    from statements import caching

    monkeypatch.setattr(caching, "cache", CacheDown())
    assert statement.title in page(client, statement)
    statement.title = "Edited while Redis was down"
    statement.save()
    statement_pages_changed([statement.pk])
    assert "Edited while Redis was down" in page(client, statement)


def test_statements_deleted_together_in_the_admin_are_gone_at_once(admin_client):
    statements = [make_statement(title=f"Withdrawn {n}") for n in range(2)]
    reader = type(admin_client)()
    assert all(f"Withdrawn {n}" in page(reader, s) for n, s in enumerate(statements))
    changelist = reverse("admin:statements_statement_changelist")
    chosen = {"action": "delete_selected", "_selected_action": [s.pk for s in statements]}
    assert admin_client.post(changelist, {**chosen, "post": "yes"}).status_code == 302
    assert all(reader.get(s.get_absolute_url()).status_code == 404 for s in statements)
