"""An editor in Chromium adds the Persian translation of an English statement from its admin
page: the form comes prefilled from the source, signatories included; readers then switch
between the two editions; a later change to the source marks the translation outdated, and a
second Persian edition is refused with nothing saved."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from statements.models import Statement
from tests.browser import log_in, write_body
from tests.builders import make_organization, make_statement, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def source():
    organizations = [make_organization(name=name) for name in ("First Union", "Second League")]
    return make_statement(
        title="Clean air now",
        slug="clean-air-now",
        body="<p>We call for clean air.</p>",
        signatories=organizations,
    )


@pytest.fixture
def editor():
    make_user("edith", password="a-long-editor-password", groups=["Editors"], is_staff=True)
    return "edith", "a-long-editor-password"


def editions(page):
    """The editions list of a statement's admin page, as "language: state" lines."""
    return [line.strip() for line in page.locator("ul.editions li").all_inner_texts()]


def test_editor_adds_a_translation_readers_switch_to_it(journey, editor, source):
    page = journey.open("editor")
    reader = journey.open("reader")
    log_in(page, *editor)

    page.goto(reverse("admin:statements_statement_change", args=[source.pk]))
    assert editions(page) == ["فارسی: missing Add translation", "English: source this one"]
    journey.check(page, "source-with-a-missing-edition")

    page.locator("ul.editions").get_by_role("link", name="Add translation").click()
    expect(page.locator("#id_title")).to_have_value("Clean air now")
    expect(page.locator("#id_slug")).to_have_value("clean-air-now")
    expect(page.locator("#id_language")).to_have_value("fa")
    expect(page.locator("#id_translation_of")).to_have_value(str(source.pk))
    for row, organization in enumerate(source.signatories.all()):
        expect(page.locator(f"#id_signatures-{row}-organization")).to_have_value(
            str(organization.pk)
        )
    journey.check(page, "translation-prefilled")

    page.locator("#id_title").fill("هوای پاک، همین حالا")
    page.locator("#id_summary").fill("")
    write_body(page, "ما خواهان هوای پاک هستیم.")
    page.locator("input[name=_publish]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    assert editions(page) == ["فارسی: up to date this one", "English: source Clean air now"]
    journey.check(page, "translation-published")
    persian = Statement.objects.get(language="fa")
    assert persian.translation_of == source
    assert [s.organization for s in persian.signature_list] == [
        s.organization for s in source.signature_list
    ]

    reader.goto(source.get_absolute_url())
    reader.locator("nav.languages").get_by_role("link", name="فارسی").click()
    reader.wait_for_url(f"**{persian.get_absolute_url()}")
    expect(reader.locator("h1")).to_have_text("هوای پاک، همین حالا")
    expect(reader.locator("html")).to_have_attribute("dir", "rtl")
    journey.check(reader, "persian-edition")
    reader.locator("nav.languages").get_by_role("link", name="English").click()
    reader.wait_for_url(f"**{source.get_absolute_url()}")

    # The source changes: its translation is outdated until someone saves it again.
    page.goto(reverse("admin:statements_statement_change", args=[source.pk]))
    write_body(page, "We call for clean air, today.")
    page.locator("input[name=_publish]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    assert editions(page)[0] == "فارسی: outdated هوای پاک، همین حالا"
    journey.check(page, "translation-outdated")

    # A second Persian edition is refused, with the reason, and nothing is saved.
    page.goto(
        reverse("admin:statements_statement_add") + f"?translation_of={source.pk}&language=fa"
    )
    page.locator("#id_language").select_option("fa")
    page.locator("#id_slug").fill("another-persian-edition")
    page.locator("input[name=_save_draft]").click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".field-language .errorlist")).to_contain_text("one edition per language")
    journey.check(page, "second-edition-refused")
    assert Statement.objects.count() == 2
