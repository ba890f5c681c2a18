"""`make spike`: the per-reader paths of a traffic spike, at the origin and end to end.

Needs PostgreSQL (DATABASE_URL), Redis (REDIS_URL), nginx and wrk. Runs the stack of
bench/stack.py in a database of its own, on a statement seeded as bench/readers.py seeds them,
beside STORED_COMMENTS comments of every status that each new comment is checked against.

1. At the origin (gunicorn, no nginx), interleaved over ROUNDS rounds, each against its target:
   - the comment form fragment, every request a fresh challenge from the pool (wrk): >= 300/s;
   - CAPTCHA images of pooled challenges, over IMAGE_KEYS keys (wrk): >= 150/s;
   - comment submissions, each with its own answered challenge and its own client address
     (X-Real-IP from the trusted proxy address, as nginx sends it), SUBMISSIONS at a time from
     32 connections: >= 100/s, every one stored exactly once;
   and, for comparison, the form fragment and the image with the challenge drawn on request
   (the pool set aside), as every reader got them before the pool.
   The bench draws the pool full before each row that takes from it; no worker runs (the rows
   measure requests).
2. A spike through nginx, the pool full, with the workers running (new comments, e-mail, the
   pool's refills):
   2,000 readers arrive in one minute, each from its own address, and read the statement page;
   10% then open the comment form (the fragment, then its image) and half of those, a few
   seconds later, post a comment, answering the CAPTCHA (the bench reads the answer in the
   database, as bench/stress.py does). Targets: no error, the statement page's p99 under 20 ms,
   every comment posted stored exactly once.
Prints the figures and MET or MISSED for each target; stops everything it started.
"""

import http.client
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench import readers, stack
from bench.site import wrk

ROUNDS, DURATION = 3, 3
SUBMISSIONS, POST_CONNECTIONS = 300, 32
IMAGE_KEYS = 200
TARGETS = {"form fragment": 300, "CAPTCHA image": 150, "comment submission": 100}
# The pool each row starts with: the fragment at five times its target (a faster origin still
# empties it: the fragments and images that missed it are counted and printed).
POOL_FOR_A_ROW = TARGETS["form fragment"] * 5 * DURATION
READERS, SPIKE_SECONDS, FORM_SHARE, POST_SHARE = 2_000, 60, 0.10, 0.05
PAGE_P99_MS = 20.0
# What every new comment is checked against (duplicates, known spammers): not an empty table.
STORED_COMMENTS = 100_000


def request(port, method, path, address=None, headers=None, fields=None, source=None):
    """(status, headers, body) of one request on a connection of its own."""
    conn = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0) if source else None
    )
    headers = dict(headers or {})
    if address:
        headers["X-Real-IP"] = address
    body = None
    if fields is not None:
        body = urlencode(fields)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def csrf_pair(port, path):
    """A CSRF cookie and a form token that goes with it (one pair serves every post)."""
    status, headers, body = request(port, "GET", path)
    assert status == 200, status
    cookie = SimpleCookie(headers.get("Set-Cookie"))["csrftoken"].value
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def answers(keys):
    from captcha.models import CaptchaStore

    found = dict(CaptchaStore.objects.filter(hashkey__in=keys).values_list("hashkey", "response"))
    return [found[key] for key in keys]


def started_stamp(seconds_ago=60):
    from django.core import signing

    return signing.dumps(time.time() - seconds_ago, salt="comments.form-started")


def fill_pool(target):
    from comments import captcha_pool

    started = time.monotonic()
    drawn = captcha_pool.refill(target)
    return drawn, time.monotonic() - started


def path_script(workdir, name, paths):
    """A wrk script that asks for `paths` in turn."""
    script = Path(workdir) / f"{name}.lua"
    listed = ",".join(f'"{p}"' for p in paths)
    script.write_text(
        f"local paths = {{{listed}}}\nlocal i = 0\n"
        "request = function()\n  i = i + 1\n"
        "  return wrk.format('GET', paths[(i % #paths) + 1])\nend\n"
    )
    return str(script)


