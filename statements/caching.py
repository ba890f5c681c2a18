"""HTTP caching of public pages: one place decides who may keep a copy, and for how long.

Anonymous readers all get the same HTML, so a shared cache (nginx, a CDN) may keep it for a
few seconds and serve it stale while it fetches a fresh copy. A request that carries a session
cookie may see staff-only parts and is never stored. Public views must therefore not touch
`request.user` or the session for anonymous readers: that would add `Vary: Cookie`.
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import add_never_cache_headers, patch_cache_control


def has_session(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def public_page(view):
    """Mark a view's responses as shareable for anonymous readers, private for everyone else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if has_session(request) or response.status_code >= 500:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=settings.PUBLIC_MAX_AGE,
                s_maxage=settings.PUBLIC_SHARED_MAX_AGE,
                stale_while_revalidate=settings.PUBLIC_STALE_WHILE_REVALIDATE,
            )
        return response

    return wrapped


def cached_statement_page(request, statement, render):
    """The statement page's HTML from the cache, or `render()`ed and kept.

    The key holds the statement's `updated_at`, which every edit moves on, and so does every
    change to its approved comments (comments.moderation.refresh_comment_counts): a new
    version is rendered at once, old ones expire. Only plain addresses and real page numbers
    are kept, so that junk query strings cannot fill the cache.
    """
    page = request.GET.get("page", "1")
    if set(request.GET) - {"page"} or not (page.isdigit() and 0 < int(page) <= 1000):
        return render()
    key = (
        f"statement-page:{statement.pk}:{statement.updated_at.timestamp()}:{page}:"
        f"{request.scheme}:{request.get_host()}"
    )
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, settings.STATEMENT_PAGE_CACHE_SECONDS)
    return content
