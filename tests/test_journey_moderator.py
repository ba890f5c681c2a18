"""A moderator in Chromium works through the queue in the admin; the reader who commented sees
only what was approved."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser import forget_cached_pages, log_in, solve_captcha
from tests.builders import make_organization, make_statement, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

THOUGHTFUL = (
    "Thank you for this statement.\n"
    "The full report is at https://example.org/clean-air-report\n"
    "\n"
    "Questions to ada@example.org, please."
)
XSS = (
    "<img src=x onerror=alert(1)> Cheap pills at https://pills.example.com/buy\n"
    "\n"
    "Write to pills@example.com"
)


@pytest.fixture
def statement():
    signatories = [make_organization(name="Coalition for Clean Air")]
    return make_statement(title="Clean air now", signatories=signatories)


@pytest.fixture
def moderator():
    make_user("moira", password="a-long-moderator-password", groups=["Moderators"], is_staff=True)
    return "moira", "a-long-moderator-password"


def write_comment(page, statement, text):
    page.goto(statement.get_absolute_url())
    page.locator("#add-comment").click()
    page.locator("#id_name").fill("Ada Reader")
    page.locator("#id_text").fill(text)
    solve_captcha(page)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-notice")).to_contain_text("queued for review")


def apply_to_row(page, text, action, message):
    """Tick the one comment in the queue that contains `text`, and run a bulk action on it."""
    row = page.locator("#result_list tbody tr", has_text=text)
    expect(row).to_have_count(1)
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Go").click()
    expect(page.locator(".messagelist .success")).to_have_text(message)


def test_moderator_approves_and_marks_spam_and_readers_see_only_the_approved_comment(
    journey, statement, moderator
):
    reader = journey.open("reader")
    write_comment(reader, statement, THOUGHTFUL)
    write_comment(reader, statement, XSS)
    forget_cached_pages()
    reader.goto(statement.get_absolute_url())
    expect(reader.locator("#comments")).to_contain_text("No comments yet.")
    journey.check(reader, "statement-before-moderation")

    page = journey.open("moderator")
    log_in(page, *moderator)
    pending = page.locator(".pending-comments")
    expect(pending).to_have_text("2 comments awaiting moderation")
    journey.check(page, "admin-index-with-pending-count")

    pending.get_by_role("link").click()
    expect(page.locator("h1")).to_have_text("Comments — 2 pending")
    queue = page.locator("#result_list tbody tr")
    expect(queue).to_have_count(2)
    expect(queue.first).to_contain_text("Thank you for this statement.")
    # The markup is shown as text here too; nothing in the queue runs.
    expect(page.locator("#result_list")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("#result_list img")).to_have_count(0)
    journey.check(page, "queue")

    apply_to_row(page, "Thank you for this statement.", "approve", "1 comment approved.")
    expect(page.locator("h1")).to_have_text("Comments — 1 pending")
    expect(queue).to_have_count(1)
    journey.check(page, "first-comment-approved")

    apply_to_row(page, "Cheap pills", "mark_spam", "1 comment marked as spam.")
    expect(page.locator("h1")).to_have_text("Comments — 0 pending")
    expect(queue).to_have_count(0)
    journey.check(page, "queue-empty")

    page.goto(reverse("admin:comments_comment_changelist") + "?status=all")
    for text, status in (("Thank you for this", "Approved"), ("Cheap pills", "Spam")):
        expect(page.locator("#result_list tbody tr", has_text=text)).to_contain_text(status)
    journey.check(page, "all-comments")
    assert set(Comment.objects.values_list("status", flat=True)) == {"approved", "spam"}

    page.goto(reverse("admin:index"))
    expect(page.locator("#content-main")).not_to_contain_text("Statements")
    response = page.goto(reverse("admin:statements_statement_change", args=[statement.pk]))
    assert response.status == 403
    expect(page.locator("h1")).to_have_text("You cannot open this page")
    expect(page.locator("#id_title")).to_have_count(0)
    journey.check(page, "statement-change-form-forbidden")

    reader.reload()
    comments = reader.locator(".comment-list article.comment")
    expect(comments).to_have_count(1)
    body = comments.first.locator(".comment-body")
    expect(body.locator("p")).to_have_count(2)
    expect(body.get_by_role("link", name="https://example.org/clean-air-report")).to_have_attribute(
        "href", "https://example.org/clean-air-report"
    )
    expect(body.get_by_role("link", name="ada@example.org")).to_have_attribute(
        "href", "mailto:ada@example.org"
    )
    expect(reader.locator("#comments")).not_to_contain_text("Cheap pills")
    expect(reader.locator("#comments-heading")).to_have_text("Comments (1)")
    journey.check(reader, "statement-after-moderation")


def test_moderator_works_the_queue_with_the_keyboard_and_undoes_a_slip(
    journey, statement, moderator
):
    from tests.builders import make_comment

    first = make_comment(statement, status="pending", text="Kind words.")
    second = make_comment(statement, status="pending", text="Buy pills now.")
    page = journey.open("moderator")
    log_in(page, *moderator)
    page.goto(reverse("admin:comments_comment_changelist"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    page.keyboard.press("j")
    expect(rows.first).to_have_class(re.compile(r"\bkb-current\b"))
    page.keyboard.press("a")
    expect(page.locator("#queue-status")).to_have_text("1 comment approved. Press U to undo.")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bkb-current\b"))
    page.keyboard.press("a")  # a slip: this one is spam
    expect(rows.nth(1)).to_have_class(re.compile(r"\bdecided\b"))
    page.keyboard.press("u")
    expect(page.locator("#queue-status")).to_have_text("Undone: 1 comment is back as it was.")
    page.keyboard.press("s")
    expect(page.locator("#queue-status")).to_have_text("1 comment marked as spam. Press U to undo.")
    journey.check(page, "keyboard-queue")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("approved", "spam")