class Origin:
    """The rows of part 1, each run once per round."""

    def __init__(self, statement, workdir):
        from django.core.cache import cache

        from comments import captcha_pool

        self.statement, self.workdir = statement, workdir
        self.pool_key = cache.make_key(captcha_pool.POOL)
        self.redis = captcha_pool._redis()
        self.fragment = statement.get_comment_form_url()
        self.cookie, self.token = csrf_pair(stack.GUNICORN_PORT, self.fragment)
        self.rng = random.Random(17)
        self.words = readers.vocabulary("en", self.rng)
        self.posted = []  # texts of every submission answered 302
        self.statuses = Counter()
        self.pool_misses = 0

    def fragment_pooled(self):
        before = self.redis.llen(self.pool_key)
        result = wrk(stack.GUNICORN_PORT, self.fragment, duration=DURATION)
        taken = before - self.redis.llen(self.pool_key)
        requests = round(result[0] * DURATION)
        self.pool_misses += max(0, requests - taken)
        return result

    def fragment_on_request(self):
        aside = self.pool_key + ":aside"
        had_pool = self.redis.exists(self.pool_key)
        if had_pool:
            self.redis.rename(self.pool_key, aside)
        try:
            return wrk(stack.GUNICORN_PORT, self.fragment, duration=DURATION)
        finally:
            if had_pool:
                self.redis.rename(aside, self.pool_key)

    def image_pooled(self):
        from comments import captcha_pool

        keys = [captcha_pool.take() for _ in range(IMAGE_KEYS)]
        self.pool_misses += sum(captcha_pool.image(key) is None for key in keys)
        return self._images("pooled", keys)

    def image_on_request(self):
        from captcha.models import CaptchaStore

        keys = [CaptchaStore.generate_key() for _ in range(IMAGE_KEYS)]
        return self._images("drawn", keys)

    def _images(self, name, keys):
        from django.urls import reverse

        paths = [reverse("captcha-image", args=[key]) for key in keys]
        script = path_script(self.workdir, name, paths)
        return wrk(stack.GUNICORN_PORT, paths[0], script=script, duration=DURATION)

    def submissions(self):
        """SUBMISSIONS posts from POST_CONNECTIONS connections; (rate, p50, p99, non-302, "")."""
        from comments import captcha_pool

        keys = [captcha_pool.take() for _ in range(SUBMISSIONS)]
        path = self.statement.get_comment_url()
        n = len(self.posted) + sum(self.statuses.values())
        forms = [
            {
                "csrfmiddlewaretoken": self.token,
                "captcha_0": key,
                "captcha_1": answer,
                "started": started_stamp(),
                "name": f"Reader {n + i}",
                "email": f"reader{n + i}@example.org" if i % 3 == 0 else "",
                "text": f"{readers.comment_text(self.rng, self.words, 'en')} [{n + i}]",
            }
            for i, (key, answer) in enumerate(zip(keys, answers(keys), strict=True))
        ]

        def post(i):
            address = f"10.{(n + i) // 65025 % 250}.{(n + i) // 255 % 255}.{1 + (n + i) % 254}"
            started = time.perf_counter()
            status, _, _ = request(
                stack.GUNICORN_PORT,
                "POST",
                path,
                address=address,
                headers={"Cookie": f"csrftoken={self.cookie}"},
                fields=forms[i],
            )
            return status, (time.perf_counter() - started) * 1000

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=POST_CONNECTIONS) as pool:
            results = list(pool.map(post, range(SUBMISSIONS)))
        seconds = time.monotonic() - started
        for (status, _), form in zip(results, forms, strict=True):
            self.statuses[status] += 1
            if status == 302:
                self.posted.append(form["text"])
        timings = sorted(ms for _, ms in results)
        bad = sum(status != 302 for status, _ in results)
        return SUBMISSIONS / seconds, timings[len(timings) // 2], _p99(timings), bad, ""


def _p99(ordered):
    return ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


def stored_once(statement, texts):
    """(stored, missing, duplicated) of `texts` among the statement's comments: `stored`
    counts the comments stored with these texts, not the statement's seeded ones."""
    from comments.models import Comment

    stored = Counter(Comment.objects.filter(statement=statement).values_list("text", flat=True))
    missing = sum(1 for text in texts if text not in stored)
    duplicated = sum(1 for text in texts if stored[text] > 1)
    return sum(stored[text] for text in set(texts)), missing, duplicated


def origin(statement, env):
    rows = {
        "form fragment": "fragment_pooled",
        "form fragment, drawn on request": "fragment_on_request",
        "CAPTCHA image": "image_pooled",
        "CAPTCHA image, drawn on request": "image_on_request",
        "comment submission": "submissions",
    }
    results = {name: [] for name in rows}
    with tempfile.TemporaryDirectory(prefix="cms-spike-") as workdir, stack.running_stack(env):
        bench = Origin(statement, workdir)
        for round_number in range(1, ROUNDS + 1):
            for name, method in rows.items():
                # Full before every row that takes from it (the rows with a target): a fast
                # origin's fragments would otherwise empty it, and the next rows would measure
                # challenges drawn on request.
                drawn, seconds = fill_pool(POOL_FOR_A_ROW) if name in TARGETS else (0, 0)
                print(
                    f"round {round_number}/{ROUNDS}: {name} (drew {drawn} challenges in "
                    f"{seconds:.0f} s) ...",
                    flush=True,
                )
                results[name].append(getattr(bench, method)())
    stored, missing, duplicated = stored_once(statement, bench.posted)
    return results, bench, (stored, missing, duplicated)


class Reader:
    """One reader of the spike: reads the page; perhaps opens the form; perhaps posts."""

    def __init__(self, number, arrives, opens_form, posts, rng):
        self.number, self.arrives = number, arrives
        self.opens_form, self.posts = opens_form, posts
        self.address = f"127.1.{number // 250}.{1 + number % 250}"
        self.reads_for = rng.uniform(1, 4)  # seconds before opening the form
        self.writes_for = rng.uniform(6, 20)  # seconds before posting
        self.text = None


def spike(statement, env, words):
    rng = random.Random(18)
    arrivals = sorted(rng.uniform(0, SPIKE_SECONDS) for _ in range(READERS))
    formers = set(rng.sample(range(READERS), int(READERS * FORM_SHARE)))
    posters = set(rng.sample(sorted(formers), int(READERS * POST_SHARE)))
    readers_ = [Reader(i, arrivals[i], i in formers, i in posters, rng) for i in range(READERS)]
    for reader in readers_:
        if reader.posts:
            reader.text = f"{readers.comment_text(rng, words, 'en')} [spike {reader.number}]"
    page = statement.get_absolute_url()
    fragment, post_path = statement.get_comment_form_url(), statement.get_comment_url()
    lock = threading.Lock()
    page_ms, errors, figures = [], Counter(), Counter()

    def fail(what):
        with lock:
            errors[what] += 1

    def visit(reader, start):
        time.sleep(max(0.0, start + reader.arrives - time.monotonic()))
        t = time.perf_counter()
        status, _, _ = request(stack.PROXY_PORT, "GET", page, source=reader.address)
        elapsed = (time.perf_counter() - t) * 1000
        with lock:
            page_ms.append(elapsed)
        if status != 200:
            return fail(f"statement page {status}")
        if not reader.opens_form:
            return None
        time.sleep(reader.reads_for)
        status, headers, body = request(stack.PROXY_PORT, "GET", fragment, source=reader.address)
        if status != 200:
            return fail(f"form {status}")
        html = body.decode()
        key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', html).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        started = re.search(r'name="started" value="([^"]+)"', html).group(1)
        cookie = SimpleCookie(headers.get("Set-Cookie"))["csrftoken"].value
        image = re.search(r'<img src="([^"]+)"', html).group(1)
        status, _, png = request(stack.PROXY_PORT, "GET", image, source=reader.address)
        if status != 200 or not png.startswith(b"\x89PNG"):
            return fail(f"image {status}")
        with lock:
            figures["forms opened"] += 1
        if not reader.posts:
            return None
        time.sleep(reader.writes_for)
        fields = {
            "csrfmiddlewaretoken": token,
            "captcha_0": key,
            "captcha_1": answers([key])[0],
            "started": started,
            "name": f"Spike reader {reader.number}",
            "text": reader.text,
        }
        status, _, _ = request(
            stack.PROXY_PORT,
            "POST",
            post_path,
            headers={"Cookie": f"csrftoken={cookie}"},
            fields=fields,
            source=reader.address,
        )
        if status != 302:
            return fail(f"post {status}")
        with lock:
            figures["comments posted"] += 1
        return None

    def safely(reader, start):
        try:
            visit(reader, start)
        except Exception as error:  # a refused connection, a page without its form: an error
            fail(f"{type(error).__name__}: {error}")
        finally:
            from django.db import connection

            connection.close()

    with stack.running_stack(env, worker=True):
        request(stack.PROXY_PORT, "GET", page)  # the first reader after publishing: a miss
        start = time.monotonic()
        with ThreadPoolExecutor(max_workers=160) as pool:
            for reader in readers_:
                pool.submit(safely, reader, start)
        seconds = time.monotonic() - start
    posted = [r.text for r in readers_ if r.posts]
    return page_ms, errors, figures, seconds, stored_once(statement, posted), len(posted)


