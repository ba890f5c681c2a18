"""`make stress`: concurrent writes against gunicorn (several workers) behind nginx.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL), nginx from Debian's packages. Runs in a
database of its own (bench/stack.py) and checks, printing its counts:
1. 200 concurrent comment submissions from 200 distinct clients (each its own loopback
   address and its own solved challenge): all stored exactly once, none lost, no 5xx;
2. 50 concurrent approvals of the same comment by a moderator: one decision recorded;
3. the per-IP flood limit holds across workers: 8 concurrent posts from one address.
Then, with the flood limit lifted, moderators notified by e-mail and the background worker
running:
4. 1,000 comments from 100 addresses, among them a 200-comment campaign with small
   variations, 16 at a time: every comment stored once, none lost, the campaign in at most 5
   groups (and how many ordinary comments were grouped by mistake);
5. with a mail server that answers only after 10 seconds (a stand-in on SMTP_PORT), the
   median time of a comment submission at the origin (gunicorn, no nginx): at most 50 ms;
   every submission's moderators' e-mail queued.
Every request loop is bounded; everything started is stopped on exit.
"""

import http.client
import random
import re
import secrets
import socket
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench import stack

SUBMISSIONS, APPROVALS, FLOOD_POSTS = 200, 50, 8
CAMPAIGN_TOTAL, CAMPAIGN_SIZE, CAMPAIGN_ADDRESSES, CAMPAIGN_GROUPS = 1_000, 200, 100, 5
SLOW_MAIL_POSTS, SLOW_MAIL_SECONDS, SLOW_MAIL_TARGET_MS = 40, 10, 50.0
SMTP_PORT = 8183  # beside bench.stack's ports (8100, 8180-8182)
PASSWORD = secrets.token_urlsafe(16)


class Browser:
    """One client: its own source address, its own cookies."""

    def __init__(self, address, port=stack.PROXY_PORT):
        self.address, self.cookies, self.port = address, {}, port

    def request(self, method, path, fields=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=60, source_address=(self.address, 0)
        )
        # English: phase 2 reads the admin's result message, and the admin follows the browser.
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Accept-Language": "en",
        }
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            conn.close()


def form_fields(html):
    def value(name):
        return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)

    return {
        "csrfmiddlewaretoken": value("csrfmiddlewaretoken"),
        "captcha_0": value("captcha_0"),
        "started": value("started"),
    }


def open_forms(browsers, form_path):
    """Each browser fetches the form (CSRF cookie and a challenge), then we look up answers."""
    from captcha.models import CaptchaStore

    with ThreadPoolExecutor(max_workers=32) as pool:
        pages = list(pool.map(lambda b: b.request("GET", form_path), browsers))
    forms = [form_fields(html) for status, html in pages]
    answers = dict(
        CaptchaStore.objects.filter(hashkey__in=[f["captcha_0"] for f in forms]).values_list(
            "hashkey", "response"
        )
    )
    for form in forms:
        form["captcha_1"] = answers[form["captcha_0"]]
    return forms


