"""A reader in Chromium on the pages a site is expected to have, in Persian and English, on a
desktop and a phone: the home page, an organization's page with its logo, About and Contact,
a statement's share links and copy button (and the address to copy without JavaScript), and
the statement as it prints on A4."""

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from pages.models import Page
from tests.browser import DESKTOP, PHONE
from tests.builders import make_organization, make_statement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def png_logo():
    buffer = BytesIO()
    Image.new("RGB", (128, 128), "#0b5cad").save(buffer, "PNG")
    return ContentFile(buffer.getvalue())


@pytest.fixture
def site():
    """Two statements in each language by two organizations, one with a logo and a long
    description; About and Contact in both languages (a journey's flush removes the
    migration's rows)."""
    union = make_organization(
        name="Union for Secular Republic and Human Rights in Iran",
        short_name="USRHR",
        website="https://usrhr.example.org/a/rather/long/address/to/wrap",
        description="A union of democrats.\n\nFounded to defend human rights.",
    )
    union.translations.create(
        language="fa",
        name="اتحاد برای جمهوری سکولار و حقوق بشر در ایران",
        description="اتحادی از دموکرات‌ها.",
    )
    union.logo.save("usrhr.png", png_logo())
    left = make_organization(name="The Left Party of Iran")
    left.translations.create(language="fa", name="حزب چپ ایران")
    statements = {}
    for language, titles in (
        ("en", ["An older statement", "A feasible opportunity to negotiate"]),
        ("fa", ["بیانیه‌ای قدیمی‌تر", "فرصتی شدنی برای مذاکره"]),
    ):
        make_statement(language=language, title=titles[0], signatories=[union])
        statements[language] = make_statement(
            language=language,
            title=titles[1],
            summary="A short summary." if language == "en" else "خلاصه‌ای کوتاه.",
            published_at=timezone.now() - timedelta(hours=1),
            signatories=[union, left],
        )
    for slug, language, title in (
        ("about", "en", "About this site"),
        ("about", "fa", "دربارهٔ این سایت"),
        ("contact", "en", "Contact"),
        ("contact", "fa", "تماس با ما"),
        ("reach-us", "fa", "راه‌های دسترسی به ما"),
    ):
        Page.objects.update_or_create(
            slug=slug, language=language, defaults={"title": title, "body": "<p>…</p>"}
        )
    return statements, union


LANGUAGES = {
    "en": {"latest": "Latest statement", "about": "About", "contact": "Contact"},
    "fa": {"latest": "تازه‌ترین بیانیه", "about": "دربارهٔ ما", "contact": "تماس با ما"},
}


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("language", ["fa", "en"])
def test_reader_finds_home_organization_about_and_contact(journey, site, language, screen):
    statements, union = site
    words = LANGUAGES[language]
    page = journey.open(f"reader-{language}", screen=screen)

    page.goto(f"/{language}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "fa" else "ltr")
    expect(page.locator(".kicker")).to_have_text(words["latest"])
    expect(page.locator(".lead-statement h2")).to_have_text(statements[language].title)
    expect(page.locator(".lead-signatories li")).to_have_count(2)
    expect(page.locator(".recent .statement-summary")).to_have_count(1)
    expect(page.locator(".organization-list li")).to_have_count(2)
    journey.check(page, "home")

    page.locator(".organization-list a").first.click()
    page.wait_for_url(f"**{union.get_absolute_url(language)}")
    logo = page.locator("img.organization-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalWidth === 128")
    expect(page.locator(".statement-summary")).to_have_count(2)
    journey.check(page, "organization")

    for slug in ("about", "contact"):
        page.locator(".site-footer").get_by_role("link", name=words[slug], exact=True).click()
        page.wait_for_url(f"**/{language}/pages/{slug}/")
        journey.check(page, slug)


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reader_copies_a_statements_address_with_the_button(journey, site, screen):
    statement = site[0]["fa"]
    page = journey.open("sharer", screen=screen)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(statement.get_absolute_url())
    share = page.locator("section.share")
    expect(share.get_by_role("link")).to_have_count(5)
    button = share.get_by_role("button", name="رونوشت نشانی")
    button.click()
    expect(share.locator(".copy-status")).to_have_text("نشانی رونوشت شد.")
    address = page.evaluate("navigator.clipboard.readText()")
    assert address.endswith(statement.get_absolute_url())
    share.scroll_into_view_if_needed()
    journey.check(page, "address-copied")


def test_without_javascript_the_address_is_there_to_copy(journey, site):
    statement = site[0]["en"]
    page = journey.open("reader-without-javascript", javascript=False, screen=PHONE)
    page.goto(statement.get_absolute_url())
    field = page.get_by_label("Address of this statement")
    expect(field).to_be_visible()
    assert field.input_value().endswith(statement.get_absolute_url())
    expect(page.locator("button[data-copy]")).to_be_hidden()
    journey.check(page, "address-to-copy")


@pytest.mark.parametrize("language", ["fa", "en"])
def test_statement_prints_on_a4_without_the_site_around_it(journey, site, language):
    statement = site[0][language]
    page = journey.open(f"printer-{language}")
    page.goto(statement.get_absolute_url())
    page.emulate_media(media="print")
    for hidden in (
        ".site-header nav",
        "nav.languages",
        "section.share",
        "#comments",
        ".site-footer",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    for shown in ("h1", ".statement .meta time", ".signatories", ".print-address"):
        expect(page.locator(shown).first).to_be_visible()
    expect(page.locator(".print-address")).to_contain_text(
        f"{journey.base_url}{statement.get_absolute_url()}"
    )
    pdf = page.pdf(prefer_css_page_size=True)
    (journey.folder / f"statement-{language}.pdf").write_bytes(pdf)
    # A4 is 595 x 842 points: the page box the stylesheet asks for.
    assert b"/MediaBox [0 0 594.95996 841.91998]" in pdf


@pytest.mark.parametrize("screen", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_reader_follows_the_footers_feeds_and_copies_a_feeds_address(journey, site, screen):
    page = journey.open("feeds", screen=screen)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/fa/")
    page.locator(".site-footer").get_by_role("link", name="خوراک‌ها", exact=True).click()
    page.wait_for_url("**/fa/pages/reach-us/#feeds")
    feeds = page.locator("#feeds")
    expect(feeds.get_by_role("heading")).to_have_text("خوراک‌ها")
    expect(feeds.get_by_label("خوراک RSS")).to_have_value(re.compile(r"/fa/feeds/rss/$"))
    feeds.get_by_role("button", name="رونوشت نشانی").first.click()
    expect(feeds.locator(".copy-status").first).to_have_text("نشانی رونوشت شد.")
    assert page.evaluate("navigator.clipboard.readText()").endswith("/fa/feeds/rss/")
    journey.check(page, "feed-address-copied")
