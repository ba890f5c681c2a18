"""A reader in Chromium comments on a statement: with JavaScript (desktop and phone), without
it, and with the keyboard alone."""

import re

import pytest
from captcha.models import CaptchaStore
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser import DESKTOP, PHONE, forget_cached_pages, solve_captcha
from tests.builders import make_comment, make_organization, make_statement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

XSS_TEXT = (
    "I tried <img src=x onerror=alert(1)> here.\n"
    "More at https://example.org/peace or ada@example.org\n"
    "\n"
    "A second paragraph."
)


@pytest.fixture
def statement():
    signatories = [
        make_organization(name="Women's Rights Union", short_name="WRU"),
        make_organization(name="Alliance for Clean Air", short_name="ACA"),
    ]
    return make_statement(title="On the right to breathe", signatories=signatories)


def open_statement(journey, page, statement, step="statement"):
    page.goto(statement.get_absolute_url())
    expect(page.locator("h1")).to_have_text(statement.title)
    signatories = page.locator(".signatories li")
    expect(signatories).to_have_text(["Women's Rights Union", "Alliance for Clean Air"])
    journey.check(page, step)


def expect_png_captcha(response):
    assert response.ok, response.status
    assert response.headers["content-type"] == "image/png"
    assert response.body().startswith(b"\x89PNG\r\n\x1a\n")


def expect_image_shown(page):
    """The CAPTCHA image has loaded and has pixels (polled here: the page may run no script)."""
    image = page.locator("img.captcha-image")
    expect(image).to_be_visible()
    for _ in range(50):
        if image.evaluate("img => img.complete && img.naturalWidth > 0"):
            return
        page.wait_for_timeout(100)
    raise AssertionError(f"the CAPTCHA image {image.get_attribute('src')} did not load")


def post_refused_then_accepted(journey, page, text):
    """Send the form with a wrong answer, find everything kept, then send it right."""
    page.locator("#id_name").fill("Ada Reader")
    page.locator("#id_text").fill(text)
    page.locator("#id_captcha_1").fill("wrong")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#captcha_error")).to_contain_text("The characters did not match")
    expect(page.locator("#id_name")).to_have_value("Ada Reader")
    expect(page.locator("#id_text")).to_have_value(text)
    expect(page.locator("#id_captcha_1")).to_have_value("")
    expect_image_shown(page)
    journey.check(page, "wrong-captcha-refused-text-kept")
    solve_captcha(page)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-notice")).to_contain_text("queued for review")


def post_comment(page, text):
    page.locator("#id_name").fill("Ada Reader")
    page.locator("#id_text").fill(text)
    solve_captcha(page)
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comment-notice")).to_contain_text("queued for review")


def expect_own_comment_awaiting_moderation(page, text_shown):
    comment = page.locator("article.comment.pending")
    expect(comment).to_have_count(1)
    expect(comment.locator(".badge")).to_have_text("Awaiting moderation")
    expect(comment.locator(".comment-body")).to_contain_text(text_shown)
    assert re.search(r"/comment/posted/\?token=[^#]+#comment-\d+$", page.url), page.url
    return comment


def expect_markup_shown_as_text(comment):
    body = comment.locator(".comment-body")
    expect(body).to_contain_text("I tried <img src=x onerror=alert(1)> here.")
    expect(body.locator("img")).to_have_count(0)
    expect(body.locator("p")).to_have_count(2)
    # Its addresses read as the links they will be, but are none until it is approved.
    expect(body.locator(".inert-link")).to_have_text(
        ["https://example.org/peace", "ada@example.org"]
    )
    expect(body.locator("a, [href]")).to_have_count(0)


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reader_comments_through_the_form_loaded_by_javascript(journey, statement, screen):
    page = journey.open("reader", screen=screen)
    open_statement(journey, page, statement)

    with page.expect_response(re.compile(r"/captcha/image/\w+/$")) as first_image:
        page.locator("#add-comment").click()
    expect_png_captcha(first_image.value)
    expect(page.locator("#comment-form-slot form.comment-form")).to_be_visible()
    expect(page.locator("#comment-form-heading")).to_be_focused()
    expect_image_shown(page)
    journey.check(page, "form-loaded")

    image = page.locator("img.captcha-image")
    old_src, old_key = image.get_attribute("src"), page.locator("#id_captcha_0").input_value()
    with page.expect_response(re.compile(r"/captcha/image/\w+/$")) as new_image:
        page.get_by_role("button", name="New image").click()
    expect_png_captcha(new_image.value)
    expect(image).not_to_have_attribute("src", old_src)
    assert page.locator("#id_captcha_0").input_value() != old_key
    expect(page.locator("#id_captcha_1")).to_be_focused()
    expect_image_shown(page)
    journey.check(page, "new-captcha-image")

    comment_twice_from_the_open_form(journey, page, statement)


def test_reader_replies_through_the_form_opened_under_the_comment(journey, statement):
    """One form on the page at a time: the reply form opens under its comment, and gives way
    to the main form (and back)."""
    answered = make_comment(statement, name="Bea Reader", text="A first thought.")
    forget_cached_pages()
    page = journey.open("reader-replying")
    page.goto(statement.get_absolute_url())
    page.locator(f"#comment-{answered.pk} a.reply").click()
    expect(page.locator(".reply-slot form.comment-form")).to_be_visible()
    expect(page.locator("#comment-form-heading")).to_have_text("Reply to Bea Reader")
    expect(page.locator("#comment-form-heading")).to_be_focused()
    page.locator("#add-comment").click()
    expect(page.locator("#comment-form-slot form.comment-form")).to_be_visible()
    expect(page.locator(".reply-slot")).to_have_count(0)
    page.locator(f"#comment-{answered.pk} a.reply").click()
    expect(page.locator(".reply-slot form.comment-form")).to_be_visible()
    expect(page.locator("#comment-form-slot form")).to_have_count(0)
    expect(page.locator("#add-comment")).to_be_visible()
    journey.check(page, "reply-form")
    post_comment(page, "An answer.")
    assert Comment.objects.get(text="An answer.").parent == answered


