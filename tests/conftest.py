"""Fixtures shared by the test modules. A module that needs a different kind of statement
(or moderator) defines its own fixture of the same name, which pytest prefers."""

import pytest
from django.core.cache import cache

from tests.builders import make_statement, make_user

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, fragments), on Redis too."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def statement():
    """A published statement, open for comments, without signatories."""
    return make_statement(title="On peace")


@pytest.fixture
def moderator(client):
    """A member of the Moderators group with an e-mail address, signed in on `client`."""
    user = make_user("mod", groups=["Moderators"], is_staff=True, email="mod@example.org")
    client.force_login(user)
    return user


@pytest.fixture
def editor(client):
    """A member of the Editors group, signed in on `client`."""
    user = make_user("editor", groups=["Editors"], is_staff=True)
    client.force_login(user)
    return user