def report_origin(env, results, bench, stored_figures, load, load_after):
    """Print part 1's table; return its checks."""
    stored, lost, doubled = stored_figures
    print(
        f"\nAt the origin (gunicorn, {env['GUNICORN_WORKERS']} workers), {ROUNDS} interleaved "
        f"rounds, medians; wrk {DURATION} s per row; submissions {SUBMISSIONS} a round from "
        f"{POST_CONNECTIONS} connections. Load average {load[0]:.1f} before, "
        f"{load_after[0]:.1f} after:\n"
    )
    print(f"{'row':<34}{'per s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'target':>9}")
    checks = {}
    for name, rows in results.items():
        rate = statistics.median(r[0] for r in rows)
        bad = sum(r[3] for r in rows)
        goal = TARGETS.get(name)
        print(
            f"{name:<34}{rate:>9.0f}{statistics.median(r[1] for r in rows):>9.1f}"
            f"{statistics.median(r[2] for r in rows):>9.1f}{bad:>8}"
            f"{f'>= {goal}' if goal else '':>9}"
        )
        for r in rows:
            if r[4]:
                print(f"   socket errors ({name}): {r[4]}")
        if goal:
            checks[f"{name} >= {goal}/s at the origin"] = rate >= goal and bad == 0
    print(
        f"\nFragments and images that found the pool empty (drawn on request): "
        f"{bench.pool_misses}. "
        f"Submissions: responses {dict(bench.statuses)}; of the {len(bench.posted)} accepted, "
        f"stored {stored}, missing {lost}, stored twice {doubled}"
    )
    checks["every accepted submission stored once"] = lost == 0 and doubled == 0

    return checks


