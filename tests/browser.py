"""Support for the browser journeys: Debian's Chromium driven by Playwright, against the live
test server, on the database the rest of the suite uses.

Every step a journey checks (`Journey.check`) is photographed into `test-artifacts/` and must
pass axe-core with no serious or critical violation and must not overflow the viewport
sideways. Throughout a journey, a JavaScript dialog, a script error or a Content-Security-Policy
violation on any page fails it.

Without Chromium (or npm, which installs axe-core) the journeys skip with a reason that says
how to enable them; in CI (`CI=true`) they fail instead.
"""

import importlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse
from playwright.sync_api import sync_playwright

from tests.tools import Unavailable, npm_package, unavailable

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Headless, and nothing that reaches out to the network on its own: without the background
# networking flags Chromium hangs on a closed network. The sandbox needs a non-root user.
CHROMIUM_ARGS = [
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    *(["--no-sandbox"] if os.geteuid() == 0 else []),
]
AXE_VERSION = "4.14.1"
ARTIFACTS = settings.BASE_DIR / "test-artifacts"
# Browser context options for the two screens the journeys use.
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Chromium words its CSP reports "... violates the following Content Security Policy
# directive ..."; older versions start with "Refused to".
CSP_MESSAGE = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)
# Also report violations from the page itself, with the blocked address and the directive.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile || location.href}:${event.lineNumber}`;
  console.error(`Content Security Policy violation: ${event.effectiveDirective} blocked ` +
    `${event.blockedURI || "inline code"} (${where})`);
});
"""
IMPACTS_THAT_FAIL = {"serious", "critical"}


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "browser: an end-to-end journey in Chromium (deselect with -m 'not browser')"
    )


@pytest.fixture(scope="session")
def axe_source():
    """The source of axe-core's `axe.min.js`, installed with npm into .cache/ when missing."""
    try:
        package = npm_package("axe-core", AXE_VERSION)
    except Unavailable as missing:
        unavailable(f"{missing}: the browser journeys need it for their accessibility checks")
    return (package / "axe.min.js").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session; each journey opens its own contexts."""
    if not Path(CHROMIUM).is_file():
        unavailable(
            f"Chromium not found at {CHROMIUM}: install it (apt-get install chromium) to run "
            "the browser journeys, or point CHROMIUM_PATH at it"
        )
    # Playwright's synchronous API keeps an asyncio loop marked as running in this thread
    # while it is started. Django then (1) refuses ORM calls here ("You cannot call this from
    # an async context") and (2) looks database connections up per async context instead of
    # per thread, so this thread would quietly open a second connection to the test database,
    # one its setup never saw (no serialized contents, for one). So the thread keeps its own
    # connections, and the guard is lifted, while the browser runs: the journeys' queries
    # (rows, CAPTCHA answers) never run concurrently with anything async.
    own_connections = {alias: connections[alias] for alias in connections}
    playwright = sync_playwright().start()
    for alias, connection in own_connections.items():
        connections[alias] = connection
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.journey_failed = report.failed
    return report


# Rows made by data migrations: a transactional test's flush deletes them (and a serialized
# rollback cannot bring them back once another transactional test's flush has re-created the
# content types and permissions under new ids), so each journey makes them again.
DATA_MIGRATIONS = [
    ("statements.migrations.0002_editors_group", "create_editors"),
    ("comments.migrations.0002_moderators_group", "create_moderators"),
]


@pytest.fixture(scope="session")
def historical_apps():
    """The app registry as the migrations leave it, which data migrations are written for."""
    return MigrationLoader(None).project_state().apps


@pytest.fixture
def data_migration_rows(transactional_db, historical_apps):
    """The Editors and Moderators groups with their permissions, as after `migrate`."""
    for module, function in DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(historical_apps, None)


@pytest.fixture
def journey(request, browser, axe_source, live_server, data_migration_rows):
    """The browsing of one test: pages in fresh contexts, their steps checked and photographed."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    current = Journey(browser, live_server.url, axe_source, folder)
    yield current
    failed = getattr(request.node, "journey_failed", False)
    if failed:
        current.photograph_failure()
    current.close(check=not failed)


