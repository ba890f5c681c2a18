"""`make bench`: how fast the statement page is, in-process and through nginx's cache.

Seeds a statement with 150 approved comments of readers' kind (bench/readers.py: varied
lengths, links, addresses, paragraphs, both languages), and its Persian edition, in a database
of its own (bench/stack.py), then
1. renders the page in-process (Django's test client): median with warm caches, median with
   every application cache cleared, median right after an approval (bench/miss.py), and the
   query counts at 10 and 150 comments;
2. measures with wrk, interleaved over several rounds, for each language: nginx serving a
   saved copy of the page as a static file, gunicorn directly, and nginx's proxy cache in
   front of gunicorn (each against that language's static copy);
3. times how long an approval, an edit and a new statement take to reach readers through
   nginx's cache;
4. weighs the English and the Persian statement page (150 comments each) as readers get it
   through nginx: bytes raw and compressed, and the comments it shows; and in Chromium, bytes
   and requests of a first and of a repeat view (bench/weight.py).
Prints one table and the figures; stops everything it started. Installs nothing.
"""

import logging
import re
import statistics
import subprocess
import sys
import time
import urllib.request

from bench import miss, readers, stack, weight

ROUNDS, DURATION, CONNECTIONS = 3, 8, 32
TARGETS = {
    "static file (nginx)": stack.STATIC_PORT,
    "gunicorn directly": stack.GUNICORN_PORT,
    "nginx proxy cache": stack.PROXY_PORT,
}  # each language's page against the same page saved as a plain file


def in_process(url):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")

    def timed(clear):
        if clear:
            cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed

    for _ in range(20):
        timed(False)
    warm = statistics.median(timed(False) for _ in range(300))
    cold = statistics.median(timed(True) for _ in range(60))
    cache.clear()
    with CaptureQueriesContext(connection) as cold_queries:
        client.get(url)
    with CaptureQueriesContext(connection) as warm_queries:
        client.get(url)
    return warm, cold, len(cold_queries), len(warm_queries)


def wrk(port, path, script=None, duration=DURATION):
    """(req/s, p50 ms, p99 ms, non-2xx/3xx, socket errors) of `path`; `script`: a wrk Lua file."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--latency",
            *(["-s", script] if script else []),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors: (.*)", out)
    return rps, p50, p99, int(bad.group(1)) if bad else 0, errors.group(1) if errors else ""


def _ms(text):
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def fetch(port, path):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
        return response.read().decode()


def seconds_until_visible(path, text, change):
    """Warm nginx's cache with `path`, make `change`, then poll through nginx for `text`."""
    fetch(stack.PROXY_PORT, path)
    assert text not in fetch(stack.PROXY_PORT, path)
    change()
    start = time.monotonic()
    while text not in fetch(stack.PROXY_PORT, path):
        if time.monotonic() - start > 30:
            return float("inf")
        time.sleep(0.1)
    return time.monotonic() - start


def freshness(statement):
    from django.contrib.auth.models import User
    from django.utils import timezone

    from comments import moderation
    from comments.models import Comment
    from statements.caching import statement_pages_changed
    from statements.models import Statement
    from tests.builders import make_statement

    url = statement.get_absolute_url()
    moderator, _ = User.objects.get_or_create(username="bench-moderator")
    pending = Comment.objects.create(
        statement=statement, name="Late", text="Freshly approved words"
    )

    def approve():
        moderation.decide(Comment.objects.filter(pk=pending.pk), "approved", moderator)

    def edit():  # as the admin does: save, then say the pages changed
        statement.title = "An edited title for the bench"
        statement.save()
        statement_pages_changed([statement.pk])

    def publish():
        make_statement(title="A brand new statement", published_at=timezone.now())

    # Page 4 holds comment 151 (50 a page).
    figures = {
        "approved comment": seconds_until_visible(
            f"{url}?page=4", "Freshly approved words", approve
        ),
        "edited statement": seconds_until_visible(url, "An edited title for the bench", edit),
        "new statement (home)": seconds_until_visible("/en/", "A brand new statement", publish),
    }
    Statement.objects.filter(title="A brand new statement").delete()
    return figures


