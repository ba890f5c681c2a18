"""Every public page and every admin page, in both languages, on a 390 px phone and at 1280 px:
nothing makes a page wider than the screen, and axe finds no serious or critical violation
(tests/browser.py, `Journey.check`). One Chromium, one context per language and screen.

Every page is visited even when one fails, so that the failure lists them all. New pages are
found, not listed by hand: every page staff wrote (pages.Page), every model the admin has
(its list, its add form, one object's change form and history). The sample content is the
HTML validity test's (tests/test_validity.build_site), which makes each kind of page show its
parts: long Persian and English text, comments, a second page of lists, revisions.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.core import signing
from django.db import OperationalError
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from reversion.models import Version

from comments.models import Comment
from comments.moderation import refresh_comment_counts
from pages.models import Page
from statements.models import Statement
from tests.browser import DESKTOP, PHONE
from tests.builders import make_comment, make_user, totp_code
from tests.test_validity import build_site, languages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENS = {"phone": PHONE, "desktop": DESKTOP}
PASSWORD = "a-long-superuser-password"


def public_pages(site):
    """(name, address, status) of every kind of public page, in the current language."""
    language = translation.get_language()
    demo = Statement.objects.filter(slug=site.demo.slug, language=language).first() or site.demo
    approved = Comment.objects.approved().filter(statement=site.demo).first()
    token = signing.dumps(site.pending.pk, salt="comments.pending")
    persian_token = signing.dumps(site.persian_pending.pk, salt="comments.pending")
    pages = [
        ("home", reverse("statements:home"), 200),
        ("list", reverse("statements:list"), 200),
        ("list-page-2", reverse("statements:list") + "?page=2", 200),
        ("year", reverse("statements:year", args=[2019]), 200),
        ("statement", demo.get_absolute_url(), 200),
        ("statement-persian", site.persian.get_absolute_url(), 200),
        ("statement-comments-closed", site.closed.get_absolute_url(), 200),
        ("statement-comments-hidden", site.hidden.get_absolute_url(), 200),
        ("history", site.persian.get_history_url(), 200),
        ("comparison", site.persian.get_comparison_url(1, 2), 200),
        ("organization", site.organization.get_absolute_url(), 200),
        ("search", reverse("statements:search"), 200),
        ("search-found", reverse("statements:search") + "?q=opportunity", 200),
        ("search-nothing", reverse("statements:search") + "?q=zzzz", 200),
        ("comment-form", site.demo.get_comment_url(), 200),
        ("comment-form-persian", site.persian.get_comment_url(), 200),
        ("comment-reply", approved.get_reply_url(), 200),
        ("comment-pending", f"{site.demo.get_comment_posted_url()}?token={token}", 200),
        (
            "comment-pending-persian",
            f"{site.persian.get_comment_posted_url()}?token={persian_token}",
            200,
        ),
        ("report", approved.get_report_url(), 200),
        ("transparency", reverse("comments:transparency"), 200),
        ("feed-rss", reverse("statements:rss"), 200),
        ("feed-atom", reverse("statements:atom"), 200),
        ("error-404", reverse("statements:home") + "no/such/page/", 404),
    ]
    for page in Page.objects.filter(language=language):
        pages.append((f"page-{page.slug}", page.get_absolute_url(), 200))
    return pages


def admin_pages(site, superuser):
    """(name, address, status) of every admin page a superuser can open, in any language."""
    request = RequestFactory().get("/")
    request.user = superuser
    pages = [
        ("admin-index", reverse("admin:index"), 200),
        ("admin-password-change", reverse("admin:password_change"), 200),
        ("admin-factors", reverse("admin:staff_factors"), 200),
        ("admin-backup-codes", reverse("admin:staff_backup_codes"), 200),
    ]
    older, newer = Version.objects.get_for_object(site.persian).order_by("pk")[:2]
    url = reverse("admin:statements_statement_compare", args=[site.persian.pk])
    pages.append(("admin-statement-compare", f"{url}?older={older.pk}&newer={newer.pk}", 200))
    args = [site.persian.pk, older.pk]
    pages.append(
        ("admin-statement-revert", reverse("admin:statements_statement_revision", args=args), 200)
    )
    apps = set()
    for model, model_admin in admin.site._registry.items():
        meta = model._meta
        apps.add(meta.app_label)
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        name = f"admin-{meta.app_label}-{meta.model_name}"
        pages.append((name, reverse(f"{prefix}_changelist"), 200))
        if model_admin.has_add_permission(request):
            pages.append((f"{name}-add", reverse(f"{prefix}_add"), 200))
        sample = model_admin.get_queryset(request).order_by("pk").last()
        if sample is not None and model_admin.has_view_or_change_permission(request, sample):
            pages.append((f"{name}-change", reverse(f"{prefix}_change", args=[sample.pk]), 200))
            try:
                history = reverse(f"{prefix}_history", args=[sample.pk])
            except NoReverseMatch:
                history = None
            if history:
                pages.append((f"{name}-history", history, 200))
    for app in sorted(apps):
        pages.append((f"admin-app-{app}", reverse("admin:app_list", args=[app]), 200))
    return pages


def sign_in(page, user):
    """The staff sign-in (tests.browser.log_in) by the fields' names, in any language."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="Journey app", confirmed=True)
    page.goto(reverse("admin:login"))
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(f"**{reverse('admin:staff_verify')}**")
    page.locator("input[name=code]").fill(totp_code(device))
    page.locator(".submit-row [type=submit]").click()
    page.wait_for_url(f"**{reverse('admin:index')}")


