"""Bad luck: Redis gone, the database gone. Readers get pages or a friendly 503, and the site
recovers by itself."""

import logging
import shutil
import subprocess
import time

import pytest
from django.core.cache import caches
from django.db import IntegrityError, InterfaceError, OperationalError, ProgrammingError, connection
from django.test import RequestFactory

from cms.middleware import ServiceUnavailableMiddleware
from cms.settings import redis_cache
from comments.models import Comment
from tests.builders import make_statement, solved_comment_data
from tests.tools import free_port, unavailable

ON_POSTGRESQL = connection.vendor == "postgresql"


def redis_cache_settings(port):
    return {"default": redis_cache(f"redis://127.0.0.1:{port}/0")}


@pytest.fixture
def redis_down(settings):
    settings.CACHES = redis_cache_settings(free_port())  # nothing listens there


@pytest.mark.django_db
def test_pages_are_served_while_redis_is_down(client, redis_down, caplog):
    statement = make_statement()
    with caplog.at_level(logging.ERROR, logger="django_redis.cache"):
        for url in ("/en/", statement.get_absolute_url(), statement.get_comment_url()):
            assert client.get(url).status_code == 200
    assert any(r.name == "django_redis.cache" for r in caplog.records), "errors are logged"


@pytest.mark.django_db
def test_flood_control_admits_comments_while_redis_is_down(client, redis_down, settings):
    """Stated behaviour: without its counters, flood control fails open; CAPTCHA and
    moderation still stand between a spammer and the page."""
    settings.COMMENTS_FLOOD_LIMIT = 1
    statement = make_statement()
    for _ in range(3):
        data = solved_comment_data(client, statement)
        assert client.post(statement.get_comment_url(), data).status_code == 302
    assert Comment.objects.count() == 3


def test_caching_resumes_when_redis_returns(settings):
    server = shutil.which("redis-server")
    if server is None:
        unavailable("redis-server not installed: apt-get install redis-server to run this")
    port = free_port()
    settings.CACHES = redis_cache_settings(port)
    cache = caches["default"]
    cache.set("k", "before")
    assert cache.get("k") is None  # Redis not there yet: a miss, not an error
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while cache.get("k", "absent") == "absent" and time.monotonic() < deadline:
            cache.set("k", "after")
            time.sleep(0.1)
        assert cache.get("k") == "after"  # the same cache object, no restart
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.skipif(not ON_POSTGRESQL, reason="needs a database server to take away; CI runs it")
@pytest.mark.django_db(transaction=True)
def test_database_outage_gives_a_friendly_503_and_the_site_recovers(client):
    statement = make_statement()
    real = connection.settings_dict["PORT"]
    connection.close()
    connection.settings_dict["PORT"] = str(free_port())
    try:
        response = client.get(statement.get_absolute_url())
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        content = response.content.decode()
        assert "Back in a moment" in content
        assert "Traceback" not in content and "OperationalError" not in content
    finally:
        connection.close()
        connection.settings_dict["PORT"] = real
    assert client.get(statement.get_absolute_url()).status_code == 200


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("server closed the connection unexpectedly"), 503),
        (OperationalError("an unusual wording of an outage"), 503),
        (InterfaceError("connection already closed"), 503),
        (ProgrammingError('relation "x" does not exist; connection words'), None),
        (IntegrityError("duplicate key value violates unique constraint"), None),
    ],
)
def test_only_database_failures_become_a_503_whatever_their_wording(error, status):
    middleware = ServiceUnavailableMiddleware(lambda request: None)
    response = middleware.process_exception(RequestFactory().get("/"), error)
    assert (response and response.status_code) == status
