"""Valid by the outside world's own checkers: HTML (vnu), feeds, sitemaps, structured data.

Every kind of page the site serves, in every language, is rendered through the test client
into one directory and checked by ONE run of the Nu HTML Checker (see tests/validity.py). The
list of pages below is checked against the URL configuration and the admin templates the
project overrides, so a new address or override fails `test_every_public_address_is_checked`
until it has a page here.
"""

import inspect
import re
import sys
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django import test
from django.conf import settings
from django.core import signing
from django.core.management import call_command
from django.db import OperationalError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice
from reversion.models import Version

from comments.models import Comment
from statements.models import Organization, Signature, Statement
from statements.revisions import record_public_revision
from tests import validity
from tests.builders import (
    make_comment,
    make_draft,
    make_organization,
    make_statement,
    make_user,
    solved_comment_data,
)
from tests.tools import Unavailable, unavailable

pytestmark = pytest.mark.django_db

# Named addresses that serve no HTML, and the test that checks them instead.
NOT_HTML = {
    "statements:rss": "test_feeds_parse_cleanly_with_an_id_date_link_and_language_per_entry",
    "statements:atom": "test_feeds_parse_cleanly_with_an_id_date_link_and_language_per_entry",
    "statements:feed_stylesheet": (
        "test_feed_stylesheet.py::test_english_feed_reads_as_a_page_that_says_how_to_subscribe"
    ),
    "sitemap": "test_sitemap_is_valid_against_the_sitemap_schema",
    "sitemap-section": "test_sitemap_index_and_its_files_are_valid_against_the_schema",
    "robots": "test_pages.py::test_robots_txt_points_to_the_sitemap",
    "identity-css": (
        "test_site_identity.py::test_the_accent_colour_reaches_the_page_through_a_stylesheet"
    ),
    "identity-logo": "test_site_identity.py::test_a_png_logo_is_kept_and_served",
    "root": "test_languages.py::test_site_root_goes_to_the_default_language_for_everyone",
    "statements:revision_text": (
        "test_history_pages.py::test_canonical_text_hashes_to_the_fingerprint_shown"
    ),
    # django-simple-captcha's image, audio and JSON refresh: not pages.
    "captcha-image": "",
    "captcha-image-2x": "",
    "captcha-audio": "",
    "captcha-refresh": "",
    # Images: uploaded logos and the statements' drawn OpenGraph images.
    "media": (
        "test_home_and_organizations.py::test_organization_logo_is_served_with_shared_cache_headers"
    ),
    "pages:statement_image": (
        "test_opengraph_image.py::test_image_is_a_1200_by_630_png_served_for_shared_caches"
    ),
}
# Admin addresses the project wrote that answer with no page of their own.
ADMIN_NOT_PAGES = {
    "admin:view_on_site": "a redirect to the public page",
    "admin:pages_siteidentity_changelist": "a redirect to the one identity (or its add page)",
    "admin:staff_remove_factor": "POST only; answers with a redirect to the factors page",
    "admin:comments_comment_decide": "POST only (the keyboard queue); answers with JSON",
    "admin:comments_comment_undo": "POST only (the keyboard queue); answers with JSON",
}
# The admin's own pages are Django's; only those whose templates the project overrides (and
# the pages staff meet first) are checked, with these addresses.
ADMIN_TEMPLATE_PAGES = {
    "admin/index.html": ["admin-index"],
    "admin/base_site.html": ["admin-index", "admin-site-identity", "admin-comment-queue"],
    "admin/widgets/split_datetime.html": ["admin-statement-change"],
    "admin/statements/statement/submit_line.html": [
        "admin-statement-add",
        "admin-statement-change",
    ],
    "admin/statements/statement/object_history.html": ["admin-statement-history"],
    "admin/statements/statement/compare.html": ["admin-statement-compare"],
    "admin/comments/comment/change_list.html": ["admin-comment-queue"],
}


def languages():
    """The site's languages (one when translation is off)."""
    if not settings.USE_I18N:
        return [settings.LANGUAGE_CODE]
    return [code for code, _ in settings.LANGUAGES]


