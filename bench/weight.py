"""Page weight in a real browser: what a reader on a slow, metered connection downloads.

Chromium (Debian's, driven by Playwright) opens a page through nginx twice in one profile:
the first view (empty cache) and a repeat view (a new visit later, with the cache the first
one left). Bytes are what crossed the network, headers included, as the DevTools protocol
counts them (`encodedDataLength`: compressed sizes; nothing for answers from the cache).
"""

from dataclasses import dataclass, field

# The budget (issue 14): a statement page with 150 comments.
FIRST_VIEW_BYTES, FIRST_VIEW_REQUESTS, REPEAT_VIEW_BYTES = 100_000, 15, 20_000


@dataclass
class View:
    bytes: int = 0
    requests: int = 0
    by_type: dict = field(default_factory=dict)  # resource type: bytes


def measure(url):
    """(first view, repeat view) of `url`."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS  # after django.setup(): it reads models

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844})
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            return _view(page, cdp, url), _view(page, cdp, url)
        finally:
            browser.close()


def _view(page, cdp, url):
    view, types = View(), {}

    def sent(event):
        types[event["requestId"]] = event.get("type", "Other")
        view.requests += 1

    def finished(event):
        size = int(event["encodedDataLength"])
        view.bytes += size
        kind = types.get(event["requestId"], "Other")
        view.by_type[kind] = view.by_type.get(kind, 0) + size

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.loadingFinished", finished)
    # Leave the page first, so that the repeat view is a new visit, not a reload (a reload
    # revalidates every file, which no reader coming back later does).
    page.goto("about:blank")
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    cdp.remove_listener("Network.requestWillBeSent", sent)
    cdp.remove_listener("Network.loadingFinished", finished)
    return view


def report(rows):
    """Print the table for [(label, first, repeat)]; returns {check name: met}."""
    print(
        f"\nPage weight in Chromium through nginx (bytes on the wire; budget: first view "
        f"<= {FIRST_VIEW_BYTES // 1000} KB in <= {FIRST_VIEW_REQUESTS} requests, repeat "
        f"<= {REPEAT_VIEW_BYTES // 1000} KB):\n"
    )
    print(f"{'page':<40}{'first KB':>10}{'requests':>10}{'repeat KB':>11}{'requests':>10}")
    checks = {}
    for label, first, repeat in rows:
        print(
            f"{label:<40}{first.bytes / 1000:>10.1f}{first.requests:>10}"
            f"{repeat.bytes / 1000:>11.1f}{repeat.requests:>10}"
        )
        print(
            "    first view by type: "
            + ", ".join(f"{k} {v / 1000:.1f} KB" for k, v in sorted(first.by_type.items()))
        )
        checks[f"{label}: first view <= 100 KB in <= 15 requests"] = (
            first.bytes <= FIRST_VIEW_BYTES and first.requests <= FIRST_VIEW_REQUESTS
        )
        checks[f"{label}: repeat view <= 20 KB"] = repeat.bytes <= REPEAT_VIEW_BYTES
    return checks
