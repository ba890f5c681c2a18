"""A superuser in Chromium opens every admin page we have, in Persian (the admin right to left)
and in English, on a 390 px phone and at 1280 px: each page is photographed and must pass axe
and must not overflow sideways (`Journey.check`); the queue and the statement list must fit."""

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, Report, Rule
from pages.models import Page
from tests.browser import DESKTOP, PHONE, log_in
from tests.builders import make_comment, make_organization, make_statement, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-superuser-password"
LONG_TITLE = (
    "بیانیهٔ مشترک سازمان‌های مدنی دربارهٔ حق دسترسی آزاد به اطلاعات عمومی، شفافیت بودجه و "
    "پاسخ‌گویی نهادهای دولتی در برابر شهروندان"
)
LONG_WORD = "x" * 300
PERSIAN_COMMENT = "این بیانیه را امضا می‌کنم و از همهٔ دوستانم می‌خواهم که آن را بخوانند."
LONG_COMMENT = "\n\n".join(
    f"Paragraph {n}: the statement says what many of us have said for years." for n in range(12)
)


@pytest.fixture
def site_content():
    """One of each thing an admin page lists, with the long and right-to-left text that used to
    break the pages: returns the statement."""
    organizations = [
        make_organization(name="کانون مدافعان حقوق کارگر", short_name="کانون"),
        make_organization(name="Coalition for Clean Air and Open Budgets"),
    ]
    statement = make_statement(
        title=LONG_TITLE, slug="joint-statement", language="fa", signatories=organizations
    )
    make_statement(title="Clean air now", translation_of=statement, slug="clean-air")
    make_comment(statement, status="pending", name="مریم", text=PERSIAN_COMMENT)
    make_comment(statement, status="pending", text=f"Look: {LONG_WORD} end.", email="a@b.org")
    long_one = make_comment(
        statement,
        status="pending",
        text=LONG_COMMENT + "\nSee https://example.org/a-rather-long/address/of/a/report",
        ip_address="2001:db8:85a3::8a2e:370:7334",
        email="a.very.long.address.of.a.reader@example.org",
        spam_reasons={"links": True, "too-fast": True},
    )
    Report.objects.create(comment=long_one, reason="spam", nonce="n1")
    Rule.objects.create(kind="phrase", action="deny", pattern="cheap pills", reason="Spam")
    Page.objects.create(slug="our-work", language="fa", title="کار ما", body="<p>ما</p>")
    return statement


def admin_pages(statement):
    """(step name, address) of every kind of admin page staff use."""
    comment = Comment.objects.filter(reports__isnull=False).get()
    translation_query = f"?translation_of={statement.pk}&language=en"
    return [
        ("index", reverse("admin:index")),
        ("statements", reverse("admin:statements_statement_changelist")),
        ("statement", reverse("admin:statements_statement_change", args=[statement.pk])),
        ("statement-add", reverse("admin:statements_statement_add")),
        ("translation-add", reverse("admin:statements_statement_add") + translation_query),
        ("statement-history", reverse("admin:statements_statement_history", args=[statement.pk])),
        ("organizations", reverse("admin:statements_organization_changelist")),
        (
            "organization",
            reverse(
                "admin:statements_organization_change", args=[statement.signatories.first().pk]
            ),
        ),
        ("comments-queue", reverse("admin:comments_comment_changelist")),
        ("comment", reverse("admin:comments_comment_change", args=[comment.pk])),
        ("rules", reverse("admin:comments_rule_changelist")),
        ("rule-add", reverse("admin:comments_rule_add")),
        ("pages", reverse("admin:pages_page_changelist")),
        ("page-add", reverse("admin:pages_page_add")),
        ("site-identity", reverse("admin:pages_siteidentity_changelist")),
        ("audit", reverse("admin:staff_auditevent_changelist")),
        ("users", reverse("admin:auth_user_changelist")),
        ("user", reverse("admin:auth_user_change", args=[get_user_model().objects.get().pk])),
        ("groups", reverse("admin:auth_group_changelist")),
        ("group-add", reverse("admin:auth_group_add")),
        ("factors", reverse("admin:staff_factors")),
        ("password-change", reverse("admin:password_change")),
        # Other apps' admin pages, as a superuser meets them.
        ("access-attempts", reverse("admin:axes_accessattempt_changelist")),
        ("access-failures", reverse("admin:axes_accessfailurelog_changelist")),
        ("task-results", reverse("admin:django_tasks_database_dbtaskresult_changelist")),
    ]


@pytest.mark.parametrize("language", ["fa", "en"])
@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_admin_page_fits_and_passes_axe(journey, site_content, language, screen):
    make_user("boss", password=PASSWORD, is_staff=True, is_superuser=True)
    page = journey.open("superuser", screen=screen)
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": journey.base_url}]
    )
    page.goto(reverse("admin:login"))
    journey.check(page, "login")
    page.context.clear_cookies()
    log_in(page, "boss", PASSWORD)
    # The staff pages speak the language the browser asks for; the cookie is its first word.
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": page.url}]
    )
    for step, address in admin_pages(site_content):
        page.goto(address)
        expect(page.locator("html")).to_have_attribute("lang", language)
        journey.check(page, step)