class Client(test.Client):
    """A browser that asks for the language being rendered: the staff pages follow it."""

    def request(self, **request):
        request.setdefault("HTTP_ACCEPT_LANGUAGE", translation.get_language())
        return super().request(**request)


# The sample site -----------------------------------------------------------------------------


@dataclass
class Site:
    """Sample content that makes every kind of page show its parts."""

    demo: Statement
    organization: Organization
    persian: Statement
    closed: Statement
    hidden: Statement
    draft: Statement
    pending: Comment


def build_site():
    call_command("load_demo", stdout=StringIO())
    demo = Statement.objects.get(language="en")
    org = demo.signatories.first()
    org.website = "https://example.org/"
    org.description = "A signatory.\n\nIts second paragraph."
    org.save()
    persian = make_statement(
        title="بیانیهٔ مشترک دربارهٔ آزادی بیان",
        language="fa",
        summary="خلاصه‌ای کوتاه.",
        body="<h2>بخش نخست</h2><p>متن <em>بیانیه</em>.</p><ul><li>یک</li><li>دو</li></ul>",
        signatories=[org, make_organization(name="سازمان دوم", short_name="سد")],
        published_at=datetime(2021, 3, 21, 9, tzinfo=UTC),
    )
    # A second public revision: words changed and an organization that joined later.
    persian.body = persian.body.replace("متن", "متن اصلاح‌شدهٔ")
    persian.save()
    Signature.objects.create(
        statement=persian,
        organization=make_organization(name="سازمان سوم"),
        order=3,
        joined_on=date(2021, 4, 1),
    )
    record_public_revision(persian, note="یک سازمان پیوست <و> متن اصلاح شد.")
    make_comment(demo, text="First paragraph with https://example.org/a?b=1&c=2 in it.\n\nSecond.")
    make_comment(demo, name="خواننده", text="نظری به فارسی.\nبا یک سطر دیگر و a@example.org")
    make_comment(
        demo, text="<script>alert(1)</script> & other <b>markup</b>", homepage="https://x.y/"
    )
    demo.comment_count = 3
    demo.save()
    pending = make_comment(demo, status=Comment.Status.PENDING, text="Awaiting\n\nmoderation.")
    # A second page of the list and of the year archive, in every language.
    for language in languages():
        for n in range(21):
            make_statement(
                published_at=datetime(2019, 1, 1, tzinfo=UTC) + timedelta(days=n), language=language
            )
    return Site(
        demo=demo,
        organization=org,
        persian=persian,
        closed=make_statement(comment_mode=Statement.CommentMode.CLOSED, signatories=[org]),
        hidden=make_statement(comment_mode=Statement.CommentMode.HIDDEN),
        draft=make_draft(published_at=timezone.now() + timedelta(days=2)),
        pending=pending,
    )


# The pages -----------------------------------------------------------------------------------


@dataclass
class Visitors:
    site: Site
    reader: Client
    staff: Client
    monkeypatch: Any


@dataclass(frozen=True)
class Page:
    name: str  # the rendered copy's file name
    url_name: str | None  # the named address it shows, for the coverage check
    status: int
    visit: Any  # Visitors -> response
    fragment: bool = False  # part of a page, checked inside a minimal document


def reader_gets(path, **params):
    """A reader's GET of `path()` (built in the language being rendered)."""
    return lambda v: v.reader.get(path(), params)


def staff_gets(path):
    return lambda v: v.staff.get(path())


