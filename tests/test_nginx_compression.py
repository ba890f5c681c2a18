"""deploy/nginx/site.conf.template in a real nginx: pages, feeds and static files leave
compressed (brotli, or gzip), static files precompressed and cached for a year; requests
from the onion service count as HTTPS."""

import gzip
import socket
import urllib.request
from urllib.parse import urlsplit

import brotli
from django.http import HttpResponse

from cms.client import client_ip
from tests.builders import make_statement


def get(url, encoding):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding})  # noqa: S310
    with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (loopback)
        return response.headers, response.read()


def test_pages_and_feeds_are_sent_compressed_with_brotli_or_gzip(nginx):
    nginx = nginx.web
    for _ in range(3):
        make_statement()
    for path in ("/", "/feeds/rss/", "/feeds/atom/", "/sitemap.xml"):
        headers, body = get(nginx + path, "gzip, deflate, br")
        assert headers["Content-Encoding"] == "br", path
        assert "Accept-Encoding" in headers["Vary"]
        plain = brotli.decompress(body)
        headers, body = get(nginx + path, "gzip")
        assert headers["Content-Encoding"] == "gzip", path
        assert gzip.decompress(body) == plain
    headers, body = get(nginx + "/", "identity")
    assert headers["Content-Encoding"] is None and body.startswith(b"<!doctype html>")


def test_static_files_are_sent_precompressed_and_immutable_for_a_year(nginx, tmp_path):
    nginx = nginx.web
    name = "static/css/site.0123456789ab.css"
    headers, body = get(f"{nginx}/{name}", "gzip, br")
    assert headers["Content-Encoding"] == "br"
    assert body == (tmp_path / f"{name}.br").read_bytes()  # the file made at build time
    assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
    headers, body = get(f"{nginx}/{name}", "gzip")
    assert body == (tmp_path / f"{name}.gz").read_bytes()


def from_tor(onion, path, circuit):
    """GET `path` as Tor does with HiddenServiceExportCircuitID haproxy: a PROXY protocol line
    naming the circuit, then the request. Returns the body."""
    port = urlsplit(onion).port
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(
            f"PROXY TCP6 fc00:dead:beef:4dad::{circuit:x} ::1 65535 80\r\n".encode()
            + f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode()
        )
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    return answer.partition(b"\r\n\r\n")[2].decode()


def test_requests_from_the_onion_service_count_as_https_and_name_their_circuit(
    nginx, settings, monkeypatch
):
    web, onion = nginx.web, nginx.onion
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # DJANGO_BEHIND_PROXY
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = make_statement().get_absolute_url()
    assert f'rel="canonical" href="https://127.0.0.1{url}"' in from_tor(onion, url, 1)
    _headers, page = get(web + url, "identity")
    assert f'rel="canonical" href="http://127.0.0.1{url}"' in page.decode()
    # The address Django gives flood control and sign-in limits: the circuit's, one per reader.
    monkeypatch.setattr(
        "statements.views.RobotsView.get", lambda self, request: HttpResponse(client_ip(request))
    )
    assert from_tor(onion, "/robots.txt?a", 0xA1) == "fc00:dead:beef:4dad::a1"
    assert from_tor(onion, "/robots.txt?b", 0xB2) == "fc00:dead:beef:4dad::b2"
