"""Headers on every response, CSRF on every POST, limits on admin logins."""

import importlib

import pytest
from django.contrib.staticfiles.finders import find
from django.test import Client
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, reverse

from tests.builders import make_statement, make_user

pytestmark = pytest.mark.django_db

EXPECTED_CSP = {
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
}


def every_kind_of_response(client):
    statement = make_statement()
    yield client.get("/")
    yield client.get(statement.get_absolute_url())
    yield client.get(statement.get_comment_url())
    yield client.post(statement.get_comment_url(), {"name": "x"})
    yield client.get("/en/feeds/rss/")
    yield client.get("/no/such/page/")
    yield client.get(reverse("admin:login"))


def test_every_response_carries_the_security_headers(client):
    for response in every_kind_of_response(client):
        directives = {d.strip() for d in response["Content-Security-Policy"].split(";")}
        assert directives >= EXPECTED_CSP, response.request["PATH_INFO"]
        assert not any("unsafe" in d for d in directives)
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "camera=()" in response["Permissions-Policy"]


def test_pages_have_no_inline_script_or_style(client):
    for response in every_kind_of_response(client):
        html = response.content.decode()
        for fragment in (
            "<script>",
            "<script defer>",
            "<style",
            " style=",
            " onclick=",
            "javascript:",
        ):
            assert fragment not in html, (response.request["PATH_INFO"], fragment)


def test_hsts_is_sent_when_https_is_configured(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = client.get("/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_comment_script_is_a_static_file():
    assert find("js/comments.js")


def test_no_view_is_exempt_from_csrf():
    def views(resolver):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from views(pattern)
            elif isinstance(pattern, URLPattern):
                yield pattern

    exempt = [
        str(p.pattern) for p in views(get_resolver()) if getattr(p.callback, "csrf_exempt", False)
    ]
    # The one exception: RFC 8058's one-click unsubscribe is a POST from a mail program, which
    # has no CSRF token; the signed, single-use token in the address is the proof instead.
    assert exempt == ["comments/email/stop/<str:token>/"]


def test_admin_logins_are_limited_per_username_and_ip(client, settings):
    make_user("admin", password="the-right-password-123", is_staff=True)
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "admin", "password": "wrong"})
    locked = client.post(url, {"username": "admin", "password": "the-right-password-123"})
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_admin_login_works_below_the_limit(client):
    make_user("admin", password="the-right-password-123", is_staff=True)
    url = reverse("admin:login")
    client.post(url, {"username": "admin", "password": "wrong"})
    response = client.post(url, {"username": "admin", "password": "the-right-password-123"})
    assert response.status_code == 302


def test_admin_address_is_configurable(settings):
    import cms.urls

    settings.ADMIN_URL = "staff-only-place/"
    try:
        importlib.reload(cms.urls)
        clear_url_caches()
        client = Client()
        assert client.get("/staff-only-place/login/").status_code == 200
        assert client.get("/admin/login/").status_code == 404
    finally:
        settings.ADMIN_URL = "admin/"
        importlib.reload(cms.urls)
        clear_url_caches()