def pages():
    """Every kind of page, in the current language; addresses are built when visited."""

    def posted(v):
        token = signing.dumps(v.site.pending.pk, salt="comments.pending")
        return v.reader.get(v.site.demo.get_comment_posted_url(), {"token": token})

    def comment_with_errors(v):
        return v.reader.post(v.site.demo.get_comment_url(), {"name": "", "text": "Kept text."})

    def comment_flooded(v):
        data = solved_comment_data(v.reader, v.site.demo)
        with v.monkeypatch.context() as patch:
            patch.setattr("comments.flood.register_attempt", lambda ip: 600)
            return v.reader.post(v.site.demo.get_comment_url(), data)

    def comment_on_closed(v):
        return v.reader.post(v.site.closed.get_comment_url(), {"text": "Kept text."})

    def csrf_failure(v):
        return Client(enforce_csrf_checks=True).post(v.site.demo.get_comment_url(), {})

    def forbidden(v):
        client = Client()
        client.force_login(make_user(f"no-perms-{translation.get_language()}", is_staff=True))
        return client.get(reverse("statements:preview", args=[v.site.draft.pk]))

    def locked_out(v):
        username = f"locked-{translation.get_language()}"
        make_user(username, is_staff=True)
        client, url = Client(), reverse("admin:login")
        for _ in range(settings.AXES_FAILURE_LIMIT + 1):
            response = client.post(url, {"username": username, "password": "wrong"})
        return response

    def second_step(step):
        """A staff member's second sign-in step: past the password, not yet the factor."""

        def visit(v):
            user = make_user(f"{step}-{translation.get_language()}", is_staff=True)
            if step == "verify":
                TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
            client = Client()
            client.force_login(user, verified=False)
            return client.get(reverse(f"admin:staff_{step}"))

        return visit

    def broken(exception):
        def visit(v):
            def fail(*args, **kwargs):
                raise exception

            with v.monkeypatch.context() as patch:
                patch.setattr("statements.views.HomeView.get_queryset", fail)
                return Client(raise_request_exception=False).get(reverse("statements:home"))

        return visit

    def staff_compare(v):
        older, newer = Version.objects.get_for_object(v.site.persian).order_by("pk")[:2]
        url = reverse("admin:statements_statement_compare", args=[v.site.persian.pk])
        return v.staff.get(url, {"older": older.pk, "newer": newer.pk})

    def staff_revert(v):
        older = Version.objects.get_for_object(v.site.persian).order_by("pk").first()
        args = [v.site.persian.pk, older.pk]
        return v.staff.get(reverse("admin:statements_statement_revision", args=args))

    def demo_in_language(v):
        """The demo in the language being rendered (load_demo writes it in both)."""
        language = translation.get_language()
        demo = Statement.objects.filter(slug=v.site.demo.slug, language=language).first()
        return v.reader.get((demo or v.site.demo).get_absolute_url())

    def statement(attribute):
        return lambda v: v.reader.get(getattr(v.site, attribute).get_absolute_url())

    def published_comment(v):
        return Comment.objects.approved().filter(statement=v.site.demo).first()

    def report_with_errors(v):
        return v.reader.post(published_comment(v).get_report_url(), {"token": "forged"})

    def reported(v):
        comment = published_comment(v)
        page = v.reader.get(comment.get_report_url()).content.decode()
        token = re.search(r'name="token" value="([^"]+)"', page).group(1)
        data = {"reason": "spam", "note": "", "token": token}
        return v.reader.post(comment.get_report_url(), data, REMOTE_ADDR=_next_address())

    def subscriber(v):
        from comments.models import Subscriber

        return Subscriber.objects.get_or_create(email="reader@example.org")[0]

    def email_link(kind, status):
        def visit(v):
            from comments import subscriptions

            if status == 400:
                return v.reader.get(reverse(f"comments:{kind}", args=["forged"]))
            url = getattr(subscriptions, f"{kind}_url")(subscriber(v))
            return v.reader.get(urlsplit(url).path)

        return visit

    return [
        Page("home", "statements:home", 200, reader_gets(lambda: reverse("statements:home"))),
        Page("list", "statements:list", 200, reader_gets(lambda: reverse("statements:list"))),
        Page(
            "list-2",
            "statements:list",
            200,
            reader_gets(lambda: reverse("statements:list"), page=2),
        ),
        Page(
            "year",
            "statements:year",
            200,
            reader_gets(lambda: reverse("statements:year", args=[2019])),
        ),
        Page("statement", "statements:detail", 200, statement("demo")),
        Page("statement-demo-in-language", "statements:detail", 200, demo_in_language),
        Page("statement-persian", "statements:detail", 200, statement("persian")),
        Page("statement-comments-closed", "statements:detail", 200, statement("closed")),
        Page("statement-comments-hidden", "statements:detail", 200, statement("hidden")),
        Page(
            "statement-preview",
            "statements:preview",
            200,
            lambda v: v.staff.get(v.site.draft.get_preview_url()),
        ),
        Page(
            "organization",
            "statements:organization",
            200,
            lambda v: v.reader.get(v.site.organization.get_absolute_url()),
        ),
        Page(
            "reach-us",
            "pages:page",
            200,
            reader_gets(lambda: reverse("pages:page", args=["reach-us"])),
        ),
        Page(
            "search-form",
            "statements:search",
            200,
            reader_gets(lambda: reverse("statements:search")),
        ),
        Page(
            "search-found",
            "statements:search",
            200,
            reader_gets(lambda: reverse("statements:search"), q="opportunity"),
        ),
        Page(
            "search-nothing",
            "statements:search",
            200,
            reader_gets(lambda: reverse("statements:search"), q="zzzz"),
        ),
        Page(
            "comment", "comments:post", 200, lambda v: v.reader.get(v.site.demo.get_comment_url())
        ),
        Page(
            "comment-persian",
            "comments:post",
            200,
            lambda v: v.reader.get(v.site.persian.get_comment_url()),
        ),
        Page("comment-errors", "comments:post", 400, comment_with_errors),
        Page("comment-flooded", "comments:post", 429, comment_flooded),
        Page("comment-closed", "comments:post", 403, comment_on_closed),
        Page("comment-pending", "comments:posted", 200, posted),
        Page(
            "comment-form-fragment",
            "comments:form",
            200,
            lambda v: v.reader.get(reverse("comments:form", args=[v.site.demo.pk])),
            fragment=True,
        ),
        Page(
            "comment-reply",
            "comments:post",
            200,
            lambda v: v.reader.get(published_comment(v).get_reply_url()),
        ),
        Page(
            "report",
            "comments:report",
            200,
            lambda v: v.reader.get(published_comment(v).get_report_url()),
        ),
        Page("report-errors", "comments:report", 400, report_with_errors),
        Page("report-thanks", "comments:report", 200, reported),
        Page("email-confirm", "comments:confirm", 200, email_link("confirm", 200)),
        Page("email-confirm-forged", "comments:confirm", 400, email_link("confirm", 400)),
        Page("email-stop", "comments:unsubscribe", 200, email_link("unsubscribe", 200)),
        Page("email-stop-forged", "comments:unsubscribe", 400, email_link("unsubscribe", 400)),
        Page(
            "transparency",
            "comments:transparency",
            200,
            reader_gets(lambda: reverse("comments:transparency")),
        ),
        Page("error-403", None, 403, forbidden),
        Page("error-403-csrf", None, 403, csrf_failure),
        Page(
            "error-404",
            None,
            404,
            reader_gets(lambda: reverse("statements:home") + "no/such/page/"),
        ),
        Page("error-429-login", None, 429, locked_out),
        Page("error-500", None, 500, broken(RuntimeError("broken"))),
        Page("error-503", None, 503, broken(OperationalError("could not connect to server"))),
        Page("admin-login", "admin:login", 200, lambda v: Client().get(reverse("admin:login"))),
        Page("staff-verify", "admin:staff_verify", 200, second_step("verify")),
        Page("staff-enrol", "admin:staff_enrol", 200, second_step("enrol")),
        Page(
            "staff-factors",
            "admin:staff_factors",
            200,
            staff_gets(lambda: reverse("admin:staff_factors")),
        ),
        Page(
            "staff-backup-codes",
            "admin:staff_backup_codes",
            200,
            staff_gets(lambda: reverse("admin:staff_backup_codes")),
        ),
        Page(
            "admin-audit",
            "admin:staff_auditevent_changelist",
            200,
            staff_gets(lambda: reverse("admin:staff_auditevent_changelist")),
        ),
        Page("admin-index", "admin:index", 200, staff_gets(lambda: reverse("admin:index"))),
        Page(
            "admin-site-identity",
            "admin:pages_siteidentity_add",
            200,
            staff_gets(lambda: reverse("admin:pages_siteidentity_add")),
        ),
        Page(
            "admin-password-change",
            "admin:password_change",
            200,
            staff_gets(lambda: reverse("admin:password_change")),
        ),
        Page(
            "admin-user-password",
            "admin:auth_user_password_change",
            200,
            lambda v: v.staff.get(
                reverse("admin:auth_user_password_change", args=[v.staff.session["_auth_user_id"]])
            ),
        ),
        Page("admin-statement-revert", "admin:statements_statement_revision", 200, staff_revert),
        Page(
            "admin-statement-add",
            "admin:statements_statement_add",
            200,
            staff_gets(lambda: reverse("admin:statements_statement_add")),
        ),
        Page(
            "admin-statement-change",
            "admin:statements_statement_change",
            200,
            lambda v: v.staff.get(
                reverse("admin:statements_statement_change", args=[v.site.demo.pk])
            ),
        ),
        Page(
            "history",
            "statements:history",
            200,
            lambda v: v.reader.get(v.site.persian.get_history_url()),
        ),
        Page(
            "comparison",
            "statements:comparison",
            200,
            lambda v: v.reader.get(v.site.persian.get_comparison_url(1, 2)),
        ),
        Page(
            "admin-statement-history",
            "admin:statements_statement_history",
            200,
            lambda v: v.staff.get(
                reverse("admin:statements_statement_history", args=[v.site.persian.pk])
            ),
        ),
        Page("admin-statement-compare", "admin:statements_statement_compare", 200, staff_compare),
        Page(
            "admin-comment-queue",
            "admin:comments_comment_changelist",
            200,
            staff_gets(lambda: reverse("admin:comments_comment_changelist")),
        ),
    ]