SCREEN_1280X800 = {"viewport": {"width": 1280, "height": 800}}


def signed_in(journey, screen=SCREEN_1280X800, javascript=True):
    make_user("boss", password=PASSWORD, is_staff=True, is_superuser=True)
    page = journey.open("superuser", screen=screen)
    log_in(page, "boss", PASSWORD)
    if javascript:
        return page
    # The same session, in a browser that runs no script.
    cookies = page.context.cookies()
    page = journey.open("superuser-without-javascript", screen=screen, javascript=False)
    page.context.add_cookies(cookies)
    return page


def assert_table_fits(page):
    """The result table needs no sideways scrolling, not even inside its own box."""
    results = page.locator("#changelist-form .results")
    scroll, client = results.evaluate("(el) => [el.scrollWidth, el.clientWidth]")
    assert scroll <= client, f"the table is {scroll}px wide in a {client}px box"


def assert_on_screen(locator, width=1280):
    box = locator.bounding_box()
    assert box and box["width"] > 0 and box["x"] >= 0 and box["x"] + box["width"] <= width, box


def test_queue_fits_1280_with_a_long_word_a_long_comment_and_a_persian_one(journey, site_content):
    page = signed_in(journey)
    page.goto(reverse("admin:comments_comment_changelist"))
    assert_table_fits(page)
    for column in ("status", "on_statement", "sender", "signals"):
        assert_on_screen(page.locator(f"#result_list thead .column-{column}"))
    assert_on_screen(
        page.locator("#result_list tbody tr", has_text="a@b.org").locator(".field-sender")
    )
    # The Persian comment shows in its row, not off to the side of a wide column.
    assert_on_screen(page.get_by_text(PERSIAN_COMMENT[:20]))
    # A long comment shows its beginning; the rest opens on request.
    row = page.locator("#result_list tbody tr", has_text="Paragraph 0")
    expect(row.get_by_text("Paragraph 11")).to_be_hidden()
    row.get_by_text("Read it all").click()
    expect(row.get_by_text("Paragraph 11")).to_be_visible()
    assert_table_fits(page)
    journey.check(page, "queue-long-comment-open")


def test_long_comment_opens_without_javascript(journey, site_content):
    page = signed_in(journey, javascript=False)
    page.goto(reverse("admin:comments_comment_changelist"))
    row = page.locator("#result_list tbody tr", has_text="Paragraph 0")
    expect(row.get_by_text("Paragraph 11")).to_be_hidden()
    row.get_by_text("Read it all").click()
    expect(row.get_by_text("Paragraph 11")).to_be_visible()
    journey.check(page, "queue-without-javascript")


def test_queue_on_a_phone_shows_each_comment_as_a_card(journey, site_content):
    page = signed_in(journey, screen=PHONE)
    page.goto(reverse("admin:comments_comment_changelist"))
    for text in (PERSIAN_COMMENT[:20], "a@b.org", "2001:db8:85a3::8a2e:370:7334"):
        assert_on_screen(page.get_by_text(text).first, width=390)
    journey.check(page, "queue-on-phone")


def test_statement_list_shows_titles_in_two_lines_and_every_column(journey, site_content):
    page = signed_in(journey)
    page.goto(reverse("admin:statements_statement_changelist"))
    assert_table_fits(page)
    title = page.locator("#result_list .field-title a", has_text=LONG_TITLE[:10])
    height, line = title.evaluate(
        "(el) => [el.getBoundingClientRect().height, parseFloat(getComputedStyle(el).lineHeight)]"
    )
    assert height <= 2 * line + 1, f"the title takes {height / line:.1f} lines"
    for column in ("title", "editions", "visibility", "published_at", "preview"):
        assert_on_screen(page.locator(f"#result_list thead .column-{column}"))


def test_change_form_has_a_whole_width_title_and_one_explained_set_of_buttons(
    journey, site_content
):
    page = signed_in(journey)
    page.goto(reverse("admin:statements_statement_change", args=[site_content.pk]))
    form_width = page.locator("fieldset.module").first.bounding_box()["width"]
    for field in ("#id_title", "#id_slug"):
        assert page.locator(field).bounding_box()["width"] > form_width * 0.7
    # A choice as long as a statement's title stays inside the form.
    fieldset = page.locator("fieldset.module").nth(1).bounding_box()
    choice = page.locator("#id_translation_of").bounding_box()
    assert choice["x"] + choice["width"] <= fieldset["x"] + fieldset["width"]
    # The long title above the form does not run under the History button.
    heading = page.locator("#content > h2").bounding_box()
    tools = page.locator(".object-tools").bounding_box()
    assert heading["y"] + heading["height"] <= tools["y"]
    buttons = page.locator(".submit-row input[type=submit]")
    expect(buttons).to_have_count(2)
    expect(buttons.first).to_have_attribute("name", "_publish")  # Enter keeps it published
    expect(page.locator("#submit-help")).to_contain_text("Unpublish: readers no longer see it")
    journey.check(page, "statement-change-form")
