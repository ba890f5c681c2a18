"""Editions in the admin: each language's state, "Add translation" prefilled from the source,
and one edition per language with translations of sources only (refused with a message,
nothing saved)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from statements.models import EditionState, Statement
from tests.builders import make_organization, make_statement, statement_form_data

pytestmark = pytest.mark.django_db

ADD = reverse("admin:statements_statement_add")


@pytest.fixture
def source():
    orgs = [make_organization(name=f"Signer {n}") for n in (1, 2, 3)]
    statement = make_statement(title="The source", slug="the-source", signatories=orgs)
    statement.signatures.filter(organization=orgs[0]).update(signed_as="Boards of")
    return statement


def change_url(statement):
    return reverse("admin:statements_statement_change", args=[statement.pk])


def states(statement):
    return {code: state for code, _edition, state in statement.edition_states()}


def test_editions_are_missing_until_translated(source):
    assert states(source) == {"fa": EditionState.MISSING, "en": EditionState.SOURCE}


def test_translation_saved_after_the_source_is_up_to_date(source):
    make_statement(language="fa", translation_of=source, slug="the-source")
    assert states(source)["fa"] == EditionState.UP_TO_DATE


def test_translation_is_outdated_once_the_source_changes(admin_client, source):
    translation = make_statement(language="fa", translation_of=source, slug="the-source")
    Statement.objects.filter(pk=translation.pk).update(
        edited_at=timezone.now() - timedelta(hours=1)
    )
    data = statement_form_data(source, body="<p>A corrected source.</p>")
    assert admin_client.post(change_url(source), data).status_code == 302
    source.refresh_from_db()
    assert states(source)["fa"] == EditionState.OUTDATED
    assert states(translation)["fa"] == EditionState.OUTDATED
    # Saving the translation again brings it up to date.
    translation.refresh_from_db()
    assert (
        admin_client.post(change_url(translation), statement_form_data(translation)).status_code
        == 302
    )
    assert states(source)["fa"] == EditionState.UP_TO_DATE


def test_a_status_change_of_the_source_does_not_outdate_its_translations(admin_client, source):
    translation = make_statement(language="fa", translation_of=source, slug="the-source")
    Statement.objects.filter(pk=translation.pk).update(
        edited_at=timezone.now() - timedelta(hours=1)
    )
    Statement.objects.filter(pk=source.pk).update(
        content_changed_at=timezone.now() - timedelta(hours=2)
    )
    source.refresh_from_db()
    data = statement_form_data(source, comment_mode=Statement.CommentMode.CLOSED)
    assert admin_client.post(change_url(source), data).status_code == 302
    assert states(source)["fa"] == EditionState.UP_TO_DATE


def test_change_page_shows_editions_with_their_state_and_add_translation(admin_client, source):
    content = admin_client.get(change_url(source)).content.decode()
    assert "Add translation" in content
    assert f"{ADD}?translation_of={source.pk}&amp;language=fa" in content
    assert "missing" in content
    listing = admin_client.get(reverse("admin:statements_statement_changelist")).content.decode()
    assert "Add translation" in listing


def test_add_translation_is_prefilled_from_the_source_with_its_signatories(admin_client, source):
    response = admin_client.get(ADD, {"translation_of": source.pk, "language": "fa"})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.initial["title"] == "The source"
    assert form.initial["body"] == source.body
    assert form.initial["slug"] == "the-source"
    assert form.initial["language"] == "fa"
    assert form.initial["translation_of"] == source.pk
    assert form.initial["status"] == Statement.Status.DRAFT
    formset = response.context["inline_admin_formsets"][0].formset
    assert [f.initial for f in formset.forms[:3]] == [
        {"organization": s.organization_id, "order": s.order, "signed_as": s.signed_as}
        for s in source.signatures.all()
    ]


def test_saving_the_prefilled_translation_makes_the_edition(admin_client, source):
    data = statement_form_data(source, title="منبع", language="fa", translation_of=source.pk)
    for i in range(3):
        data.pop(f"signatures-{i}-id")
        data[f"signatures-{i}-statement"] = ""
    data["signatures-INITIAL_FORMS"] = "0"
    assert admin_client.post(ADD, data).status_code == 302
    translation = Statement.objects.get(language="fa")
    assert translation.translation_of == source
    assert list(translation.signatories.all()) == list(source.signatories.all())
    assert states(source)["fa"] == EditionState.UP_TO_DATE


def refused(admin_client, data, field):
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert field in errors, errors
    return " ".join(errors[field])


def new_edition_data(source, **changes):
    data = statement_form_data(source, **changes)
    data["signatures-TOTAL_FORMS"] = data["signatures-INITIAL_FORMS"] = "0"
    return data


def test_a_second_edition_in_one_language_is_refused_and_nothing_saved(admin_client, source):
    make_statement(language="fa", translation_of=source, slug="first-fa")
    before = Statement.objects.count()
    message = refused(
        admin_client,
        new_edition_data(source, slug="second-fa", language="fa", translation_of=source.pk),
        "language",
    )
    assert "already has its" in message and "one edition per language" in message
    assert Statement.objects.count() == before


def test_a_translation_in_the_sources_own_language_is_refused(admin_client, source):
    before = Statement.objects.count()
    message = refused(
        admin_client,
        new_edition_data(source, slug="again", language="en", translation_of=source.pk),
        "language",
    )
    assert "one edition per language" in message
    assert Statement.objects.count() == before


def test_a_translation_of_a_translation_is_refused_and_nothing_saved(
    admin_client, source, settings
):
    settings.SITE_LANGUAGES = ["fa", "en", "ar"]
    settings.LANGUAGES = [("fa", "Persian"), ("en", "English"), ("ar", "Arabic")]
    persian = make_statement(language="fa", translation_of=source, slug="the-source")
    before = Statement.objects.count()
    data = new_edition_data(source, slug="arabic", language="ar", translation_of=persian.pk)
    response = admin_client.post(ADD, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    # The translation is not offered as a source at all; posted anyway, it is refused.
    assert "translation_of" in errors
    assert Statement.objects.count() == before
    with translation.override("en"):
        candidate = Statement(title="x", slug="x", body="x", language="ar", translation_of=persian)
        with pytest.raises(ValidationError) as refusal:
            candidate.full_clean()
        assert "is itself a translation" in str(refusal.value)


def test_a_source_with_translations_cannot_become_a_translation(admin_client, source):
    other = make_statement(title="Other source", slug="other")
    make_statement(language="fa", translation_of=source, slug="the-source")
    data = statement_form_data(source, language="en", translation_of=other.pk)
    response = admin_client.post(change_url(source), data)
    assert response.status_code == 200
    source.refresh_from_db()
    assert source.translation_of is None


def test_the_database_refuses_two_editions_in_one_language(source):
    from django.db import IntegrityError, transaction

    make_statement(language="fa", translation_of=source, slug="one")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_statement(language="fa", translation_of=source, slug="two")


def test_the_admin_speaks_persian_to_a_persian_browser(admin_client, source):
    content = admin_client.get(change_url(source), headers={"accept-language": "fa"}).content
    content = content.decode()
    assert "افزودن ترجمه" in content  # Add translation
    assert "ذخیرهٔ تغییرات" in content  # Save changes (the source is published)
    assert "لغو انتشار: خوانندگان دیگر آن را نمی‌بینند" in content  # what "Unpublish" does