_addresses = iter(range(1, 1_000_000))


def _next_address():
    """A fresh reader address for each report (one report per address counts)."""
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def public_url_names(patterns=None, namespace=""):
    """Every named address outside the admin and its sign-in, "namespace:name"."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            # The admin, and the JSON endpoints of its passkey sign-in step (staff.passkeys).
            if pattern.namespace in {"admin", "otp_webauthn"}:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= public_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def project_admin_url_names(patterns=None, namespace=""):
    """Admin addresses whose view the project wrote (its own modules, not Django's or a
    library's): its screens besides the admin's stock pages, "admin:name"."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= project_admin_url_names(pattern.url_patterns, inner)
        elif pattern.name and namespace == "admin:" and _is_ours(pattern.callback):
            names.add(f"admin:{pattern.name}")
    return names


def _is_ours(view):
    view = getattr(view, "view_class", None) or inspect.unwrap(view)
    module = sys.modules.get(getattr(view, "__module__", ""), None)
    path = Path(getattr(module, "__file__", "") or "/").resolve()
    return path.is_relative_to(settings.BASE_DIR) and ".venv" not in path.parts


def overridden_admin_templates():
    """Admin templates in the project's own template folders ("admin/...html")."""
    from django.apps import apps

    roots = [Path(folder) for engine in settings.TEMPLATES for folder in engine["DIRS"]]
    roots += [
        Path(config.path) / "templates"
        for config in apps.get_app_configs()
        # The project's own apps: inside the checkout, but not in a virtualenv kept there.
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(sys.prefix)
    ]
    return {str(path.relative_to(root)) for root in roots for path in root.glob("admin/**/*.html")}


# The tests -----------------------------------------------------------------------------------


def test_every_public_address_is_checked():
    covered = {page.url_name for page in pages()} | set(NOT_HTML) | set(ADMIN_NOT_PAGES)
    assert public_url_names() - covered == set()
    assert project_admin_url_names() - covered == set()
    checked_admin = {page.name for page in pages()}
    for template in overridden_admin_templates():
        assert template in ADMIN_TEMPLATE_PAGES, f"{template}: add its admin page to the list"
        assert set(ADMIN_TEMPLATE_PAGES[template]) <= checked_admin


@pytest.fixture
def html_checker():
    try:
        validity.vnu_jar()
    except Unavailable as missing:
        unavailable(str(missing))


FRAGMENT = (
    '<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Fragment</title>'
    "</head><body>{content}</body></html>"
)
# A page with the errors the CAPTCHA's hidden key once had, checked in the same run: proves
# each time that vnu ran, read the files and reported what it found.
CANARY = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Canary</title></head>'
    '<body><form><input type="hidden" name="key" required autocomplete="off" aria-invalid="true">'
    "</form></body></html>"
)