def post_together(jobs):
    """Run all jobs at the same moment (a barrier), return their results."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait(timeout=60)
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def submissions(statement):
    from comments.models import Comment

    browsers = [Browser(f"127.0.{1 + i // 250}.{1 + i % 250}") for i in range(SUBMISSIONS)]
    forms = open_forms(browsers, statement.get_comment_form_url())
    comment_path = statement.get_comment_url()
    jobs = [
        (
            lambda b=b, f=f, i=i: b.request(
                "POST", comment_path, {**f, "name": f"Client {i}", "text": f"Stress comment {i}."}
            )
        )
        for i, (b, f) in enumerate(zip(browsers, forms, strict=True))
    ]
    statuses = Counter(status for status, _ in post_together(jobs))
    stored = Counter(Comment.objects.filter(statement=statement).values_list("text", flat=True))
    expected = {f"Stress comment {i}." for i in range(SUBMISSIONS)}
    print(
        f"1. {SUBMISSIONS} concurrent submissions: responses {dict(statuses)}; "
        f"stored {sum(stored.values())}, distinct {len(stored)}, "
        f"missing {len(expected - set(stored))}, duplicated {sum(n > 1 for n in stored.values())}"
    )
    return (
        statuses == {302: SUBMISSIONS}
        and set(stored) == expected
        and all(n == 1 for n in stored.values())
    )


def approvals(statement):
    from django.contrib.auth.models import Group, User

    from comments.models import Comment

    moderator = User.objects.create_user("stress-mod", password=PASSWORD, is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    comment = Comment.objects.filter(statement=statement).order_by("pk").first()
    browser = Browser("127.0.3.1")
    _, login = browser.request("GET", "/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', login).group(1)
    status, _ = browser.request(
        "POST",
        "/admin/login/",
        {"csrfmiddlewaretoken": token, "username": "stress-mod", "password": PASSWORD},
    )
    assert status == 302, f"moderator login failed: {status}"
    _, queue = browser.request("GET", "/admin/comments/comment/?status=all")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]*)"', queue).group(1)
    fields = {
        "csrfmiddlewaretoken": token,
        "action": "approve",
        "_selected_action": comment.pk,
        "index": "0",
    }
    # One session, 50 tabs: each tab reads its own result message (a cookie) after the post.
    tabs = [Browser("127.0.3.1") for _ in range(APPROVALS)]
    for tab in tabs:
        tab.cookies = dict(browser.cookies)

    def approve(tab):
        status, _ = tab.request("POST", "/admin/comments/comment/?status=all", fields)
        return status, tab.request("GET", "/admin/comments/comment/?status=all")[1]

    jobs = [(lambda tab=tab: approve(tab)) for tab in tabs]
    results = post_together(jobs)
    statuses = Counter(status for status, _ in results)
    decided = sum("1 comment approved." in html for _, html in results)
    no_ops = sum("0 comments approved." in html for _, html in results)
    comment.refresh_from_db()
    print(
        f"2. {APPROVALS} concurrent approvals of comment {comment.pk}: responses "
        f"{dict(statuses)}; decisions recorded {decided}, no-ops {no_ops}; "
        f"status now {comment.status}, decided by {comment.decided_by}"
    )
    return (
        decided == 1
        and no_ops == APPROVALS - 1
        and comment.status == "approved"
        and max(statuses) < 500
    )


def flood(statement):
    from django.conf import settings

    browsers = [Browser("127.0.4.1") for _ in range(FLOOD_POSTS)]
    forms = open_forms(browsers, statement.get_comment_form_url())
    path = statement.get_comment_url()
    jobs = [
        (
            lambda b=b, f=f, i=i: b.request(
                "POST", path, {**f, "name": "Flooder", "text": f"Flood {i}."}
            )
        )
        for i, (b, f) in enumerate(zip(browsers, forms, strict=True))
    ]
    statuses = Counter(status for status, _ in post_together(jobs))
    limit = settings.COMMENTS_FLOOD_LIMIT
    print(
        f"3. {FLOOD_POSTS} concurrent posts from one address (limit {limit}): "
        f"responses {dict(statuses)}"
    )
    return statuses == {302: limit, 429: FLOOD_POSTS - limit}


def campaign_texts():
    """1,000 texts, the first 200 a campaign with small variations, each text unique."""
    from bench.campaigns import ARABIC, ARABIC_VOWELS, campaign_text, sentence_maker, vocabulary

    rng = random.Random(15)
    persian = vocabulary(rng, ARABIC, ARABIC_VOWELS)
    make = sentence_maker(rng, persian)
    template = make(300)
    campaign = [f"{campaign_text(rng, template, persian)} {i}" for i in range(CAMPAIGN_SIZE)]
    ordinary = [f"{make(rng.randint(100, 600))} {i}" for i in range(CAMPAIGN_TOTAL - CAMPAIGN_SIZE)]
    return campaign, ordinary


def campaigns(statement):
    from comments.models import Comment

    campaign, ordinary = campaign_texts()
    texts = campaign + ordinary
    random.Random(16).shuffle(texts)
    # 100 addresses, 10 comments each; each browser is one visit (its own form and cookies).
    browsers = [Browser(f"127.0.5.{1 + i % CAMPAIGN_ADDRESSES}") for i in range(CAMPAIGN_TOTAL)]
    forms = open_forms(browsers, statement.get_comment_form_url())
    path = statement.get_absolute_url() + "comment/"

    def post(args):
        i, browser, form = args
        fields = {**form, "name": f"Sender {i % CAMPAIGN_ADDRESSES}", "text": texts[i]}
        return browser.request("POST", path, fields)[0]

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=16) as pool:
        statuses = Counter(pool.map(post, zip(range(len(texts)), browsers, forms, strict=True)))
    seconds = time.monotonic() - started
    waited = wait_for_tasks("comments.tasks.after_receive")
    stored = Counter(Comment.objects.filter(statement=statement).values_list("text", flat=True))
    rows = dict(Comment.objects.filter(statement=statement).values_list("text", "campaign_id"))
    in_campaign = [rows.get(text) for text in campaign]
    groups = len({c for c in in_campaign if c}) + sum(c is None for c in in_campaign)
    false_positives = sum(rows.get(text) is not None for text in ordinary)
    missing = len(set(texts) - set(stored))
    duplicated = sum(n > 1 for n in stored.values())
    print(
        f"4. {CAMPAIGN_TOTAL:,} comments from {CAMPAIGN_ADDRESSES} addresses in {seconds:.1f} s "
        f"(grouped by the worker {waited:.1f} s later): "
        f"responses {dict(statuses)}; stored {sum(stored.values())}, missing {missing}, "
        f"duplicated {duplicated}; the {CAMPAIGN_SIZE}-comment campaign in {groups} group(s) "
        f"(target at most {CAMPAIGN_GROUPS}: {'MET' if groups <= CAMPAIGN_GROUPS else 'MISSED'}); "
        f"ordinary comments grouped by mistake: {false_positives}"
    )
    return (
        statuses == {302: CAMPAIGN_TOTAL}
        and missing == 0
        and duplicated == 0
        and groups <= CAMPAIGN_GROUPS
    )


def wait_for_tasks(task_path, limit=180):
    """Wait (at most `limit` seconds) until the worker has run every queued `task_path`."""
    from django_tasks_db.models import DBTaskResult

    started = time.monotonic()
    while time.monotonic() - started < limit:
        if not DBTaskResult.objects.filter(
            task_path=task_path, status__in=["READY", "RUNNING"]
        ).exists():
            break
        time.sleep(0.5)
    return time.monotonic() - started


@contextmanager
def slow_mail_server(seconds):
    """An SMTP server on SMTP_PORT that waits `seconds` before its greeting, then accepts all."""
    server = socket.create_server(("127.0.0.1", SMTP_PORT), reuse_port=False)
    server.settimeout(0.5)
    stop = threading.Event()

    def session(conn):
        with conn:
            conn.settimeout(seconds + 30)
            if stop.wait(seconds):
                return
            reader = conn.makefile("rb")
            conn.sendall(b"220 slow.example ESMTP\r\n")
            in_data = False
            for line in reader:
                if in_data:
                    if line.rstrip(b"\r\n") == b".":
                        in_data = False
                        conn.sendall(b"250 queued\r\n")
                    continue
                command = line[:4].upper()
                if command == b"DATA":
                    in_data = True
                    conn.sendall(b"354 go ahead\r\n")
                elif command == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            threading.Thread(target=session, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def slow_mail(statement):
    from django_tasks_db.models import DBTaskResult

    browsers = [
        Browser(f"127.0.6.{1 + i}", port=stack.GUNICORN_PORT) for i in range(SLOW_MAIL_POSTS)
    ]
    forms = open_forms(browsers, statement.get_comment_form_url())
    path = statement.get_absolute_url() + "comment/"
    queued_before = DBTaskResult.objects.filter(task_path="comments.tasks.deliver").count()
    timings, statuses = [], Counter()
    for i, (browser, form) in enumerate(zip(browsers, forms, strict=True)):
        fields = {**form, "name": f"Patient {i}", "text": f"Slow mail test comment number {i}."}
        started = time.perf_counter()
        status, _ = browser.request("POST", path, fields)
        timings.append((time.perf_counter() - started) * 1000)
        statuses[status] += 1
    wait_for_tasks("comments.tasks.after_receive")  # which queues the moderators' e-mail
    queued = DBTaskResult.objects.filter(task_path="comments.tasks.deliver").count()
    median = statistics.median(timings)
    met = median <= SLOW_MAIL_TARGET_MS
    print(
        f"5. {SLOW_MAIL_POSTS} submissions at the origin, mail server answering after "
        f"{SLOW_MAIL_SECONDS} s: responses {dict(statuses)}; median {median:.1f} ms, "
        f"max {max(timings):.1f} ms; e-mails queued {queued - queued_before} "
        f"(target median at most {SLOW_MAIL_TARGET_MS:.0f} ms: {'MET' if met else 'MISSED'})"
    )
    return statuses == {302: SLOW_MAIL_POSTS} and met and queued - queued_before == SLOW_MAIL_POSTS


def main():
    missing = stack.missing_tools("nginx", "nginx-modules", "postgres", "redis")
    if missing:
        print(f"make stress needs {', '.join(missing)} (the flood limit is shared through Redis).")
        return 2
    env = stack.bench_environment(workers=4)
    stack.manage(env, "migrate", "--no-input", "-v0")
    stack.manage(env, "collectstatic", "--no-input", "-v0")
    stack.use_environment(env)
    from django.core.cache import cache

    from tests.builders import make_statement

    cache.clear()
    statement = make_statement(title="Stress", slug="stress")
    with stack.running_stack(env):
        results = [submissions(statement), approvals(statement), flood(statement)]
    # The same stack with the flood limit lifted, e-mail on (to a slow server) and the worker.
    from django.contrib.auth.models import Group, User

    moderator = User.objects.create_user("stress-mail", email="moderator@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    env.update(
        DJANGO_COMMENTS_FLOOD_LIMIT="100000",
        DJANGO_COMMENTS_NOTIFY_MODERATORS="1",
        DJANGO_EMAIL_HOST="127.0.0.1",
        DJANGO_EMAIL_PORT=str(SMTP_PORT),
        DJANGO_EMAIL_USE_TLS="0",
    )
    campaign_statement = make_statement(title="Campaign stress", slug="campaign-stress")
    mail_statement = make_statement(title="Slow mail stress", slug="slow-mail-stress")
    with slow_mail_server(SLOW_MAIL_SECONDS), stack.running_stack(env, worker=True):
        results += [campaigns(campaign_statement), slow_mail(mail_statement)]
    print("\n" + ("ALL HELD" if all(results) else "FAILED: see above"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
