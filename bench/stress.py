"""`make stress`: concurrent writes against gunicorn (several workers) behind nginx.

Needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL), nginx from Debian's packages. Runs in a
database of its own (bench/stack.py) and checks, printing its counts:
1. 200 concurrent comment submissions from 200 distinct clients (each its own loopback
   address and its own solved challenge): all stored exactly once, none lost, no 5xx;
2. 50 concurrent approvals of the same comment by a moderator: one decision recorded;
3. the per-IP flood limit holds across workers: 8 concurrent posts from one address.
Every request loop is bounded; everything started is stopped on exit.
"""

import http.client
import re
import secrets
import sys
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from bench import stack

SUBMISSIONS, APPROVALS, FLOOD_POSTS = 200, 50, 8
PASSWORD = secrets.token_urlsafe(16)


class Browser:
    """One client: its own source address, its own cookies."""

    def __init__(self, address):
        self.address, self.cookies = address, {}

    def request(self, method, path, fields=None):
        conn = http.client.HTTPConnection(
            "127.0.0.1", stack.PROXY_PORT, timeout=60, source_address=(self.address, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
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
    decided = sum("1 comment(s) marked approved" in html for _, html in results)
    no_ops = sum("0 comment(s) marked approved" in html for _, html in results)
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


def main():
    import os

    missing = stack.missing_tools("nginx")
    if (
        missing
        or not os.environ.get("REDIS_URL")
        or "postgres" not in os.environ.get("DATABASE_URL", "")
    ):
        print(
            "make stress needs nginx (apt-get install nginx), DATABASE_URL on PostgreSQL "
            "and REDIS_URL (the flood limit is shared through Redis)."
        )
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
    print("\n" + ("ALL HELD" if all(results) else "FAILED: see above"))
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