def render_all_pages(directory, visitors):
    """Render every page in every language into `directory`; its files, by page."""
    rendered = {}
    for language in languages():
        with translation.override(language):
            for client in (visitors.reader, visitors.staff):
                client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
            for page in pages():
                response = page.visit(visitors)
                assert response.status_code == page.status, (language, page.name)
                assert response["Content-Type"].startswith("text/html"), (language, page.name)
                content = response.content.decode()
                if page.fragment:
                    content = FRAGMENT.format(lang=language, content=content)
                path = directory / language / f"{page.name}.html"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(content, encoding="utf-8")
                rendered[str(path.relative_to(directory))] = page
    return rendered


def copy_own_static_files(directory):
    """The site's own stylesheets and SVG images, for vnu's CSS and SVG checks."""
    copied = {}
    for root in map(Path, settings.STATICFILES_DIRS):
        for path in [*root.rglob("*.css"), *root.rglob("*.svg")]:
            target = directory / "static" / path.relative_to(root)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
            copied[str(target.relative_to(directory))] = None
    return copied


def test_every_kind_of_page_is_valid_html(
    html_checker, tmp_path, client, admin_client, monkeypatch
):
    site = build_site()
    rendered = render_all_pages(tmp_path, Visitors(site, client, admin_client, monkeypatch))
    rendered |= copy_own_static_files(tmp_path)
    (tmp_path / "canary.html").write_text(CANARY, encoding="utf-8")

    messages = validity.check_html(tmp_path)

    canary = [m.message for m in messages if m.file == "canary.html" and m.kind == "error"]
    for attribute in ("“required”", "“autocomplete”", "“aria-*”"):
        assert any(attribute in message for message in canary), (attribute, canary)
    messages = [m for m in messages if m.file != "canary.html"]
    assert {m.file for m in messages} <= set(rendered)
    warned = [str(m) for m in messages if m.kind == "warning"]
    if warned:
        print("\n".join(warned))
        warnings.warn(f"vnu warnings ({len(warned)}):\n" + "\n".join(warned), stacklevel=1)
    errors = [str(m) for m in messages if m.kind == "error"]
    assert errors == [], f"{len(errors)} HTML errors in {tmp_path}:\n" + "\n".join(errors)