def test_reader_comments_through_the_plain_page_without_javascript(journey, statement):
    page = journey.open("reader-without-js", javascript=False)
    open_statement(journey, page, statement)

    with page.expect_response(re.compile(r"/captcha/image/\w+/$")) as image:
        page.get_by_role("link", name="Add new comment").click()
    page.wait_for_url("**/comment/")
    expect_png_captcha(image.value)
    expect_image_shown(page)
    journey.check(page, "comment-page")

    # "New image" sends the form back: a new challenge, and nothing typed is lost.
    page.locator("#id_name").fill("Ada Reader")
    page.locator("#id_text").fill("Typed before asking\n\nfor a new image.")
    page.locator("#id_captcha_1").fill("unreadable")
    old_key = page.locator("#id_captcha_0").input_value()
    with page.expect_response(re.compile(r"/captcha/image/\w+/$")) as new_image:
        page.get_by_role("button", name="New image").click()
    expect_png_captcha(new_image.value)
    expect(page.locator("#id_captcha_0")).not_to_have_value(old_key)
    expect(page.locator("#id_name")).to_have_value("Ada Reader")
    expect(page.locator("#id_text")).to_have_value("Typed before asking\n\nfor a new image.")
    expect(page.locator("#id_captcha_1")).to_have_value("")
    expect(page.locator("#id_captcha_1")).to_be_focused()
    expect_image_shown(page)
    journey.check(page, "new-captcha-image-without-javascript")

    comment_twice_from_the_open_form(journey, page, statement)


def focused(page):
    """A short description of the element that has the keyboard focus."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
            [...el.classList].map((c) => "." + c).join("") +
            (el.textContent.trim() ? ` "${el.textContent.trim().slice(0, 30)}"` : "");
        }"""
    )


def press_tab_until(page, selector, limit=40, key="Tab"):
    target = page.locator(selector)
    visited = []
    for _ in range(limit):
        page.keyboard.press(key)
        visited.append(focused(page))
        if target.evaluate("el => el === document.activeElement"):
            return visited
    raise AssertionError(f"{key} never reached {selector}; focus went through {visited}")


def test_comment_form_works_with_the_keyboard_alone(journey, statement):
    page = journey.open("keyboard-reader")
    page.goto(statement.get_absolute_url())
    press_tab_until(page, "#add-comment")
    page.keyboard.press("Enter")
    expect(page.locator("#comment-form-heading")).to_be_focused()

    # Tab reaches every field, the CAPTCHA's controls and the submit button, in this order.
    order = ["#id_name", "#id_email", "#id_homepage", "#id_text", "#id_notify"]
    if page.locator(".captcha-audio").count():
        order.append(".captcha-audio")
    order += ["#id_captcha_1", ".comment-form button[type=submit]:not(.captcha-refresh)"]
    order.append(".captcha-refresh")
    visited = []
    for selector in order:
        page.keyboard.press("Tab")
        visited.append(focused(page))
        assert page.locator(selector).evaluate("el => el === document.activeElement"), (
            f"expected {selector} after {visited[:-1]}, focus is on {visited[-1]}"
        )
    journey.check(page, "tabbed-to-submit")

    # Back to the top of the form with Shift+Tab, then fill it in and send it with keys only.
    press_tab_until(page, "#id_name", limit=len(order), key="Shift+Tab")
    page.keyboard.type("Kim Keys")
    press_tab_until(page, "#id_text", limit=3)
    page.keyboard.type("Written without a mouse.\n\nIn two paragraphs.")
    press_tab_until(page, ".captcha-refresh", limit=5)  # past "e-mail me", audio, answer, "Post"
    old_key = page.locator("#id_captcha_0").input_value()
    page.keyboard.press("Enter")
    expect(page.locator("#id_captcha_0")).not_to_have_value(old_key)
    expect(page.locator("#id_captcha_1")).to_be_focused()
    key = page.locator("#id_captcha_0").input_value()
    page.keyboard.type(CaptchaStore.objects.get(hashkey=key).response)
    journey.check(page, "filled-in-with-the-keyboard")
    page.keyboard.press("Enter")  # in the answer: posts the comment (not "New image")
    expect(page.locator("#comment-notice")).to_contain_text("queued for review")
    expect_own_comment_awaiting_moderation(page, "Written without a mouse.")
    journey.check(page, "comment-queued")


def comment_twice_from_the_open_form(journey, page, statement):
    """From an open form: a refused then accepted comment that the public page does not show,
    then a comment full of markup, shown as text and awaiting moderation."""
    post_refused_then_accepted(journey, page, "Clean air is a right.")
    expect_own_comment_awaiting_moderation(page, "Clean air is a right.")
    journey.check(page, "comment-queued")

    forget_cached_pages()
    open_statement(journey, page, statement, "statement-without-the-pending-comment")
    expect(page.locator("#comments")).not_to_contain_text("Clean air is a right.")
    expect(page.locator("#comments")).to_contain_text("No comments yet.")

    page.get_by_role("link", name="Add new comment").click()
    post_comment(page, XSS_TEXT)
    comment = expect_own_comment_awaiting_moderation(page, "A second paragraph.")
    expect_markup_shown_as_text(comment)
    journey.check(page, "markup-comment-awaiting-moderation")
    assert Comment.objects.pending().count() == 2
