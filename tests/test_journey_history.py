"""An editor corrects a published statement and records an organization that joined later; a
reader on a phone and one at a desk follow "see changes" to the history, compare revisions
and fetch the canonical text whose SHA-256 is the fingerprint shown."""

import hashlib
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import PHONE, log_in, write_body
from tests.builders import make_organization, make_statement, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def editor():
    make_user("edith", password="a-long-editor-password", groups=["Editors"], is_staff=True)
    return "edith", "a-long-editor-password"


@pytest.fixture
def statement():
    return make_statement(
        title="بیانیه برای هوای پاک",
        slug="clean-air",
        body="<p>ما خواهان هوای پاک هستیم.</p><p>هر شهر باید آلودگی را اندازه بگیرد.</p>",
        published_at=timezone.now() - timedelta(days=7),
        signatories=[make_organization(name="Association of Physicians", slug="physicians")],
    )


def test_reader_sees_what_changed_and_can_check_the_text(journey, editor, statement):
    make_organization(name="Coalition for Clean Air", slug="clean-air-coalition")
    page = journey.open("editor")
    log_in(page, *editor)
    page.goto(reverse("admin:statements_statement_change", args=[statement.pk]))
    write_body(page, "ما خواهان هوای پاک و سالم هستیم.", "هر شهر باید آلودگی را اندازه بگیرد.")
    page.locator("#signatures-1 .select2-selection").click()
    page.locator(".select2-search__field").fill("Coalition")
    page.locator(".select2-results__option", has_text="Coalition for Clean Air").click()
    page.locator("#id_signatures-1-order").fill("2")
    joined = (timezone.localdate() - timedelta(days=1)).isoformat()
    page.locator("#id_signatures-1-joined_on").fill(joined)
    page.locator("input[name=_publish]").click()
    expect(page.locator(".errornote")).to_be_visible()  # no note yet: asked for one
    expect(page.locator(".inline-group")).to_contain_text("write a note for readers")
    page.locator("#id_note").fill("One word added; the Coalition for Clean Air joined.")
    page.locator("input[name=_publish]").click()
    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    journey.check(page, "published-with-note")

    phone = journey.open("reader-phone", screen=PHONE)
    phone.goto(statement.get_absolute_url())
    expect(phone.locator("#signed-clean-air-coalition")).to_contain_text("joined on")
    phone.get_by_role("link", name="see changes").click()
    phone.wait_for_url(f"**{statement.get_history_url()}")
    expect(phone.locator(".revisions > li")).to_have_count(2)
    expect(phone.locator("#revision-2 .note")).to_have_text(
        "One word added; the Coalition for Clean Air joined."
    )
    journey.check(phone, "history")
    phone.get_by_role("link", name="Changes since revision 1").click()
    phone.wait_for_url(f"**{statement.get_comparison_url(1, 2)}")
    expect(phone.locator("section.diff-section ins").first).to_contain_text("و سالم")
    expect(phone.locator("section.diff-section ins").last).to_contain_text(
        "Coalition for Clean Air"
    )
    journey.check(phone, "comparison")

    desk = journey.open("reader-desk")
    desk.goto(statement.get_history_url())
    desk.locator("#compare-older").select_option("2")
    desk.locator("#compare-newer").select_option("1")
    desk.get_by_role("button", name="Compare").click()
    desk.wait_for_url(f"**{statement.get_comparison_url(1, 2)}")
    journey.check(desk, "comparison")
    desk.goto(statement.get_history_url())
    fingerprint = desk.locator("#revision-2 .fingerprint").inner_text()
    text = desk.request.get(statement.get_revision_text_url(2))
    assert hashlib.sha256(text.body()).hexdigest() == fingerprint
