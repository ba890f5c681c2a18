"""Staff roles: Editors publish statements, manage organizations and write the site's pages,
and nothing else."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from statements.models import Statement
from tests.builders import make_draft, make_organization, make_user, statement_form_data

pytestmark = pytest.mark.django_db


def test_editors_group_has_exactly_the_publishing_permissions():
    codenames = set(
        Group.objects.get(name="Editors").permissions.values_list("codename", flat=True)
    )
    # Besides statements, only these: editors' own comments skip the moderation queue, and
    # they write the site's own pages ("How to reach us"), which they may not delete.
    assert codenames - {"post_without_moderation", "add_page", "change_page", "view_page"} == {
        f"{action}_{model}"
        for model in ("statement", "organization", "signature")
        for action in ("add", "change", "delete", "view")
    }
    assert {"add_page", "change_page", "view_page"} <= codenames


def test_editor_can_publish_a_statement_through_the_admin(client):
    editor = make_user("editor", groups=["Editors"], is_staff=True)
    org = make_organization()
    client.force_login(editor)
    response = client.post(
        reverse("admin:statements_statement_add"),
        {
            "title": "A new statement",
            "slug": "a-new-statement",
            "language": "en",
            "summary": "",
            "body": "Text",
            "status": "draft",
            "published_at_0": "2024-01-02",
            "published_at_1": "10:00:00",
            "comment_mode": "open",
            "signatures-TOTAL_FORMS": "1",
            "signatures-INITIAL_FORMS": "0",
            "signatures-0-organization": org.pk,
            "signatures-0-order": "1",
            "signatures-0-signed_as": "",
            "_publish": "Publish",
        },
    )
    assert response.status_code == 302
    statement = Statement.objects.get(slug="a-new-statement")
    assert statement.status == Statement.Status.PUBLISHED
    assert statement.author == editor
    assert list(statement.signatories.all()) == [org]


def test_save_as_draft_button_unpublishes(client):
    editor = make_user("editor", groups=["Editors"], is_staff=True)
    client.force_login(editor)
    statement = make_draft()
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.PUBLISHED)
    statement.refresh_from_db()
    data = {**statement_form_data(statement), "_save_draft": "Save as draft"}
    client.post(reverse("admin:statements_statement_change", args=[statement.pk]), data)
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT


def test_staff_preview_shows_a_draft(client):
    client.force_login(make_user("editor", groups=["Editors"], is_staff=True))
    draft = make_draft(title="Not yet public")
    response = client.get(reverse("statements:preview", args=[draft.pk]))
    assert response.status_code == 200
    assert "Not yet public" in response.content.decode()
    assert "Staff preview" in response.content.decode()


def test_preview_is_not_open_to_readers(client):
    draft = make_draft(title="Not yet public")
    response = client.get(reverse("statements:preview", args=[draft.pk]))
    assert response.status_code == 302
    assert "Not yet public" not in response.content.decode()


def test_preview_is_not_open_to_staff_without_statement_permissions(client):
    client.force_login(make_user("someone", is_staff=True))
    draft = make_draft()
    assert client.get(reverse("statements:preview", args=[draft.pk])).status_code == 403


@pytest.mark.parametrize("button", ["_save_draft", "_publish"])
def test_status_buttons_keep_the_editor_on_the_form(client, editor, button):
    statement = make_draft()
    change = reverse("admin:statements_statement_change", args=[statement.pk])
    data = {**statement_form_data(statement), button: "1"}
    response = client.post(f"{change}?_changelist_filters=status%3Ddraft", data)
    assert response.status_code == 302
    assert response["Location"] == f"{change}?_changelist_filters=status%3Ddraft"
    data["slug"] = "another"
    response = client.post(reverse("admin:statements_statement_add"), data)
    added = Statement.objects.get(slug="another")
    assert response["Location"] == reverse("admin:statements_statement_change", args=[added.pk])


def test_plain_save_returns_to_the_list(client, editor):
    statement = make_draft()
    change = reverse("admin:statements_statement_change", args=[statement.pk])
    response = client.post(change, {**statement_form_data(statement), "_save": "Save"})
    assert response["Location"] == reverse("admin:statements_statement_changelist")


def test_view_on_site_redirect_does_not_reveal_drafts_to_staff_without_access(client, moderator):
    """The review's reproduction: a Moderator walking `/admin/r/<content type>/<pk>/`."""
    from django.contrib.contenttypes.models import ContentType

    draft = make_draft(slug="secret-plan")
    statement_type = ContentType.objects.get_for_model(Statement).pk
    response = client.get(reverse("admin:view_on_site", args=[statement_type, draft.pk]))
    assert response.status_code == 404
    assert "secret-plan" not in response.get("Location", "")
    missing = client.get(reverse("admin:view_on_site", args=[statement_type, draft.pk + 1000]))
    assert missing.status_code == 404


def test_view_on_site_redirect_works_for_staff_who_may_see_the_object(client, editor):
    from django.contrib.contenttypes.models import ContentType

    statement = make_draft(slug="our-plan")
    statement_type = ContentType.objects.get_for_model(Statement).pk
    response = client.get(reverse("admin:view_on_site", args=[statement_type, statement.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(statement.get_absolute_url())
