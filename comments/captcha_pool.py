"""CAPTCHA challenges drawn ahead of time, so that a reader's request only takes one.

Why: in a spike, every reader who opens the comment form needs a challenge of their own, and
drawing one on request costs a database row and an image drawn with Pillow per reader. The
background task `refill` draws them beforehand, up to CAPTCHA_POOL_SIZE:

- each is an ordinary django-simple-captcha challenge (a `CaptchaStore` row: its answer, its
  expiry, deleted on the first attempt), checked by the library's field as before, and spoken
  by the audio view as before;
- its PNG, the very image the library draws for that key, is kept in the cache (Redis) until
  the challenge expires, so the image view needs neither the database nor Pillow;
- its key waits in a Redis list. A reader's request pops one (LPOP is atomic: no two readers
  get the same challenge) and so costs one Redis round trip.

A challenge waits in the pool at most CAPTCHA_POOL_MAX_AGE seconds (older ones are dropped
when met); its row expires CAPTCHA_TIMEOUT minutes after that, so whoever takes it has at
least CAPTCHA_TIMEOUT minutes. When a take leaves fewer than a quarter of the pool, it queues
a refill (at most one at a time); the scheduler refills every minute too. With the pool empty,
Redis down, or no Redis at all (development), a challenge is drawn on request, as before.
"""

import logging
import secrets
import time
from datetime import timedelta

from captcha import views as captcha_views
from captcha.conf import settings as captcha_settings
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

POOL = "captcha-pool"
REFILLING = "captcha-pool:refilling"
# Refills have a queue of their own (the `captcha-worker` service): in a spike the default
# queue is busy with the work on new comments, and the pool must not wait behind it.
QUEUE = "captcha"
_BATCH = 50


def _redis():
    """The raw Redis client behind the cache, or None without Redis (django-redis only)."""
    try:
        from django_redis import get_redis_connection

        return get_redis_connection("default")
    except (ImportError, NotImplementedError):
        return None


def _image_key(key):
    return f"captcha-png:{key}"


def take():
    """The key of a fresh challenge for one reader: from the pool, else drawn on request."""
    redis = _redis()
    if redis is not None:
        oldest = time.time() - settings.CAPTCHA_POOL_MAX_AGE
        try:
            for _ in range(5):  # a few entries that waited too long are dropped on the way
                with redis.pipeline() as pipe:
                    entry, left = (
                        pipe.lpop(cache.make_key(POOL)).llen(cache.make_key(POOL)).execute()
                    )
                if left < settings.CAPTCHA_POOL_SIZE // 4:
                    _queue_refill()
                if entry is None:
                    break
                drawn, key = entry.decode().split(":", 1)
                if int(drawn) >= oldest:
                    return key
        except Exception:  # Redis is down or answers nonsense: the reader still gets a challenge
            logger.warning("CAPTCHA pool unavailable; drawing on request", exc_info=True)
    return CaptchaStore.generate_key()


def image(key):
    """The PNG drawn ahead for `key`, or None (then the library draws it)."""
    return cache.get(_image_key(key))


def _queue_refill():
    if cache.add(REFILLING, 1, 60):
        refill_pool.enqueue()


@task(queue_name=QUEUE)
def refill_pool():
    """Top the pool up (queued when a take leaves it low)."""
    try:
        return refill()
    finally:
        cache.delete(REFILLING)


def refill(target=None):
    """Draw challenges until the pool holds `target` (CAPTCHA_POOL_SIZE); return the count
    drawn. Does nothing without Redis."""
    redis = _redis()
    if redis is None:
        return 0
    target = settings.CAPTCHA_POOL_SIZE if target is None else target
    pool = cache.make_key(POOL)
    drawn = 0
    while (missing := target - redis.llen(pool)) > 0:
        drawn += _draw(redis, pool, min(missing, _BATCH))
    return drawn


def _draw(redis, pool, count):
    now = time.time()
    lifetime = settings.CAPTCHA_POOL_MAX_AGE + settings.CAPTCHA_TIMEOUT * 60
    expiration = timezone.now() + timedelta(seconds=lifetime)
    stores = []
    for _ in range(count):
        challenge, response = captcha_settings.get_challenge()()
        stores.append(
            CaptchaStore(
                challenge=challenge,
                response=response.lower(),
                hashkey=secrets.token_hex(20),
                expiration=expiration,
            )
        )
    CaptchaStore.objects.bulk_create(stores)
    # The library's own view draws each: the same picture it would draw on request.
    cache.set_many(
        {
            _image_key(s.hashkey): captcha_views.captcha_image(None, s.hashkey).content
            for s in stores
        },
        lifetime,
    )
    redis.rpush(pool, *(f"{int(now)}:{s.hashkey}" for s in stores))
    return count


def size():
    """How many challenges wait in the pool (0 without Redis)."""
    redis = _redis()
    return redis.llen(cache.make_key(POOL)) if redis is not None else 0
