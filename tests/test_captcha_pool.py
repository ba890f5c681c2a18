"""The CAPTCHA pool (comments.captcha_pool): challenges drawn ahead into Redis, each served to
one reader only, expiring as before; with the pool empty or Redis down, drawn on request."""

import re
import shutil
import subprocess
import time

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.settings import redis_cache
from comments import captcha_pool
from comments.models import Comment
from tests.builders import solved_comment_data
from tests.tools import free_port, unavailable

pytestmark = pytest.mark.django_db

AJAX = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


@pytest.fixture(scope="module")
def redis_port():
    """A Redis server of this module's own (whatever REDIS_URL says), on a free port."""
    server = shutil.which("redis-server")
    if server is None:
        unavailable("redis-server not installed: apt-get install redis-server to run this")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    yield port
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis(settings, redis_port):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{redis_port}/0")}
    settings.CAPTCHA_POOL_SIZE = 8
    from django.core.cache import cache

    deadline = time.monotonic() + 10
    while cache.set("up", 1) is not True and time.monotonic() < deadline:
        time.sleep(0.05)
    cache.clear()
    yield
    cache.clear()


def pooled_keys():
    from django.core.cache import cache

    redis = captcha_pool._redis()
    return [
        e.decode().split(":", 1)[1] for e in redis.lrange(cache.make_key(captcha_pool.POOL), 0, -1)
    ]


def key_on(page):
    return re.search(r'name="captcha_0" value="([0-9a-f]+)"', page.content.decode()).group(1)


def test_refill_tops_the_pool_up_to_its_target(redis):
    assert captcha_pool.refill() == 8
    assert captcha_pool.size() == 8
    captcha_pool.take(), captcha_pool.take()
    assert captcha_pool.refill() == 2
    assert captcha_pool.size() == 8
    assert captcha_pool.refill() == 0


def test_a_pooled_challenge_is_served_to_one_reader_only(client, statement, redis):
    captcha_pool.refill()
    waiting = pooled_keys()
    served = [key_on(client.get(statement.get_comment_url())) for _ in range(3)]
    assert served == waiting[:3]
    assert len(set(served)) == 3
    assert pooled_keys() == waiting[3:]


def test_a_pooled_challenge_is_answered_once_only(client, statement, redis):
    captcha_pool.refill()
    waiting = pooled_keys()
    data = solved_comment_data(client, statement)
    assert data["captcha_0"] == waiting[0]
    assert client.post(statement.get_comment_url(), data).status_code == 302
    again = client.post(statement.get_comment_url(), {**data, "text": "Once more."})
    assert again.status_code == 400
    assert Comment.objects.count() == 1


def test_a_wrong_answer_to_a_pooled_challenge_fails_and_uses_it_up(client, statement, redis):
    captcha_pool.refill()
    data = solved_comment_data(client, statement)
    right = data["captcha_1"]
    wrong = client.post(statement.get_comment_url(), {**data, "captcha_1": "wrong"})
    assert wrong.status_code == 400
    assert client.post(statement.get_comment_url(), {**data, "captcha_1": right}).status_code == 400
    assert not Comment.objects.exists()


def test_a_pooled_challenge_expires(client, statement, redis, settings):
    settings.CAPTCHA_POOL_MAX_AGE = 60
    captcha_pool.refill()
    data = solved_comment_data(client, statement)
    store = CaptchaStore.objects.get(hashkey=data["captcha_0"])
    # Whoever takes it has at least CAPTCHA_TIMEOUT minutes, however long it waited...
    assert store.expiration >= timezone.now() + timezone.timedelta(minutes=settings.CAPTCHA_TIMEOUT)
    # ...and not a moment more than its expiry.
    CaptchaStore.objects.filter(pk=store.pk).update(expiration=timezone.now())
    assert client.post(statement.get_comment_url(), data).status_code == 400


def test_a_challenge_that_waited_too_long_is_not_served(
    client, statement, redis, settings, monkeypatch
):
    captcha_pool.refill()
    waiting = set(pooled_keys())
    later = time.time() + settings.CAPTCHA_POOL_MAX_AGE + 10
    monkeypatch.setattr(captcha_pool.time, "time", lambda: later)
    key = key_on(client.get(statement.get_comment_url()))
    assert key not in waiting
    assert CaptchaStore.objects.filter(hashkey=key).exists()  # drawn on request instead


def test_an_empty_pool_falls_back_to_drawing_on_request(client, statement, redis):
    assert captcha_pool.size() == 0
    key = key_on(client.get(statement.get_comment_url()))
    assert CaptchaStore.objects.filter(hashkey=key).exists()
    image = client.get(reverse("captcha-image", args=[key]))
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
    data = solved_comment_data(client, statement)
    assert client.post(statement.get_comment_url(), data).status_code == 302


def test_a_take_that_leaves_the_pool_low_queues_one_refill(redis):
    captcha_pool.refill()
    for _ in range(10):  # the last few leave the pool low, then empty
        captcha_pool.take()
    refills = DBTaskResult.objects.filter(task_path="comments.captcha_pool.refill_pool")
    assert refills.count() == 1
    assert refills.get().queue_name == captcha_pool.QUEUE


def test_the_image_of_a_pooled_challenge_needs_no_database(
    client, statement, redis, django_assert_num_queries
):
    captcha_pool.refill()
    key = key_on(client.get(statement.get_comment_url()))
    drawn = client.get(reverse("captcha-image", args=[key])).content
    with django_assert_num_queries(0):
        image = client.get(reverse("captcha-image", args=[key]))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert "no-store" in image["Cache-Control"]
    assert image.content == drawn
    # The same picture the library draws for that key on request.
    from django.core.cache import cache

    cache.delete(f"captcha-png:{key}")
    assert client.get(reverse("captcha-image", args=[key])).content == drawn


def test_the_no_js_form_the_fragment_and_new_image_take_from_the_pool(client, statement, redis):
    captcha_pool.refill()
    waiting = pooled_keys()
    no_js = key_on(client.get(statement.get_comment_url()))
    fragment = key_on(client.get(statement.get_comment_form_url()))
    refreshed = client.get(reverse("captcha-refresh"), **AJAX).json()
    assert [no_js, fragment, refreshed["key"]] == waiting[:3]
    assert refreshed["image_url"] == reverse("captcha-image", args=[refreshed["key"]])


def test_audio_of_a_pooled_challenge_speaks_it(client, statement, redis, settings):
    for tool in ("flite", "sox"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} not found: apt-get install flite sox to test the audio CAPTCHA")
    settings.CAPTCHA_FLITE_PATH = shutil.which("flite")
    settings.CAPTCHA_SOX_PATH = shutil.which("sox")
    captcha_pool.refill()
    waiting = pooled_keys()
    key = key_on(client.get(statement.get_comment_url()))
    assert key == waiting[0]
    audio = client.get(reverse("captcha-audio", args=[key]))
    assert audio.status_code == 200
    assert audio["Content-Type"] == "audio/wav"


def test_challenges_are_drawn_on_request_while_redis_is_down(client, statement, settings):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{free_port()}/0")}
    fragment = client.get(statement.get_comment_form_url())
    assert fragment.status_code == 200
    key = key_on(fragment)
    assert client.get(reverse("captcha-image", args=[key])).status_code == 200
    assert client.get(reverse("captcha-refresh"), **AJAX).status_code == 200
    data = solved_comment_data(client, statement)
    assert client.post(statement.get_comment_url(), data).status_code == 302
