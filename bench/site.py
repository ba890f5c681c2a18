"""`make bench`: how fast the statement page is, in-process and through nginx's cache.

Seeds a statement with 150 approved comments in a database of its own (bench/stack.py), then
1. renders the page in-process (Django's test client): median with warm caches, median with
   every application cache cleared, and the query counts at 10 and 150 comments;
2. measures with wrk, interleaved over several rounds: nginx serving a saved copy of the page
   as a static file, gunicorn directly, and nginx's proxy cache in front of gunicorn;
3. times how long an approval, an edit and a new statement take to reach readers through
   nginx's cache;
4. weighs the English and the Persian statement page (150 comments each) in Chromium through
   nginx: bytes and requests of a first and of a repeat view (bench/weight.py).
Prints one table and the figures; stops everything it started. Installs nothing.
"""

import logging
import re
import statistics
import subprocess
import sys
import time
import urllib.request

from bench import stack, weight

ROUNDS, DURATION, CONNECTIONS = 3, 8, 32
TARGETS = {
    "static file (nginx)": stack.STATIC_PORT,
    "gunicorn directly": stack.GUNICORN_PORT,
    "nginx proxy cache": stack.PROXY_PORT,
}


ENGLISH = {
    "title": "A statement with {comments} comments",
    "paragraph": "A paragraph of the statement, long enough to be realistic. ",
    "comment": "Comment {i}: I read https://example.org/item/{i} and agree.\n\nSecond "
    "paragraph with a mail address reader@example.org and more words. ",
}
PERSIAN = {
    "title": "بیانیه‌ای با {comments} نظر",
    "paragraph": "بندی از متن بیانیه، به اندازهٔ کافی بلند تا واقعی باشد. ",
    "comment": "نظر {i}: نشانی https://example.org/item/{i} را خواندم و موافقم.\n\nبند دوم "
    "با نشانی ایمیل reader@example.org و چند واژهٔ دیگر. ",
}


# Words for comments that compress like real ones (repeated sentences would compress far
# better than anything readers write): English from the demo statement, Persian from a
# paragraph of ordinary prose.
PERSIAN_PROSE = (
    "این بیانیه در روزهایی منتشر می‌شود که مردم ایران با دشواری‌های بزرگی روبه‌رو هستند. "
    "گرانی، بیکاری و نبود آزادی‌های پایه‌ای زندگی میلیون‌ها خانواده را سخت کرده است و "
    "بسیاری از جوانان امیدی به آینده ندارند. ما بر این باوریم که گفت‌وگو با جهان و پایان "
    "دادن به تحریم‌ها راهی است برای بهبود زندگی مردم، به شرط آن که با احترام به حقوق بشر، "
    "آزادی بیان، حق تشکل و برابری زن و مرد همراه باشد. سازمان‌های امضاکننده از همهٔ نیروهای "
    "دموکرات می‌خواهند که در کنار یکدیگر برای صلح، آزادی و عدالت اجتماعی بکوشند و صدای "
    "زندانیان سیاسی، کارگران، معلمان، بازنشستگان و اقلیت‌های ملی و مذهبی را به گوش جهان برسانند."
)


def prose(language):
    if language == "fa":
        return PERSIAN_PROSE
    from statements.management.commands.load_demo import DEMO_FILE

    return DEMO_FILE.read_text(encoding="utf-8").split("\nBody:\n", 1)[1]