def main():
    missing = stack.missing_tools("nginx", "nginx-modules", "wrk")
    if missing:
        print(f"make bench needs {', '.join(missing)}: apt-get install {' '.join(missing)}")
        return 2
    env = stack.bench_environment()
    print("Preparing the bench database ...", flush=True)
    stack.manage(env, "migrate", "--no-input", "-v0")
    stack.manage(env, "collectstatic", "--no-input", "-v0")
    stack.use_environment(env)
    from django.db import connection
    from django.test import Client

    # Seeding purges pages from an nginx that is not running yet: nothing to say about it.
    logging.getLogger("statements.caching").setLevel(logging.ERROR)
    ten, statement = readers.seed(comments=10), readers.seed()
    persian = readers.seed("fa", translation_of=statement)
    pages = {"en": statement.get_absolute_url(), "fa": persian.get_absolute_url()}
    saved = {
        code: Client(HTTP_HOST="127.0.0.1").get(url).content.decode() for code, url in pages.items()
    }
    renders = {code: in_process(url) for code, url in pages.items()}
    queries_10 = in_process(ten.get_absolute_url())[2]
    # On a statement of its own: the approvals add comments.
    after_approval = miss.after_approval(readers.seed(slug="miss"))
    connection.close()

    # Each language's page against the same page saved as a plain file (/en, /fa).
    runs = [
        (f"{name} [{code}]", port, f"/{code}" if port == stack.STATIC_PORT else url, code)
        for code, url in pages.items()
        for name, port in TARGETS.items()
    ]
    results = {name: [] for name, *_ in runs}
    with stack.running_stack(env, static_pages=saved):
        for round_number in range(1, ROUNDS + 1):
            for name, port, path, _code in runs:
                print(f"round {round_number}/{ROUNDS}: {name} ...", flush=True)
                results[name].append(wrk(port, path))
        fresh = freshness(statement)
        print("page weight in Chromium ...", flush=True)
        proxy = f"http://127.0.0.1:{stack.PROXY_PORT}"
        as_read = {code: readers.as_read(proxy + url) for code, url in pages.items()}
        weights = [
            (f"{name} statement, 150 comments", *weight.measure(proxy + url))
            for name, url in (("English", pages["en"]), ("Persian", pages["fa"]))
        ]

    def rate(name):
        return statistics.median(r[0] for r in results[name])

    static_rps = {code: rate(f"static file (nginx) [{code}]") for code in pages}
    size = {code: len(html.encode()) // 1024 for code, html in saved.items()}
    print(
        f"\nStatement page with 150 approved comments (English {size['en']} KB, Persian "
        f"{size['fa']} KB), wrk {CONNECTIONS} connections, {DURATION} s x {ROUNDS} rounds, "
        "medians; x static: against the same page as a plain file:\n"
    )
    print(f"{'target':<27}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'x static':>10}{'non-2xx':>9}")
    for name, _port, _path, code in runs:
        rows, rps = results[name], rate(name)
        print(
            f"{name:<27}{rps:>10.0f}{statistics.median(r[1] for r in rows):>9.2f}"
            f"{statistics.median(r[2] for r in rows):>9.2f}{rps / static_rps[code]:>10.2f}"
            f"{sum(r[3] for r in rows):>9}"
        )
        for r in rows:
            if r[4]:
                print(f"   socket errors ({name}): {r[4]}")
    print()
    for code, (warm, cold, cold_queries, warm_queries) in renders.items():
        print(
            f"In-process render [{code}] (test client): median {warm:.2f} ms warm, {cold:.2f} ms "
            f"with caches cleared; queries: {cold_queries} cold / {warm_queries} warm at 150 "
            "comments"
        )
    print(f"Queries at 10 comments [en]: {queries_10} cold")
    print(
        f"In-process render [en] right after an approval (bench/miss.py): median "
        f"{after_approval[0]:.2f} ms, the next reader {after_approval[1]:.2f} ms"
    )
    for what, seconds in fresh.items():
        print(f"Visible through nginx after the change: {what}: {seconds:.2f} s")
    print("\nThe statement page as readers get it through nginx (the first page of comments):")
    for code, edition in (("en", statement), ("fa", persian)):
        raw, gz, br = (as_read[code][k] for k in ("raw", "gzip", "br"))
        text_gzip, text_br = readers.comment_ratio(edition)
        edition.refresh_from_db()
        print(
            f"  [{code}] {as_read[code]['comments']} of {edition.comment_count} comments shown; "
            f"{raw:,} bytes raw, {gz:,} gzip ({raw / gz:.1f}:1), {br:,} brotli "
            f"({raw / br:.1f}:1); the comments' text alone compresses {text_gzip:.1f}:1 (gzip), "
            f"{text_br:.1f}:1 (brotli)"
        )
    weight_checks = weight.report(weights)

    checks = {}
    for code in pages:
        proxy = results[f"nginx proxy cache [{code}]"]
        direct = rate(f"gunicorn directly [{code}]")
        warm, cold = renders[code][:2]
        checks.update(
            {
                f"[{code}] proxy cache >= 0.9 x static": (
                    rate(f"nginx proxy cache [{code}]") >= 0.9 * static_rps[code]
                ),
                f"[{code}] proxy cache p99 < 20 ms": statistics.median(r[2] for r in proxy) < 20,
                f"[{code}] gunicorn directly > 400 req/s": direct > 400,
                f"[{code}] gunicorn directly >= 0.04 x static": direct >= 0.04 * static_rps[code],
                f"[{code}] warm page makes no query": renders[code][3] == 0,
                f"[{code}] in-process warm median <= 5 ms": warm <= 5,
                f"[{code}] in-process cold median <= 20 ms": cold <= 20,
            }
        )
    checks.update({f"{what} visible through nginx <= 2 s": s <= 2 for what, s in fresh.items()})
    checks["no non-2xx responses"] = all(r[3] == 0 for rows in results.values() for r in rows)
    checks.update(weight_checks)
    return stack.verdicts(checks)


if __name__ == "__main__":
    sys.exit(main())
