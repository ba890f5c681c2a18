"""Fixtures shared by the test modules. A module that needs a different kind of statement
(or moderator) defines its own fixture of the same name, which pytest prefers."""

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, settings

from tests.builders import give_second_factor, make_comment, make_statement, make_user

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
