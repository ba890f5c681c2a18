"""Flood control of comments: at most COMMENTS_FLOOD_LIMIT per IP address per window.

The counting itself (shared through the cache, failing open while Redis is down) is
`cms.flood.count_attempt`, which CAPTCHA refreshes and searches use too.
"""

from django.conf import settings

from cms.flood import count_attempt


def register_attempt(ip):
    """Count one comment from `ip`; return the seconds to wait if it is over the limit, else 0."""
    return count_attempt(
        "comments", ip, settings.COMMENTS_FLOOD_LIMIT, settings.COMMENTS_FLOOD_WINDOW
    )