class Journey:
    """Opens pages as different people and checks each step a person would look at."""

    def __init__(self, browser, base_url, axe_source, folder):
        self.browser = browser
        self.base_url = base_url
        self.axe_source = axe_source
        self.folder = folder
        self.problems = []  # dialogs, script errors, CSP violations: any one fails the journey
        self.axe_report = {}
        self._contexts = []
        self._names = {}
        self._javascript = {}
        self._auditor = None
        self._steps = 0

    def open(self, who, *, javascript=True, screen=DESKTOP):
        """A new page in a new browser context (own cookies), as `who`."""
        context = self.browser.new_context(
            base_url=self.base_url, java_script_enabled=javascript, **screen
        )
        context.set_default_timeout(10_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.on("page", lambda page: self._watch(page, who))
        self._contexts.append(context)
        self._javascript[context] = javascript
        return context.new_page()

    def _watch(self, page, who):
        self._names[page] = who

        def on_dialog(dialog):
            self.problems.append(
                f"{who}: a {dialog.type} dialog opened on {page.url}: {dialog.message!r}"
            )
            dialog.dismiss()

        def on_console(message):
            if CSP_MESSAGE.search(message.text):
                self.problems.append(f"{who}: CSP violation on {page.url}: {message.text}")

        def on_page_error(error):
            self.problems.append(f"{who}: script error on {page.url}: {error}")

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("pageerror", on_page_error)

    def check(self, page, step):
        """Photograph this step, then hold the page to the journey's rules."""
        self._steps += 1
        who = self._names.get(page, "page")
        name = f"{self._steps:02d}-{who}-{step}"
        page.screenshot(path=self.folder / f"{name}.png", full_page=True)
        assert_no_horizontal_overflow(page, name)
        self.assert_accessible(page, name)
        self.assert_no_problems()

    def assert_no_problems(self):
        problems, self.problems = self.problems, []
        if problems:
            raise AssertionError("\n".join(problems))

    def assert_accessible(self, page, name):
        """axe-core finds no serious or critical violation on the page as it is now."""
        if self._javascript[page.context]:
            violations = run_axe(page, self.axe_source)
        else:
            # axe needs timers, which do not run in a page without JavaScript: audit the same
            # document, as rendered without JavaScript, in a page that has it but loads no
            # scripts of the site's own.
            violations = self._audit_copy(page)
        self.axe_report[name] = [
            {
                "id": v["id"],
                "impact": v["impact"],
                "nodes": [n["target"] for n in v["nodes"]],
            }
            for v in violations
        ]
        failing = [v for v in violations if v["impact"] in IMPACTS_THAT_FAIL]
        if failing:
            raise AssertionError(
                f"{name}: accessibility violations on {page.url}:\n"
                + "\n".join(
                    f"- {v['impact']} {v['id']}: {v['help']} ({v['helpUrl']})\n"
                    + "".join(f"    {n['target']}: {n['failureSummary']}\n" for n in v["nodes"])
                    for v in failing
                )
            )

    def _audit_copy(self, page):
        if self._auditor is None:
            context = self.browser.new_context(base_url=self.base_url)
            context.route("**/*.js", lambda route: route.abort())
            self._contexts.append(context)
            self._auditor = context.new_page()
        auditor = self._auditor
        auditor.set_viewport_size(page.viewport_size)
        html = page.content()
        address = page.url.partition("#")[0]
        served = []

        def same_address(url):
            return url.partition("#")[0] == address

        def serve_copy(route):
            served.append(route.request.url)
            route.fulfill(body=html, content_type="text/html; charset=utf-8")

        auditor.route(same_address, serve_copy)
        try:
            auditor.goto(page.url)
        finally:
            auditor.unroute(same_address)
        assert served, f"the copy of {page.url} was not the page audited"
        return run_axe(auditor, self.axe_source)

    def photograph_failure(self):
        """Each open page as it was when the journey failed, for the person reading the log."""
        for page, who in self._names.items():
            if not page.is_closed():
                page.screenshot(path=self.folder / f"failed-{who}.png", full_page=True)

    def close(self, check=True):
        """Close every page; unless the journey already failed, fail on late problems."""
        (self.folder / "axe-report.json").write_text(json.dumps(self.axe_report, indent=1))
        for context in self._contexts:
            context.close()
        if check:
            self.assert_no_problems()


def run_axe(page, axe_source):
    """axe-core's violations on `page`.

    The source is evaluated through the DevTools protocol, not added as a <script> element,
    so the site's Content-Security-Policy neither blocks it nor has to be bypassed. axe's
    preloading of the CSS object model is off: it copies stylesheets into inline <style>
    elements, which the CSP rightly refuses (only the orientation-lock rule needs it).
    """
    return page.evaluate(
        axe_source
        + """
        ;axe.run(document, {resultTypes: ["violations"], preload: false})
          .then((results) => results.violations)"""
    )


def assert_no_horizontal_overflow(page, name):
    """Nothing makes the page wider than the viewport (no sideways scrolling on a phone)."""
    overflow = page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return null;
          const beyond = (el) => el.getBoundingClientRect().left + el.scrollWidth > width + 1;
          const culprits = [...document.body.querySelectorAll("*")].filter(beyond)
            .filter((el) => ![...el.children].some(beyond));
          return `the page is ${document.documentElement.scrollWidth}px wide in a ${width}px ` +
            "viewport, because of: " + culprits.slice(0, 5).map((el) =>
              el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
              [...el.classList].map((c) => "." + c).join("")).join(", ");
        }"""
    )
    if overflow:
        raise AssertionError(f"{name}: {page.url} overflows horizontally: {overflow}")


def forget_cached_pages():
    """Empty the cache, so that the next statement page is rendered from the database.

    The statement page is cached until the statement or its approved comments change; a new
    pending comment changes neither. A check that a pending comment is not shown must look at
    a fresh render, or it would pass on the copy made before the comment existed.
    """
    cache.clear()


def solve_captcha(page):
    """Type the answer to the CAPTCHA on the page, read from the challenge store (as the unit
    tests do); returns the challenge's key."""
    key = page.locator("input[name=captcha_0]").input_value()
    page.locator("input[name=captcha_1]").fill(CaptchaStore.objects.get(hashkey=key).response)
    return key


