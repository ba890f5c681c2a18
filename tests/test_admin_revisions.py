"""Staff compare any two revisions, drafts included, and revert without losing history."""

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from statements.formats import format_datetime
from statements.models import Statement
from tests.builders import make_comment, make_statement, save_in_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(client, editor):
    statement = make_statement(title="Clean air", body="<p>We want clean air.</p>")
    save_in_admin(client, statement, body="<p>We want clean air now.</p>", note="Now.")
    statement.refresh_from_db()
    save_in_admin(client, statement, button="_save_draft", body="<p>Draft words.</p>")
    statement.refresh_from_db()
    return statement


def versions(statement):
    return list(Version.objects.get_for_object(statement).order_by("pk"))


def test_admin_history_offers_to_compare_any_two_revisions(client, statement):
    url = reverse("admin:statements_statement_history", args=[statement.pk])
    content = client.get(url).content.decode()
    assert reverse("admin:statements_statement_compare", args=[statement.pk]) in content
    assert content.count('name="older"') == len(versions(statement)) == 3


def test_admin_compares_a_draft_revision_with_the_first(client, statement):
    first, _, draft = versions(statement)
    url = reverse("admin:statements_statement_compare", args=[statement.pk])
    response = client.get(url, {"older": draft.pk, "newer": first.pk})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<ins>" in content and "Draft" in content and "<del>" in content


@pytest.mark.parametrize("query", [{}, {"older": "x", "newer": "1"}, {"older": "999999"}])
def test_admin_comparison_with_bad_input_goes_back_to_the_history(client, statement, query):
    url = reverse("admin:statements_statement_compare", args=[statement.pk])
    response = client.get(url, query)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:statements_statement_history", args=[statement.pk]
    )


def test_revert_records_a_new_revision_and_keeps_all_history(client, statement):
    make_comment(statement)
    Statement.objects.filter(pk=statement.pk).update(comment_count=1)
    first = versions(statement)[0]
    url = reverse("admin:statements_statement_revision", args=[statement.pk, first.pk])
    form = client.get(url)
    assert form.status_code == 200
    assert "We want clean air." in form.content.decode()
    statement.refresh_from_db()
    assert statement.body == "<p>Draft words.</p>"  # looking changes nothing

    data = {
        "title": "Clean air",
        "slug": statement.slug,
        "language": statement.language,
        "summary": "",
        "body": "<p>We want clean air.</p>",
        "status": "published",
        "published_at_0": statement.published_at.strftime("%Y-%m-%d"),
        "published_at_1": statement.published_at.strftime("%H:%M:%S"),
        "comment_mode": "open",
        "note": "",
        "signatures-TOTAL_FORMS": "0",
        "signatures-INITIAL_FORMS": "0",
        "_publish": "1",
    }
    assert client.post(url, data).status_code == 302
    statement.refresh_from_db()
    assert statement.body == "<p>We want clean air.</p>"
    assert statement.comment_count == 1
    assert len(versions(statement)) == 4
    latest = statement.public_revisions.first()
    assert latest.number == 3 and latest.note == "Restored the text of revision 1."
    assert list(statement.public_revisions.values_list("number", flat=True)) == [3, 2, 1]


def test_change_form_dates_public_revisions_as_the_admin_language_writes_them(client, statement):
    revision = statement.public_revisions.first()
    url = reverse("admin:statements_statement_change", args=[statement.pk])
    content = client.get(url, headers={"accept-language": "fa"}).content.decode()
    assert format_datetime(revision.created_at, "fa") in content
    assert f"{timezone.localtime(revision.created_at):%Y-%m-%d %H:%M}" not in content
