"""The site's identity in Chromium: its logo, name and tagline in the header and its text in the
footer, on a phone and at 1280 px, in Persian (right to left) and English; nothing wider than
the screen, nothing axe calls serious; and the accent colour arriving from its stylesheet under
the strict CSP (any violation fails the journey)."""

import pytest
from playwright.sync_api import expect

from pages import identity
from pages.models import SiteIdentity
from tests.browser import DESKTOP, PHONE
from tests.builders import make_statement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">'
    b'<rect width="64" height="64" rx="12" fill="#7a1f3d"/>'
    b'<path d="M16 20h32v6H16zm0 10h32v6H16zm0 10h20v6H16z" fill="#fff"/></svg>'
)
NAMES = {
    "en": ("Iranian Civil Society Coalition", "Joint statements of independent organizations"),
    "fa": ("ائتلاف جامعه مدنی ایران", "بیانیه‌های مشترک سازمان‌های مستقل ایرانی"),
}


@pytest.fixture
def coalition():
    site = SiteIdentity.objects.create(
        pk=identity.SINGLETON, accent="#7a1f3d", logo=LOGO, logo_type="image/svg+xml"
    )
    for language, (name, tagline) in NAMES.items():
        site.texts.create(language=language, name=name, tagline=tagline, footer=f"{name}.")
    make_statement(title="On water", language="en")
    make_statement(title="دربارهٔ آب", language="fa", slug="water")


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("language", ["fa", "en"])
def test_header_and_footer_carry_the_sites_identity(journey, coalition, screen, language):
    name, tagline = NAMES[language]
    page = journey.open("reader", screen=screen)
    fetched = []
    page.on("request", lambda request: fetched.append(request.url))
    page.goto(f"/{language}/")
    header = page.locator(".site-header")
    expect(header.locator(".site-name")).to_have_text(name)
    expect(header.locator(".tagline")).to_have_text(tagline)
    logo = header.locator("img.brand-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.naturalWidth") > 0  # served, and allowed by the CSP
    expect(page.locator(".site-footer .footer-name")).to_have_text(name)
    # The accent colour came from /site/<version>.css: the header's rule and the buttons.
    accent = "rgb(122, 31, 61)"
    assert header.evaluate("e => getComputedStyle(e).borderTopColor") == accent
    search = page.locator(".search button")
    assert search.evaluate("e => getComputedStyle(e).backgroundColor") == accent
    # The name starts the header on the reading side; the switcher stays on the name's row.
    brand = page.locator(".brand").bounding_box()
    switcher = page.locator("nav.languages").bounding_box()
    if language == "fa":
        assert brand["x"] > switcher["x"]
    else:
        assert brand["x"] < switcher["x"]
    if screen is PHONE:
        assert switcher["y"] < brand["y"] + brand["height"]
    # One typeface, split by script: an English page does not fetch the Persian file.
    page.wait_for_load_state("networkidle")
    fonts = {url.rsplit("/", 1)[-1] for url in fetched if "/fonts/" in url}
    expected = {"vazirmatn-latin.woff2"} | (
        {"vazirmatn-arabic.woff2"} if language == "fa" else set()
    )
    assert fonts == expected, fonts
    journey.check(page, f"{language}-home")
