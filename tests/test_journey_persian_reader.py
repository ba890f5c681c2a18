"""A Persian reader in Chromium, on a desktop and a phone: the statement right to left, its
date in the Solar Hijri calendar, a switch to the English edition and back, and a Persian
comment with an address and an e-mail address whose address reads left to right, whole and in
order, once a moderator has approved it."""

import pytest
from playwright.sync_api import expect

from comments import moderation
from comments.models import Comment
from statements.caching import statement_pages_changed
from tests.browser import DESKTOP, PHONE, forget_cached_pages, solve_captcha
from tests.builders import make_organization, make_statement, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

ADDRESS = "https://example.org/fa/بیانیه"
PERSIAN_COMMENT = (
    f"به نظرم این متن را در {ADDRESS} بخوانید، یا به ada@example.org بنویسید.\n"
    "\n"
    "بند دوم با نیم‌فاصله در «می‌خواهیم»."
)


@pytest.fixture
def editions():
    organizations = []
    for english, persian in (
        ("Union for Secular Republic", "اتحاد برای جمهوری سکولار"),
        ("Left Party", "حزب چپ"),
    ):
        organization = make_organization(name=english)
        organization.translations.create(language="fa", name=persian)
        organizations.append(organization)
    english = make_statement(
        title="A feasible opportunity",
        slug="opportunity",
        body="<p>Finally, the outcome was determined.</p>",
        signatories=organizations,
    )
    persian = make_statement(
        title="فرصتی شدنی",
        slug="opportunity",
        language="fa",
        translation_of=english,
        published_at=english.published_at,
        body="<p>سرانجام، نتیجه رقم خورد.</p>",
        signatories=organizations,
    )
    return english, persian


def expect_right_to_left(page):
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The page starts on the right: the site's name sits right of the language switcher.
    name = page.locator(".site-name").bounding_box()
    switcher = page.locator("nav.languages").bounding_box()
    assert name["x"] > switcher["x"], (name, switcher)


def reads_left_to_right(link):
    """Where each character of the link's text is drawn: an address reads left to right when
    its ASCII part's characters stand in increasing x order, and it is whole when nothing of
    the text around it is drawn between them."""
    return link.evaluate(
        """(a) => {
          const text = a.firstChild;
          const ascii = text.data.search(/[^\\x00-\\x7f]/);
          const end = ascii < 0 ? text.data.length : ascii;
          const xs = [];
          const range = document.createRange();
          for (let i = 0; i < end; i++) {
            range.setStart(text, i); range.setEnd(text, i + 1);
            const box = range.getBoundingClientRect();
            xs.push([box.left, box.top]);
          }
          const ordered = xs.every(
            (p, i) => i === 0 || p[1] > xs[i - 1][1] + 2 || p[0] > xs[i - 1][0]
          );
          return {
            direction: getComputedStyle(a).direction,
            isolated: getComputedStyle(a).unicodeBidi,
            text: a.textContent,
            ordered,
          };
        }"""
    )


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_persian_reader_reads_switches_language_and_comments(journey, editions, screen):
    english, persian = editions
    page = journey.open("persian-reader", screen=screen)

    page.goto("/")
    page.wait_for_url("**/fa/")
    expect(page.locator("h1")).to_have_text("تازه‌ترین بیانیه")
    expect_right_to_left(page)
    journey.check(page, "persian-home")

    page.get_by_role("link", name="فرصتی شدنی").click()
    page.wait_for_url(f"**{persian.get_absolute_url()}")
    expect(page.locator("h1")).to_have_text("فرصتی شدنی")
    expect(page.locator(".signatories li")).to_have_text(["اتحاد برای جمهوری سکولار", "حزب چپ"])
    date = persian.published_at
    assert not page.locator(".meta time").first.inner_text().isascii()
    assert str(date.year) not in page.locator(".meta time").first.inner_text()
    expect_right_to_left(page)
    journey.check(page, "persian-statement")

    # The switcher leads to the same statement in English, and back.
    page.locator("nav.languages").get_by_role("link", name="English").click()
    page.wait_for_url(f"**{english.get_absolute_url()}")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text("A feasible opportunity")
    expect(page.locator(".signatories li")).to_have_text(
        ["Union for Secular Republic", "Left Party"]
    )
    journey.check(page, "english-edition")
    page.locator("nav.languages").get_by_role("link", name="فارسی").click()
    page.wait_for_url(f"**{persian.get_absolute_url()}")

    # A comment in Persian, with an address and an e-mail address.
    page.locator("#add-comment").click()
    expect(page.locator("#comment-form-heading")).to_be_focused()
    expect(page.locator("#comment-form-heading")).to_have_text("افزودن دیدگاه تازه")
    page.locator("#id_name").fill("آدا")
    page.locator("#id_captcha_1").fill("غلط")
    page.get_by_role("button", name="فرستادن دیدگاه").click()
    expect(page.locator(".field.has-error")).to_have_count(1)  # the comment itself is missing
    expect(page.locator("#id_name")).to_have_value("آدا")
    journey.check(page, "persian-form-errors")
    page.locator("#id_text").fill(PERSIAN_COMMENT)
    solve_captcha(page)
    page.get_by_role("button", name="فرستادن دیدگاه").click()
    expect(page.locator("#comment-notice")).to_contain_text("در صف بررسی")
    expect(page.locator("article.comment.pending .badge")).to_have_text("در انتظار بررسی")
    journey.check(page, "persian-comment-queued")

    comment = Comment.objects.get()
    assert comment.text.replace("\r\n", "\n") == PERSIAN_COMMENT
    moderator = make_user("moira", groups=["Moderators"], is_staff=True)
    moderation.decide(Comment.objects.filter(pk=comment.pk), Comment.Status.APPROVED, moderator)
    forget_cached_pages()
    statement_pages_changed([persian.pk])

    page.goto(persian.get_absolute_url())
    shown = page.locator(f"#comment-{comment.pk}")
    expect(shown.locator(".author")).to_have_text("آدا")
    expect(shown.locator(".comment-body p")).to_have_count(2)
    expect(shown.locator(".comment-body")).to_contain_text("می‌خواهیم")  # ZWNJ kept
    address = shown.locator(f'.comment-body a[href="{ADDRESS}"]')
    expect(address).to_have_count(1)
    reading = reads_left_to_right(address)
    assert reading == {
        "direction": "ltr",
        "isolated": "isolate",
        "text": ADDRESS,
        "ordered": True,
    }, reading
    expect(shown.locator('.comment-body a[href="mailto:ada@example.org"]')).to_have_text(
        "ada@example.org"
    )
    assert not shown.locator("time").inner_text().isascii()  # Solar Hijri, Persian digits
    shown.scroll_into_view_if_needed()
    journey.check(page, "persian-comment-published")