@pytest.fixture
def published():
    orgs = [make_organization(name="First & Co"), make_organization(name="دوم")]
    return [
        make_statement(title="On <peace> & talks", signatories=orgs),
        make_statement(
            title="بیانیهٔ دوم", summary="خلاصه", revised_at=timezone.now(), language="fa"
        ),
    ]


def test_feeds_parse_cleanly_with_an_id_date_link_and_language_per_entry(client, published):
    import feedparser

    for language in languages():
        with translation.override(language):
            for name in ("statements:rss", "statements:atom"):
                content = client.get(reverse(name)).content
                assert validity.check_feed(content) == [], (language, name)
                feed = feedparser.parse(content)
                # Each language's feed has that language's statements.
                assert len(feed.entries) == len([s for s in published if s.language == language])
                for entry in feed.entries:
                    assert validity.entry_language(feed, entry).startswith(language[:2])
                    assert client.get(urlsplit(entry.link).path).status_code == 200


def test_feed_entry_ids_survive_a_new_title_and_address(client, published):
    """A feed reader shows an entry twice when its id changes: the id must not follow edits."""
    import feedparser

    def ids(name):
        return [entry.id for entry in feedparser.parse(client.get(reverse(name)).content).entries]

    published = [s for s in published if s.language == translation.get_language()]
    before = {name: ids(name) for name in ("statements:rss", "statements:atom")}
    for statement in published:
        statement.title += " (corrected)"
        statement.slug += "-corrected"
        statement.published_at -= timedelta(days=40)
        statement.save()
    assert {name: ids(name) for name in before} == before
    assert len(set(before["statements:rss"])) == len(published)