def seed_realistic(language, comments=150):
    """A statement in `language` with `comments` approved comments of varied words, for the
    page weight: what compression does with it is what it would do with readers' text."""
    import random

    from comments import moderation
    from comments.models import Comment
    from tests.builders import make_organization, make_statement

    text = prose(language)
    vocabulary = text.split()
    rng = random.Random(14)
    paragraphs = [p.strip() for p in text.split("\n\n") if p.strip()]
    statement = make_statement(
        title=(PERSIAN if language == "fa" else ENGLISH)["title"].format(comments=comments),
        slug=f"weight-{language}-{comments}",
        language=language,
        signatories=[make_organization(name=f"Weight {language} {i}") for i in range(3)],
        body="\n\n".join(paragraphs * (13 // len(paragraphs) + 1))[:9000],
    )
    Comment.objects.bulk_create(
        Comment(
            statement=statement,
            name=f"{rng.choice(vocabulary)} {rng.choice(vocabulary)}"[:80],
            text=" ".join(rng.choice(vocabulary) for _ in range(rng.randint(20, 120)))
            + f"\n\nhttps://example.org/{rng.randint(1, 10**6)}",
            html="",
            status=Comment.Status.APPROVED,
        )
        for _ in range(comments)
    )
    for comment in Comment.objects.filter(statement=statement):
        comment.save()
    moderation.refresh_comment_counts([statement.pk])
    statement.refresh_from_db()
    return statement


def seed(comments=150, words=ENGLISH, slug="bench", translation_of=None):
    """A statement with `comments` approved comments; with `translation_of`, its Persian
    edition (at /fa/…), signed by the same organizations under their Persian names."""
    from comments import moderation
    from comments.models import Comment
    from statements.models import OrganizationTranslation
    from tests.builders import make_organization, make_statement

    if translation_of is None:
        signatories = [make_organization(name=f"Org {slug} {comments}-{i}") for i in range(3)]
        edition = {"language": "en"}
    else:
        signatories = list(translation_of.signatories.all())
        for n, organization in enumerate(signatories):
            OrganizationTranslation.objects.get_or_create(
                organization=organization, language="fa", defaults={"name": f"سازمان {n}"}
            )
        edition = {"language": "fa", "translation_of": translation_of}
    statement = make_statement(
        title=words["title"].format(comments=comments),
        slug=f"{slug}-{comments}",
        signatories=signatories,
        body="\n\n".join([words["paragraph"] * 6] * 12),
        **edition,
    )
    Comment.objects.bulk_create(
        Comment(
            statement=statement,
            name=f"Reader {i}",
            text=words["comment"].format(i=i) * 2,
            html="",
            status=Comment.Status.APPROVED,
        )
        for i in range(comments)
    )
    for comment in Comment.objects.filter(statement=statement):
        comment.save()  # renders the stored HTML
    moderation.refresh_comment_counts([statement.pk])
    statement.refresh_from_db()
    return statement


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


def wrk(port, path):
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}s",
            "--latency",
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
    moderator = User.objects.create(username="bench-moderator")
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
    ten, statement = seed(10), seed(150)
    english_weight, persian_weight = seed_realistic("en"), seed_realistic("fa")
    persian = seed(150, PERSIAN, slug="bench", translation_of=statement)
    pages = {"en": statement.get_absolute_url(), "fa": persian.get_absolute_url()}
    page = Client(HTTP_HOST="127.0.0.1").get(pages["en"]).content.decode()
    persian_size = len(Client(HTTP_HOST="127.0.0.1").get(pages["fa"]).content)
    renders = {code: in_process(url) for code, url in pages.items()}
    queries_10 = in_process(ten.get_absolute_url())[2]
    connection.close()

    # The static copy is the English page: the ceiling both languages are measured against.
    runs = [("static file (nginx)", stack.STATIC_PORT, "/")] + [
        (f"{name} [{code}]", port, url)
        for code, url in pages.items()
        for name, port in TARGETS.items()
        if port != stack.STATIC_PORT
    ]
    results = {name: [] for name, _port, _path in runs}
    with stack.running_stack(env, static_page=page):
        for round_number in range(1, ROUNDS + 1):
            for name, port, path in runs:
                print(f"round {round_number}/{ROUNDS}: {name} ...", flush=True)
                results[name].append(wrk(port, path))
        fresh = freshness(statement)
        print("page weight in Chromium ...", flush=True)
        proxy = f"http://127.0.0.1:{stack.PROXY_PORT}"
        weights = [
            (
                f"{name} statement, 150 comments",
                *weight.measure(proxy + statement.get_absolute_url()),
            )
            for name, statement in (("English", english_weight), ("Persian", persian_weight))
        ]

    static_rps = statistics.median(r[0] for r in results["static file (nginx)"])
    print(
        f"\nStatement page with 150 approved comments (English {len(page) // 1024} KB, Persian "
        f"{persian_size // 1024} KB), wrk {CONNECTIONS} connections, {DURATION} s x {ROUNDS} "
        "rounds, medians:\n"
    )
    print(f"{'target':<27}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'x static':>10}{'non-2xx':>9}")
    for name, rows in results.items():
        rps = statistics.median(r[0] for r in rows)
        print(
            f"{name:<27}{rps:>10.0f}{statistics.median(r[1] for r in rows):>9.2f}"
            f"{statistics.median(r[2] for r in rows):>9.2f}{rps / static_rps:>10.2f}"
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
    for what, seconds in fresh.items():
        print(f"Visible through nginx after the change: {what}: {seconds:.2f} s")
    weight_checks = weight.report(weights)

    checks = {}
    for code in pages:
        proxy = results[f"nginx proxy cache [{code}]"]
        direct = statistics.median(r[0] for r in results[f"gunicorn directly [{code}]"])
        warm, cold = renders[code][:2]
        checks.update(
            {
                f"[{code}] proxy cache >= 0.9 x static": (
                    statistics.median(r[0] for r in proxy) >= 0.9 * static_rps
                ),
                f"[{code}] proxy cache p99 < 20 ms": statistics.median(r[2] for r in proxy) < 20,
                f"[{code}] gunicorn directly > 400 req/s": direct > 400,
                f"[{code}] in-process warm median <= 5 ms": warm <= 5,
                f"[{code}] in-process cold median <= 20 ms": cold <= 20,
            }
        )
    checks.update({f"{what} visible through nginx <= 2 s": s <= 2 for what, s in fresh.items()})
    checks["no non-2xx responses"] = all(r[3] == 0 for rows in results.values() for r in rows)
    checks.update(weight_checks)
    print()
    for name, ok in checks.items():
        print(f"{'MET   ' if ok else 'MISSED'} {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