def main():
    missing = stack.missing_tools("nginx", "nginx-modules", "wrk", "postgres", "redis")
    if missing:
        print(f"make spike needs {', '.join(missing)} (the pool of challenges is kept in Redis).")
        return 2
    env = stack.bench_environment(database="cms_bench_spike")
    # The pool's size for the spike's refills; part 1 draws it full itself.
    env["DJANGO_CAPTCHA_POOL_SIZE"] = "1000"
    print("Preparing the bench database ...", flush=True)
    stack.manage(env, "migrate", "--no-input", "-v0")
    stack.manage(env, "collectstatic", "--no-input", "-v0")
    stack.use_environment(env)
    from django.core.cache import cache

    cache.clear()
    statement = readers.seed(slug="spike")
    target = readers.seed(comments=10, slug="spike-origin")
    print(f"Storing {STORED_COMMENTS:,} comments, as a site holds after some years ...", flush=True)
    readers.history(STORED_COMMENTS)
    load = os.getloadavg()
    results, bench, stored_figures = origin(target, env)
    checks = report_origin(env, results, bench, stored_figures, load, os.getloadavg())

    drawn, seconds = fill_pool(1000)  # as the scheduler keeps it: full
    print(f"The spike: drew {drawn} challenges in {seconds:.0f} s to fill the pool", flush=True)
    page_ms, errors, figures, seconds, (_, spike_lost, spike_doubled), posts = spike(
        statement, env, readers.vocabulary("en", random.Random(19))
    )

    ordered = sorted(page_ms)
    p99 = _p99(ordered)
    print(
        f"\nThe spike through nginx: {READERS:,} readers arriving over {SPIKE_SECONDS} s "
        f"(run took {seconds:.0f} s): {len(page_ms):,} statement pages, p50 "
        f"{ordered[len(ordered) // 2]:.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms; "
        f"forms opened with their image {figures['forms opened']}; comments posted "
        f"{figures['comments posted']} of {posts}, missing {spike_lost}, stored twice "
        f"{spike_doubled}; errors {sum(errors.values())} {dict(errors) or ''}"
    )
    checks["spike: no errors"] = not errors
    checks[f"spike: statement page p99 < {PAGE_P99_MS:.0f} ms"] = p99 < PAGE_P99_MS
    checks["spike: every posted comment stored once"] = (
        figures["comments posted"] == posts and spike_lost == 0 and spike_doubled == 0
    )
    return stack.verdicts(checks)


if __name__ == "__main__":
    sys.exit(main())
