"""Which saves become public revisions, and what each records (who, when, what, a note)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from reversion.models import Version

from statements.models import PublicRevision, Statement
from tests.builders import (
    add_signatory_data,
    make_draft,
    make_organization,
    make_scheduled,
    make_statement,
    save_in_admin,
    statement_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    return make_statement(title="Clean air now", signatories=[make_organization(name="Union A")])


def numbers(statement):
    return list(statement.public_revisions.order_by("number").values_list("number", flat=True))


def test_a_published_statement_starts_with_revision_one(statement):
    first = statement.public_revisions.get()
    assert (first.number, first.changed_fields, statement.version) == (1, [], 1)
    assert statement.revised_at is None


def test_editing_a_published_statement_records_who_when_what_and_the_note(
    client, editor, statement
):
    before = timezone.now()
    response = save_in_admin(
        client, statement, title="Clean air for all", body="<p>New text.</p>", note="Clarified."
    )
    assert response.status_code == 302
    statement.refresh_from_db()
    latest = statement.public_revisions.first()
    assert (latest.number, statement.version) == (2, 2)
    assert latest.changed_fields == ["title", "body"]
    assert latest.note == "Clarified."
    assert latest.created_at >= before and statement.revised_at == latest.created_at
    assert latest.revision.user == editor
    assert latest.revision.comment == "Clarified."
    assert latest.body_text == "New text."


def test_saving_without_a_change_adds_no_public_revision_but_keeps_a_staff_one(
    client, editor, statement
):
    staff_before = Version.objects.get_for_object(statement).count()
    assert save_in_admin(client, statement, note="Nothing really").status_code == 302
    assert numbers(statement) == [1]
    assert Version.objects.get_for_object(statement).count() == staff_before + 1


def test_draft_saves_are_kept_for_staff_only(client, editor):
    draft = make_draft(title="Work in progress")
    response = save_in_admin(client, draft, button="_save_draft", body="<p>Second try.</p>")
    assert response.status_code == 302
    assert not PublicRevision.objects.filter(statement=draft).exists()
    assert Version.objects.get_for_object(draft).exists()


def test_publishing_a_draft_records_its_first_public_revision(client, editor):
    draft = make_draft(title="Soon public")
    assert save_in_admin(client, draft, body="<p>Final.</p>", note="").status_code == 302
    draft.refresh_from_db()
    assert numbers(draft) == [1] and draft.version == 1


def test_edits_before_a_scheduled_date_replace_the_pending_revision(client, editor):
    scheduled = make_scheduled(title="Tomorrow")
    assert numbers(scheduled) == [1]
    assert save_in_admin(client, scheduled, body="<p>Better words.</p>").status_code == 302
    only = scheduled.public_revisions.get()
    assert (only.number, only.body_text, only.changed_fields) == (1, "Better words.", [])


def test_edits_after_the_scheduled_date_add_revisions(client, editor):
    scheduled = make_scheduled(title="Went live")
    Statement.objects.filter(pk=scheduled.pk).update(
        published_at=timezone.now() - timedelta(hours=1)
    )
    scheduled.refresh_from_db()
    PublicRevision.objects.filter(statement=scheduled).update(published_at=scheduled.published_at)
    assert save_in_admin(client, scheduled, body="<p>Typo fixed.</p>").status_code == 302
    assert numbers(scheduled) == [1, 2]


def test_unpublishing_keeps_the_history_and_republishing_continues_it(client, editor, statement):
    save_in_admin(client, statement, body="<p>Second.</p>")
    statement.refresh_from_db()
    assert save_in_admin(client, statement, button="_save_draft").status_code == 302
    assert numbers(statement) == [1, 2]
    statement.refresh_from_db()
    save_in_admin(client, statement, button="_save_draft", body="<p>Third, as a draft.</p>")
    assert numbers(statement) == [1, 2]
    statement.refresh_from_db()
    save_in_admin(client, statement, note="Republished with a correction.")
    assert numbers(statement) == [1, 2, 3]
    assert statement.public_revisions.first().note == "Republished with a correction."


def test_signatories_and_date_are_tracked_fields(client, editor, statement):
    other = make_organization(name="Union B")
    data = add_signatory_data(
        statement_form_data(statement), other, 2, joined_on=timezone.localdate().isoformat()
    )
    response = save_in_admin(client, statement, data=data, note="Union B joined.")
    assert response.status_code == 302
    assert statement.public_revisions.first().changed_fields == ["signatories"]
    statement.refresh_from_db()
    earlier = statement.published_at - timedelta(days=2)
    save_in_admin(
        client,
        statement,
        published_at_0=earlier.strftime("%Y-%m-%d"),
        published_at_1=earlier.strftime("%H:%M:%S"),
    )
    assert statement.public_revisions.first().changed_fields == ["date"]


def test_the_public_revision_links_to_the_staff_revision_with_the_signatures(
    client, editor, statement
):
    save_in_admin(client, statement, body="<p>Changed.</p>", note="Changed.")
    latest = statement.public_revisions.first()
    models = {version._model.__name__ for version in latest.revision.version_set.all()}
    assert models == {"Statement", "Signature"}


def test_a_revision_recorded_ahead_of_its_date_is_dated_when_it_went_public():
    scheduled = make_scheduled(title="Dated")
    first = scheduled.public_revisions.get()
    assert first.created_at < scheduled.published_at
    assert first.public_since == scheduled.published_at


def test_each_language_edition_names_its_signatories_in_its_own_language():
    union = make_organization(name="Union for Secular Republic")
    union.translations.create(language="fa", name="اتحاد برای جمهوری سکولار")
    english = make_statement(language="en", signatories=[union])
    persian = make_statement(language="fa", translation_of=english, signatories=[union])
    assert english.public_revisions.get().canonical_text.endswith(
        "--\nUnion for Secular Republic\n"
    )
    assert persian.public_revisions.get().canonical_text.endswith("--\nاتحاد برای جمهوری سکولار\n")
