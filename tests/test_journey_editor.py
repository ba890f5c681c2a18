"""An editor in Chromium drafts a statement in the admin, previews it, then publishes it; a
reader finds it everywhere readers look."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from statements.models import Statement
from tests.browser import log_in, paste_into_body
from tests.builders import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASTED_BODY = (
    "<p onclick=\"alert('clicked')\">We, the undersigned, call for clean air.</p>\n"
    "<script>alert('pasted script')</script>\n"
    "<p>Every city must publish its measurements.</p>"
)


@pytest.fixture
def editor():
    make_user("edith", password="a-long-editor-password", groups=["Editors"], is_staff=True)
    return "edith", "a-long-editor-password"


def add_organization(journey, page, name, short_name, expected_slug, then):
    page.locator("#id_name").fill(name)
    page.locator("#id_name").press("Tab")  # the admin fills in the slug as the name is left
    expect(page.locator("#id_slug")).to_have_value(expected_slug)
    page.locator("#id_short_name").fill(short_name)
    journey.check(page, f"add-organization-{expected_slug}")
    page.locator(f"input[name={then}]").click()
    expect(page.locator(".messagelist .success")).to_contain_text(f"“{name}” was added")


def choose_signatory(page, row, organization, order):
    """Fill one row of the signatory inline; the organization comes from the autocomplete."""
    page.locator(f"#signatures-{row} .select2-selection").click()
    page.locator(".select2-search__field").fill(organization)
    page.locator(".select2-results__option", has_text=organization).click()
    page.locator(f"#id_signatures-{row}-order").fill(str(order))


def expect_body_cleaned(page):
    body = page.locator(".statement .body")
    expect(body).to_contain_text("We, the undersigned, call for clean air.")
    expect(body).to_contain_text("Every city must publish its measurements.")
    expect(body).not_to_contain_text("pasted script")
    expect(body.locator("script")).to_have_count(0)
    expect(page.locator(".statement [onclick]")).to_have_count(0)
    # Nothing happens on a click where the pasted handler was.
    body.locator("p").first.click()


def expect_signatories_in_order(page):
    expect(page.locator(".signatories li")).to_have_text(
        ["Coalition for Clean Air", "Association of Physicians"]
    )
    expect(page.locator(".signed-by a")).to_have_text(["CCA", "AP"])


def test_editor_drafts_then_publishes_a_statement_readers_then_find(journey, editor):
    page = journey.open("editor")
    reader = journey.open("reader")

    log_in(page, *editor)
    journey.check(page, "admin-index")

    page.get_by_role("link", name="Organizations").click()
    page.get_by_role("link", name="Add organization").click()
    add_organization(
        journey, page, "Association of Physicians", "AP", "association-of-physicians", "_addanother"
    )
    add_organization(
        journey, page, "Coalition for Clean Air", "CCA", "coalition-for-clean-air", "_save"
    )
    journey.check(page, "organizations")

    page.locator("#nav-sidebar tr.model-statement").get_by_role("link", name="Add").click()
    page.locator("#id_title").fill("Clean air now")
    page.locator("#id_title").press("Tab")
    expect(page.locator("#id_slug")).to_have_value("clean-air-now")
    page.locator("#id_summary").fill("Physicians and citizens ask for clean air.")
    page.locator("#id_language").select_option("en")  # the site's default is Persian
    paste_into_body(page, PASTED_BODY)
    # Added first, signs second: the order field decides.
    choose_signatory(page, 0, "Association of Physicians", 2)
    page.get_by_role("button", name="Add another Signature").click()
    choose_signatory(page, 1, "Coalition for Clean Air", 1)
    journey.check(page, "statement-written")

    page.locator("input[name=_save_draft]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was added successfully")
    expect(page.locator(".field-status .readonly")).to_have_text("Draft")
    # A draft's buttons: the first keeps it a draft.
    expect(page.locator(".submit-row input[type=submit]").first).to_have_value("Save as draft")
    journey.check(page, "saved-as-draft")
    statement = Statement.objects.get(slug="clean-air-now")
    assert statement.status == Statement.Status.DRAFT

    response = reader.goto(statement.get_absolute_url())
    assert response.status == 404
    journey.check(reader, "draft-is-not-found")
    reader.goto("/en/")
    expect(reader.locator("main")).not_to_contain_text("Clean air now")

    page.goto(statement.get_preview_url())
    expect(page.locator(".notice")).to_contain_text("this is a draft; readers cannot see it")
    expect(page.locator("h1")).to_have_text("Clean air now")
    expect_body_cleaned(page)
    expect_signatories_in_order(page)
    journey.check(page, "staff-preview-of-draft")
    statement.refresh_from_db()
    assert "<script" not in statement.body
    assert "onclick" not in statement.body

    page.goto(reverse("admin:statements_statement_change", args=[statement.pk]))
    page.locator("input[name=_publish]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    expect(page.locator(".field-status .readonly")).to_have_text("Published")
    # A published statement's buttons: the first keeps it published.
    expect(page.locator(".submit-row input[type=submit]").first).to_have_value("Save changes")
    journey.check(page, "published")

    reader.goto("/en/")
    reader.get_by_role("link", name="Clean air now").click()
    reader.wait_for_url(f"**{statement.get_absolute_url()}")
    expect_body_cleaned(reader)
    expect_signatories_in_order(reader)
    journey.check(reader, "published-statement")

    reader.goto("/en/statements/")
    expect(reader.get_by_role("link", name="Clean air now")).to_be_visible()
    journey.check(reader, "statement-list")
    for organization in ("Coalition for Clean Air", "Association of Physicians"):
        reader.goto(statement.get_absolute_url())
        reader.locator(".signatories").get_by_role("link", name=organization).click()
        expect(reader.locator("h1")).to_contain_text(organization)
        expect(reader.get_by_role("link", name="Clean air now")).to_be_visible()
        journey.check(reader, f"organization-{organization.split()[-1].lower()}")

    for feed in ("/en/feeds/rss/", "/en/feeds/atom/"):
        response = reader.request.get(feed)
        assert response.ok
        assert re.search(r"<title>Clean air now</title>", response.text()), feed
        assert statement.get_absolute_url() in response.text()
