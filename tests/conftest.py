"""Fixtures shared by the test modules. A module that needs a different kind of statement
(or moderator) defines its own fixture of the same name, which pytest prefers."""

import gzip
import signal
import subprocess
import time
import urllib.request
from types import SimpleNamespace
from urllib.parse import urlsplit

import brotli
import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, settings

from bench.stack import missing_tools, nginx_config
from tests.builders import give_second_factor, make_comment, make_statement, make_user
from tests.tools import free_port, unavailable

pytest_plugins = ["tests.browser"]

# `make mutate` runs the formatting tests once per mutant on a busy machine: the same examples
# every time (so a score can be repeated) and no health check that measures speed.
settings.register_profile(
    "mutate", derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, fragments), on Redis too."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _media_in_a_temporary_directory(tmp_path_factory):
    """Uploaded logos and drawn images go to a directory of the session's, not the checkout."""
    from django.conf import settings as django_settings

    django_settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _no_captcha_pool(settings):
    """No CAPTCHA pool (challenges drawn on request, no refill queued) unless a test turns it
    on, as tests/test_captcha_pool.py does: tests that count or run the queued tasks see only
    their own."""
    settings.CAPTCHA_POOL_SIZE = 0


@pytest.fixture(autouse=True, scope="session")
def _force_login_shows_a_second_factor():
    """`force_login()` on any test client signs a staff member in completely.

    Staff sign in with a password and a second factor (STAFF_2FA_REQUIRED is on in the tests,
    as in production). Most tests are about something else, so `force_login(user)` also
    gives a staff member an authenticator app and marks the session as having shown it. Tests
    of the sign-in itself go through its pages, or pass `verified=False`.
    """
    plain = Client.force_login

    def force_login(self, user, backend=None, verified=True):
        plain(self, user, backend)
        if verified and user.is_staff:
            give_second_factor(self, user)

    Client.force_login = force_login
    yield
    Client.force_login = plain


@pytest.fixture
def statement(db):
    """A published statement, open for comments, without signatories."""
    return make_statement(title="On peace")


@pytest.fixture
def comment(statement):
    """An approved comment by Ada on `statement`, counted on the statement as the site counts."""
    from comments import moderation

    approved = make_comment(statement, name="Ada", text="First thought.")
    moderation.refresh_comment_counts([statement.pk])
    return approved


@pytest.fixture
def moderator(client, db):
    """A member of the Moderators group with an e-mail address, signed in on `client`."""
    user = make_user("mod", groups=["Moderators"], is_staff=True, email="mod@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def editor(client, db):
    """A member of the Editors group, signed in on `client`."""
    user = make_user("editor", groups=["Editors"], is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def run_tasks():
    """Run the queued background tasks that are due, as the worker service would; return how many.

    The worker of django-tasks-db in batch mode, without its signal handlers (they would
    outlive the call inside pytest), and without its closing of "old" connections (inside a
    test's transaction it would close the test's own connection on PostgreSQL).
    """
    from unittest import mock

    from django_tasks_db.management.commands.db_worker import Worker

    def run(queues=("*",)):
        from django_tasks_db.models import DBTaskResult

        before = DBTaskResult.objects.finished().count()
        worker = Worker(
            queue_names=list(queues),
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        )
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            worker.run()
        return DBTaskResult.objects.finished().count() - before

    return run


@pytest.fixture(autouse=True)
def _english_unless_said_otherwise():
    """Tests written in English build English addresses (`reverse()` gives /en/…); a test of
    Persian pages says so (`translation.override("fa")`, or a Persian statement's own URL)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """A reader's browser that asks for English, as the suite's English assertions expect of
    the staff pages (they follow Accept-Language; public pages follow their address)."""
    return Client(headers={"accept-language": "en"})


@pytest.fixture
def admin_client(db, admin_user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(admin_user)
    return client


@pytest.fixture
def nginx(request, live_server, tmp_path):
    """nginx with the site's configuration (deploy/nginx/site.conf.template) in front of the
    live test server: `web`, `onion` and `purge` are its three listeners' addresses; its static
    files are one stylesheet, built as collectstatic builds it (`tmp_path`/static/css). An
    indirect parameter may name the address allowed to purge (`purge_from`)."""
    missing = missing_tools("nginx", "nginx-modules")
    if missing:
        unavailable(f"not installed: {' '.join(missing)} (apt-get install {' '.join(missing)})")
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    css = b"body { color: #222; }\n" * 200
    (static / "css/site.0123456789ab.css").write_bytes(css)
    (static / "css/site.0123456789ab.css.br").write_bytes(brotli.compress(css))
    (static / "css/site.0123456789ab.css.gz").write_bytes(gzip.compress(css))
    port, onion_port, purge_port = free_port(), free_port(), free_port()
    config = tmp_path / "nginx.conf"
    config.write_text(
        nginx_config(
            tmp_path,
            upstream=urlsplit(live_server.url).netloc,
            listen=f"127.0.0.1:{port}",
            static_root=static,
            onion_port=onion_port,
            purge_listen=f"127.0.0.1:{purge_port}",
            purge_from=getattr(request, "param", {}).get("purge_from", "127.0.0.1"),
        )
    )
    process = subprocess.Popen(
        ["nginx", "-c", str(config), "-p", str(tmp_path), "-e", "stderr"],
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{base}/robots.txt", timeout=2).close()  # noqa: S310
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)
    yield SimpleNamespace(
        web=base,
        onion=f"http://127.0.0.1:{onion_port}",
        purge=f"http://127.0.0.1:{purge_port}",
    )
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)