# Chromium 156 puts a banner of its own on every page made by XSLT ("This site uses XSLT; that
# functionality is being removed from this browser very soon"), with inline style and an inline
# handler that the feed's Content-Security-Policy refuses. Those refusals are the browser's.
XSLT_BANNER = "xslt-warning-banner"
OWN_INLINE_CODE = f"""() => [...document.querySelectorAll(
  "[style], [onclick], [onload], [onerror], style, script:not([src])")]
  .filter((el) => !el.closest("{XSLT_BANNER}")).map((el) => el.outerHTML.slice(0, 120))"""


def expect_feed_shown_through_its_stylesheet(journey, page):
    """The feed became the page its stylesheet makes, with no inline code of its own; the
    banner's refusals (above) are then dropped from the journey's problems."""
    assert page.locator(".feed-about h1").count() == 1, "the feed was not shown as a page"
    assert page.evaluate(OWN_INLINE_CODE) == []
    journey.problems = [
        problem
        for problem in journey.problems
        if not (page.url in problem and "CSP violation" in problem and "inline" in problem)
    ]


def visit_all(journey, page, pages, who, failures):
    for name, url, status in pages:
        try:
            response = page.goto(url)
            assert response is not None and response.status == status, (
                f"{who} {name}: {url} answered {response and response.status}, not {status}"
            )
            if name.startswith("feed-"):
                expect_feed_shown_through_its_stylesheet(journey, page)
            journey.check(page, name)
        except AssertionError as failure:
            failures.append(f"{who} {name} ({url}):\n{failure}")


def test_every_page_fits_the_screen_and_passes_axe_in_both_languages(journey, monkeypatch):
    site = build_site()
    # Comments under the Persian statement too: Persian times, and a pending one with addresses.
    make_comment(
        site.persian, name="خواننده", text="دیدگاهی با نشانی https://example.org/fa/بیانیه"
    )
    refresh_comment_counts([site.persian.pk])
    site.persian_pending = make_comment(
        site.persian,
        name="نویسنده",
        status=Comment.Status.PENDING,
        text="در انتظار بررسی، با www.example.org/fa/صفحه و a@example.org\n\nبند دوم.",
    )
    superuser = make_user("root", password=PASSWORD, is_staff=True, is_superuser=True)
    failures = []
    visited = set()
    for language in languages():
        with translation.override(language):
            public = public_pages(site)
            staff = admin_pages(site, superuser)
        for screen_name, screen in SCREENS.items():
            who = f"{language}-{screen_name}"
            reader = journey.open(f"{who}-reader", screen={**screen, "locale": language})
            visit_all(journey, reader, public, who, failures)
            with translation.override(language), monkeypatch.context() as patch:
                # The error pages a reader may meet: the server failing, the database away.
                for name, error in (
                    ("error-500", RuntimeError("broken")),
                    ("error-503", OperationalError("could not connect to server")),
                ):

                    def fail(*args, error=error, **kwargs):
                        raise error

                    patch.setattr("statements.views.HomeView.get_queryset", fail)
                    status = int(name[-3:])
                    visit_all(
                        journey, reader, [(name, reverse("statements:home"), status)], who, failures
                    )
            staff_page = journey.open(f"{who}-admin", screen={**screen, "locale": language})
            sign_in(staff_page, superuser)
            visit_all(journey, staff_page, staff, who, failures)
            visited |= {urlsplit(url).path for _, url, _ in public + staff}
    assert not failures, f"{len(failures)} page visits failed:\n\n" + "\n\n".join(failures)
    # The admin's own models each had their list visited, in each language.
    assert len(visited) > 60
    assert f"/{settings.ADMIN_URL}" in {path[: len(settings.ADMIN_URL) + 1] for path in visited}
