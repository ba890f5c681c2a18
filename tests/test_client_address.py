"""The client's address is believed from our own proxies only (TRUSTED_PROXIES)."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse

from bench.stack import missing_tools, nginx_config
from cms.client import client_ip
from comments.models import Comment
from tests.builders import make_statement, make_user, solved_comment_data
from tests.tools import unavailable

pytestmark = pytest.mark.django_db

NGINX_TEMPLATE = Path(django_settings.BASE_DIR) / "deploy/nginx/site.conf.template"


@pytest.fixture
def behind_proxy(settings):
    settings.BEHIND_PROXY = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "192.0.2.7"]
    return settings


def request_from(remote, **headers):
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_forwarded_address_is_ignored_from_an_untrusted_connection(behind_proxy):
    request = request_from("203.0.113.5", HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "203.0.113.5"


@pytest.mark.parametrize("proxy", ["10.0.0.17", "192.0.2.7", "::ffff:10.0.0.3"])
def test_forwarded_address_is_believed_from_a_trusted_proxy_or_range(behind_proxy, proxy):
    request = request_from(proxy, HTTP_X_REAL_IP="198.51.100.1")
    assert client_ip(request) == "198.51.100.1"


def test_junk_forwarded_address_falls_back_to_the_connection(behind_proxy):
    assert client_ip(request_from("10.0.0.1", HTTP_X_REAL_IP="not an address")) == "10.0.0.1"
    assert client_ip(request_from("junk")) is None


def test_nothing_is_trusted_by_default(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(request_from("127.0.0.1", HTTP_X_REAL_IP="198.51.100.1")) == "127.0.0.1"


def test_forged_addresses_do_not_get_past_the_flood_limit(client, behind_proxy):
    """The review's reproduction: a new X-Real-IP per comment, straight to the app."""
    behind_proxy.COMMENTS_FLOOD_LIMIT = 5
    statement = make_statement()
    statuses = []
    for n in range(8):
        data = solved_comment_data(client, statement, text=f"Comment {n}.")
        response = client.post(
            statement.get_comment_url(),
            data,
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_REAL_IP=f"198.51.100.{n + 1}",
        )
        statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429] * 3
    assert set(Comment.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}


def test_forged_addresses_do_not_get_past_the_sign_in_lockout(client, behind_proxy):
    make_user("admin", password="the-right-password-123", is_staff=True)
    url = reverse("admin:login")
    statuses = []
    for n in range(8):
        response = client.post(
            url,
            {"username": "admin", "password": "wrong"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_REAL_IP=f"198.51.100.{n + 1}",
        )
        statuses.append(response.status_code)
    assert statuses[-1] == 429
    assert statuses.count(429) == 8 - behind_proxy.AXES_FAILURE_LIMIT + 1


def test_readers_behind_a_trusted_proxy_are_counted_apart(client, behind_proxy):
    behind_proxy.COMMENTS_FLOOD_LIMIT = 1
    statement = make_statement()
    for n in range(3):
        response = client.post(
            statement.get_comment_url(),
            solved_comment_data(client, statement, text=f"Comment {n}."),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_REAL_IP=f"198.51.100.{n + 1}",
        )
        assert response.status_code == 302


def test_https_claimed_by_an_untrusted_connection_is_not_believed(client, behind_proxy):
    behind_proxy.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    behind_proxy.SECURE_SSL_REDIRECT = True
    forged = client.get("/robots.txt", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_PROTO="https")
    assert forged.status_code == 301  # still plain HTTP: sent to https://
    proxied = client.get("/robots.txt", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200


def test_bad_trusted_proxies_setting_is_a_clear_error(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.TRUSTED_PROXIES = ["10.0.0.0/33"]
    with pytest.raises(ImproperlyConfigured, match="TRUSTED_PROXIES"):
        client_ip(request_from("10.0.0.1"))


def test_nginx_template_takes_the_real_ip_range_of_a_cdn():
    template = NGINX_TEMPLATE.read_text()
    assert re.search(r"^\s*set_real_ip_from \$\{NGINX_REAL_IP_FROM\};", template, re.M)
    assert re.search(r"^\s*real_ip_header \$\{NGINX_REAL_IP_HEADER\};", template, re.M)
    # Django hears the address nginx settled on, never the client's own headers: the
    # connection's (after the CDN range above), or on the onion port the Tor circuit's.
    assert "proxy_set_header X-Real-IP $reader_address;" in template
    assert re.search(r"map \$server_port \$reader_address \{\s*default \$remote_addr;", template)


def test_nginx_accepts_the_template_with_a_cdn_range(tmp_path):
    missing = missing_tools("nginx", "nginx-modules")
    if missing:
        unavailable(f"not installed: {' '.join(missing)}; apt-get install them to check it")
    config = tmp_path / "nginx.conf"
    config.write_text(
        nginx_config(
            tmp_path,
            upstream="127.0.0.1:9",
            listen="127.0.0.1:8049",
            static_root=tmp_path,
            real_ip_from="173.245.48.0/20",
            real_ip_header="CF-Connecting-IP",
        )
    )
    assert not re.search(r"\$\{NGINX|\$\{DJANGO|\$\{STATIC", config.read_text())
    result = subprocess.run(
        ["nginx", "-t", "-c", str(config), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