def log_in(page, username, password):
    """Sign in as staff through the admin: the password, then a code from an authenticator app.

    The account gets a new authenticator app each time (an app's code is taken only once),
    and the code it shows now is typed into the second step.
    """
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.builders import totp_code

    user = get_user_model().objects.get(username=username)
    TOTPDevice.objects.filter(user=user, name="Journey app").delete()
    device = TOTPDevice.objects.create(user=user, name="Journey app", confirmed=True)
    type_password(page, username, password)
    page.wait_for_url(f"**{reverse('admin:staff_verify')}**")
    page.get_by_role("textbox", name="Code").fill(totp_code(device))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(f"**{reverse('admin:index')}")


def type_password(page, username, password):
    """The first step of the staff sign-in: the admin's login form."""
    page.goto(reverse("admin:login"))
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Log in").click()


def body_editor(page):
    """The editable text of the body's rich-text editor (statements/widgets.py)."""
    return page.locator(".prose-editor .ProseMirror")


def write_body(page, *paragraphs):
    """Replace the body in the rich-text editor with `paragraphs`, typed as an editor would."""
    body_editor(page).click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    for number, paragraph in enumerate(paragraphs):
        if number:
            page.keyboard.press("Enter")
        page.keyboard.type(paragraph)


def paste_into_body(page, html):
    """Paste `html` into the body's editor, as the browser does with what Word or a web page
    copied (the plain-text copy beside it must go unused)."""
    body_editor(page).evaluate(
        """(element, html) => {
          const data = new DataTransfer();
          data.setData("text/html", html);
          data.setData("text/plain", "plain text that must not be used");
          element.dispatchEvent(new ClipboardEvent("paste", {clipboardData: data, bubbles: true,
            cancelable: true}));
        }""",
        html,
    )