def test_sitemap_is_valid_against_the_sitemap_schema(client, published):
    content = client.get(reverse("sitemap")).content
    assert validity.check_sitemap(content) == []
    # Every address listed is a page that answers.
    for loc in re.findall(rb"<loc>([^<]+)</loc>", content):
        assert client.get(urlsplit(loc.decode()).path).status_code == 200, loc
    if len(languages()) > 1:
        assert content.count(b"<xhtml:link") >= len(languages()) * len(published)


def test_sitemap_index_and_its_files_are_valid_against_the_schema(client, published, settings):
    settings.SITEMAP_LIMIT = 2  # a few statements make an index
    index = client.get(reverse("sitemap")).content
    assert b"<sitemapindex" in index
    assert validity.check_sitemap(index) == []
    files = re.findall(rb"<loc>([^<]+)</loc>", index)
    assert len(files) > 1
    for loc in files:
        address = urlsplit(loc.decode())
        content = client.get(f"{address.path}?{address.query}").content
        assert b"<urlset" in content
        assert validity.check_sitemap(content) == [], loc


def test_the_sitemap_checker_finds_errors(client, published):
    content = client.get(reverse("sitemap")).content
    assert validity.check_sitemap(content.replace(b"<changefreq>weekly", b"<changefreq>often"))
    assert validity.check_sitemap(content.replace(b"</loc>", b"</loc><link/>", 1))
    alternate = b'<xhtml:link rel="alternate" href="http://testserver/x/"/>'  # no hreflang
    broken = content.replace(b"</loc>", b"</loc>" + alternate, 1)
    if b"xmlns:xhtml=" not in broken:
        broken = broken.replace(b"<urlset ", b'<urlset xmlns:xhtml="http://www.w3.org/1999/xhtml" ')
    assert any("hreflang" in problem for problem in validity.check_sitemap(broken))


def test_statement_json_ld_uses_schema_org_terms_that_exist(client, published):
    for language in languages():
        with translation.override(language):
            for statement in published:
                html = client.get(statement.get_absolute_url()).content.decode()
                assert "application/ld+json" in html
                assert validity.check_json_ld(html) == [], (language, statement)


def test_the_json_ld_checker_finds_unknown_terms():
    def block(data):
        import json

        return f'<script type="application/ld+json">{json.dumps(data)}</script>'

    good = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "x"}
    assert validity.check_json_ld(block(good)) == []
    assert validity.check_json_ld(block({**good, "@type": "NewsArtikel"}))
    assert validity.check_json_ld(block({**good, "signatory": "x"}))
    assert validity.check_json_ld(
        block({**good, "author": {"@type": "Organization", "headline": 1}})
    )
    assert validity.check_json_ld('<script type="application/ld+json">{oops</script>')


def test_the_directory_checks_find_bad_feeds_sitemaps_and_json_ld(client, published, tmp_path):
    """What checks the static mirror: each file by its kind, problems named by file."""
    (tmp_path / "feeds").mkdir()
    rss = client.get(reverse("statements:rss")).content
    (tmp_path / "feeds" / "rss.xml").write_bytes(rss)
    (tmp_path / "feeds" / "atom.xml").write_bytes(rss.replace(b"</channel>", b"</chanel>"))
    sitemap = client.get(reverse("sitemap")).content
    (tmp_path / "sitemap.xml").write_bytes(sitemap.replace(b"weekly", b"often", 1))
    page = client.get(published[0].get_absolute_url()).content
    (tmp_path / "good.html").write_bytes(page)
    (tmp_path / "bad.html").write_bytes(page.replace(b'"NewsArticle"', b'"NewsArtikel"'))
    (tmp_path / "robots.txt").write_text("User-agent: *\n")

    problems = validity.check_files(tmp_path)

    assert set(problems) == {"feeds/atom.xml", "sitemap.xml", "bad.html"}
    assert any("NewsArtikel" in problem for problem in problems["bad.html"])
