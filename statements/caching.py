"""HTTP caching of public pages: one place decides who may keep a copy, and for how long.

Anonymous readers all get the same HTML, so a shared cache (nginx, a CDN) may keep it for a
few seconds and serve it stale while it fetches a fresh copy. A request that carries a session
cookie may see staff-only parts and is never stored. Public views must therefore not touch
`request.user` or the session for anonymous readers: that would add `Vary: Cookie`.

Public pages also carry `Onion-Location` when the site has an onion service (settings.ONION_URL).
"""

from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control

from statements.models import Statement

# Set in the WSGI environ of the requests that manage.py export_site (mirror/) makes. No HTTP
# client can send it (headers arrive as HTTP_*), so readers never get a copy's variant.
MIRROR_COPY = "mirror.copy"


def has_session(request):
    return settings.SESSION_COOKIE_NAME in request.COOKIES


def rendered_for_mirror(request):
    """The page is rendered for a static copy of the site, which has no forms."""
    return bool(request.META.get(MIRROR_COPY))


def public_page(view):
    """Mark a view's responses as shareable for anonymous readers, private for everyone else."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # An error or a "too many requests" answer is for this reader, now: never shared.
        if has_session(request) or response.status_code == 429 or response.status_code >= 500:
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
        if settings.ONION_URL:
            response["Onion-Location"] = settings.ONION_URL + request.get_full_path()
        return response

    return wrapped


def cached_statement_page(request, statement, render):
    """The statement page's HTML from the cache, or `render()`ed and kept.

    The key holds the statement's `updated_at`, which `statement_pages_changed` moves on for
    every change that shows on the page: a new version is rendered at once, old ones expire.
    Only plain addresses and real page numbers are kept, so that junk query strings cannot
    fill the cache. A static copy's variant is never kept (it differs from what readers of
    the site get).
    """
    page = request.GET.get("page", "1")
    if (
        rendered_for_mirror(request)
        or set(request.GET) - {"page"}
        or not (page.isdigit() and 0 < int(page) <= 1000)
    ):
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


def statement_pages_changed(statement_ids):
    """Tell every cache that the pages of these statements changed: the one entry point.

    Called explicitly by whatever changes what a statement page shows: the statement admin
    (text, signatures), comments.moderation (approved comments), and anything that changes an
    organization or a signature (`organizations_changed`). Moving `updated_at` retires the
    rendered pages cached by `cached_statement_page` (their key holds it) and gives readers a
    new Last-Modified. Inside a transaction, the change shows when it commits.
    """
    Statement.objects.filter(pk__in=statement_ids).update(updated_at=timezone.now())


def organizations_changed(organization_ids):
    """An organization's name, short name or website shows on every statement it signs."""
    statement_pages_changed(
        Statement.objects.filter(signatures__organization__in=organization_ids).values("pk")
    )
