import pytest
from django.core.cache import cache

pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (rate limits, fragments), on Redis too."""
    cache.clear()
    yield
    cache.clear()
