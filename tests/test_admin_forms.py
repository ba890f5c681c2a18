"""The admin's forms as staff meet them: every input named, one explained set of buttons on the
statement form, and the status decided only by those buttons. (How the pages fit a screen is
checked in Chromium: test_journey_admin_pages.py.)"""

import re

import pytest
from django.urls import reverse

from comments.models import Report
from statements.models import Statement
from tests.builders import (
    make_comment,
    make_draft,
    make_organization,
    make_statement,
    save_in_admin,
    statement_form_data,
)


def change_page(client, statement, language="en"):
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    return client.get(url, headers={"accept-language": language}).content.decode()


def tag(content, element_id):
    """The opening tag of the element with `element_id`."""
    return re.search(rf'<[^<>]*\bid="{element_id}"[^<>]*>', content).group(0)


def submit_buttons(content):
    return re.findall(r'<input type="submit" value="([^"]+)"[^>]* name="(\w+)"', content)


@pytest.mark.django_db
def test_a_draft_offers_save_as_draft_first_then_publish_each_explained(admin_client):
    content = change_page(admin_client, make_draft())
    assert submit_buttons(content) == [("Save as draft", "_save_draft"), ("Publish", "_publish")]
    assert "Save as draft: only staff see it" in content
    assert 'aria-describedby="submit-help"' in content
    assert 'name="status"' not in content  # no second control that says otherwise


@pytest.mark.django_db
def test_a_published_statement_offers_save_changes_first_then_unpublish(admin_client):
    content = change_page(admin_client, make_statement())
    # Enter in a field presses the first button: it keeps the statement published.
    assert submit_buttons(content) == [("Save changes", "_publish"), ("Unpublish", "_save_draft")]
    assert "Unpublish: readers no longer see it" in content


@pytest.mark.django_db
def test_the_buttons_speak_persian_in_the_persian_admin(admin_client):
    content = change_page(admin_client, make_draft(), language="fa")
    assert submit_buttons(content) == [
        ("ذخیره به‌عنوان پیش‌نویس", "_save_draft"),
        ("انتشار", "_publish"),
    ]
    assert "انتشار: خوانندگان آن را از تاریخ انتشار می‌بینند" in content


@pytest.mark.django_db
def test_the_status_is_set_by_the_buttons_not_by_a_field(admin_client):
    statement = make_draft()
    data = statement_form_data(statement, status=Statement.Status.PUBLISHED)
    assert (
        save_in_admin(admin_client, statement, button="_save_draft", data=data).status_code == 302
    )
    statement.refresh_from_db()
    assert statement.status == Statement.Status.DRAFT
    assert save_in_admin(admin_client, statement, button="_publish").status_code == 302
    statement.refresh_from_db()
    assert statement.status == Statement.Status.PUBLISHED


@pytest.mark.django_db
def test_signatory_rows_and_dates_have_named_inputs(admin_client):
    statement = make_statement(signatories=[make_organization(name="Signer")])
    content = change_page(admin_client, statement)
    for field in ("order", "organization", "signed_as", "joined_on", "DELETE"):
        assert "aria-label=" in tag(content, f"id_signatures-0-{field}"), field
    for part in ("0", "1"):
        assert f'<label for="id_published_at_{part}">' in content
    # The hint for "signed as" sits in the empty field (a table has no room for help text).
    assert 'placeholder="e.g. Political-Executive Boards of"' in content


@pytest.mark.django_db
def test_report_rows_can_be_deleted_by_a_named_box(admin_client):
    comment = make_comment(make_statement(), status="pending")
    Report.objects.create(comment=comment, reason="spam", nonce="n1")
    url = reverse("admin:comments_comment_change", args=[comment.pk])
    content = admin_client.get(url).content.decode()
    assert 'aria-label="Delete"' in tag(content, "id_reports-0-DELETE")


@pytest.mark.django_db
def test_the_factors_link_on_the_admin_home_speaks_persian(admin_client):
    content = admin_client.get(reverse("admin:index"), headers={"accept-language": "fa"})
    assert "عامل‌های ورود شما" in content.content.decode()
