"""Flood control: at most N actions per IP address in a time window, across all workers.

Counters live in the configured cache (Redis in production), so every gunicorn worker sees
the same count; while Redis is down nothing is counted and every action is admitted (fail
open). A fixed window per IP: the first action starts it, and the reader is told when it
ends. Used by comments (comments.flood), CAPTCHA refreshes and searches (statements.search).
"""

import time

from django.core.cache import cache


def _keys(scope, ip):
    return f"{scope}:flood:{ip}:count", f"{scope}:flood:{ip}:start"


def count_attempt(scope, ip, limit, window):
    """Count one action in `scope` from `ip`; return the seconds to wait if over `limit`, else 0.

    Two cache round trips an action (every comment of a spike pays them): the first action of
    a window adds its counter and marks its start; the others add nothing and count.
    """
    count_key, start_key = _keys(scope, ip or "unknown")
    now = time.time()
    if cache.add(count_key, 1, window):
        cache.set(start_key, now, window)
        count = 1
    else:
        try:
            count = cache.incr(count_key)
        except ValueError:  # the window ended between add() and incr(): this starts the next
            cache.set_many({count_key: 1, start_key: now}, window)
            count = 1
    if count is None:
        return 0  # Redis is down (django-redis answers None): admit, as cms.settings says
    if count <= limit:
        return 0
    started = cache.get(start_key) or now
    return max(1, int(started + window - now))
