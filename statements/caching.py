"""HTTP caching of public pages: one place decides who may keep a copy, and for how long.

Anonymous readers all get the same HTML, so a shared cache (nginx, a CDN) may keep it for a
few seconds and serve it stale while it fetches a fresh copy. A request that carries a session
cookie may see staff-only parts and is never stored. Public views must therefore not touch
`request.user` or the session for anonymous readers: that would add `Vary: Cookie`.

Public pages also carry `Onion-Location` when the site has an onion service (settings.ONION_URL).

When a statement's pages change, `statement_pages_changed` also purges their copies from nginx
(and, through CACHE_PURGE_COMMAND, from a CDN), so that readers see the change at once rather
than when the copies expire.
"""

import hashlib
import http.client
import logging
import math
import uuid
from functools import lru_cache, partial, wraps
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
)
from django.utils.http import parse_http_date_safe

from statements.models import Organization, Statement

logger = logging.getLogger(__name__)

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


# Bumped by every `statement_pages_changed` and `site_changed`: a kept page is good while it
# carries the generation that was current before its statement was read from the database.
GENERATION = "statement-pages:generation"


class KeptPageMiddleware:
    """Answers an anonymous reader with the page kept for its address, before any other
    middleware or the view runs; keeps the answers of views that say `keep_for_readers`.

    The statement page is what a spike reads: nginx serves most of it, but every copy that
    expires or is purged, and every reader nginx does not front (a CDN's miss, a mirror),
    reaches the origin. What is kept is the whole answer as it left the middleware below
    (headers included: CSP, Content-Language, ETag, Cache-Control), so replaying it needs one
    cache round trip and no query, no template, no session (make bench: gunicorn directly);
    which addresses are a kept view's is resolved once per address and process.
    A kept page counts only while no statement's pages changed since it was rendered: the
    generation is read with it, and a page is kept under the generation read before its view
    ran (`statement_pages_changed` moves it at the change and again after its commit). Each
    process also holds its own copies of the pages it answered lately (up to
    PROCESS_COPIES), so that such a reader costs the cache only the generation (a few bytes),
    not the page (about 100 KB to fetch and unpickle).

    Only GETs and HEADs without a session are kept or answered from a kept page: a session
    may see staff-only parts. Only plain addresses and real page numbers are kept, so that
    junk query strings cannot fill the cache; a static copy's variant never is (it differs
    from what readers of the site get). Placed second, below ForwardedHeadersMiddleware, whose
    verdict on the scheme is part of the key.
    """

    PROCESS_COPIES = 100

    def __init__(self, get_response):
        self.get_response = get_response
        self.copies = {}

    def __call__(self, request):
        key = _kept_page_key(request)
        if key is None:
            return self.get_response(request)
        copy = self.copies.get(key)
        if copy is not None and copy[0] == cache.get(GENERATION):
            return _replayed(request, *copy[1:])
        generation, kept = _kept(key)
        if kept is not None:
            self.remember(key, (generation, *kept))
            return _replayed(request, *kept)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.cookies
            and "public" in response.get("Cache-Control", "")
        ):
            kept = (list(response.items()), response.content)
            if _keep(key, generation, kept):
                self.remember(key, (generation, *kept))
        return response

    def remember(self, key, kept):
        if len(self.copies) >= self.PROCESS_COPIES:
            self.copies.clear()
        self.copies[key] = kept


def _replayed(request, headers, content):
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return get_conditional_response(
        request,
        etag=response.get("ETag"),
        last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
        response=response,
    )


def kept_while_unchanged(key, load):
    """`load()`, kept in the cache under `key` until any statement's pages change (the
    generation KeptPageMiddleware checks, read before `load` runs, for the same reason).

    For what a reader's request needs of a statement but its page does not hold: the comment
    form asks the database for its statement on every request, the most of a request that
    a spike's readers repeat. An exception from `load` (a 404) is never kept.
    """
    generation, kept = _kept(key)
    if kept is not None:
        return kept
    value = load()
    _keep(key, generation, value)
    return value


@lru_cache(maxsize=1)
def release():
    """A digest of the site's own code as this process has it: every file of the project's
    apps and of the project, its templates, static sources and translations, and the
    requirements (about 215 files, 1.4 MB: 7 ms once per process, 80 ms from a cold disk).

    Part of the key of everything kept rendered (statement pages, the statements behind the
    comment form, each comment's HTML): a deploy's processes never answer with what the code
    before it made, nor the old ones, while both run, with what the new code made. Without
    it a page kept before a deploy was answered for up to STATEMENT_PAGE_CACHE_SECONDS.
    """
    root = Path(settings.BASE_DIR)
    folders = [
        folder
        for folder in (Path(config.path) for config in apps.get_app_configs())
        if folder.is_relative_to(root) and "site-packages" not in folder.parts  # no library's
    ]
    folders.append(Path(import_module(settings.ROOT_URLCONF).__file__).parent)  # the project
    folders += [Path(folder) for template in settings.TEMPLATES for folder in template["DIRS"]]
    folders += [Path(folder) for folder in (*settings.STATICFILES_DIRS, *settings.LOCALE_PATHS)]
    digest = hashlib.blake2b(digest_size=8)
    if (requirements := root / "requirements.txt").exists():
        digest.update(requirements.read_bytes())
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def _kept(key):
    """(generation, what is kept under `key` for it and this release, or None): one cache
    round trip.

    `generation` is the current one, to keep what is made now under (`_keep`); read before
    the rows it is made from, so that a change committed meanwhile retires it.
    """
    key = f"{key}:{release()}"
    found = cache.get_many([GENERATION, key])
    generation = found.get(GENERATION)
    if generation is None:  # never set, or evicted: start one (None while the cache is down)
        cache.add(GENERATION, _new_generation(), None)
        return cache.get(GENERATION), None
    kept = found.get(key)
    return generation, (kept[1] if kept is not None and kept[0] == generation else None)


def _keep(key, generation, value):
    """Keep `value` under `key` for `generation`; nothing while the cache is down (no
    generation), when nothing could be checked. Whether it was kept."""
    if generation is None:
        return False
    cache.set(f"{key}:{release()}", (generation, value), settings.STATEMENT_PAGE_CACHE_SECONDS)
    return True


@lru_cache(maxsize=4096)
def _kept_view(path):
    """Whether the view at `path` says `keep_for_readers` (asked once per address and process:
    the other pages must not pay a cache round trip for nothing)."""
    language = translation.get_language_from_path(path)
    if language is None:
        return False
    with translation.override(language):  # i18n_patterns match the active language's prefix
        try:
            view = resolve(path).func
        except Resolver404:
            return False
    return getattr(getattr(view, "view_class", view), "keep_for_readers", False)


def _kept_page_key(request):
    if (
        request.method not in ("GET", "HEAD")
        or has_session(request)
        or not _kept_view(request.path_info)
    ):
        return None
    page = request.GET.get("page", "1")
    if (
        rendered_for_mirror(request)
        or set(request.GET) - {"page"}
        or not (page.isdigit() and 0 < int(page) <= 1000)
    ):
        return None
    return f"kept-answer:{request.scheme}:{request.get_host()}:{request.path}:{int(page)}"


def _new_generation():
    return uuid.uuid4().hex


def _new_pages_generation():
    cache.set(GENERATION, _new_generation(), None)


def statement_pages_changed(statement_ids):
    """Tell every cache that the pages of these statements changed: the one entry point.

    Called explicitly by whatever changes what a statement page shows: the statement admin
    (text, signatures), comments.moderation (approved comments), and anything that changes an
    organization or a signature (`organizations_changed`). Moving `updated_at` gives readers a
    new Last-Modified; a new generation retires every statement page kept by
    `KeptPageMiddleware`, now and again after the commit (a page rendered meanwhile from the
    old rows carries the generation in between); and after the commit the pages' copies in
    nginx and a CDN are purged (`purge`). Inside a transaction, the change shows when it
    commits.
    """
    Statement.objects.filter(pk__in=statement_ids).update(updated_at=timezone.now())
    _new_pages_generation()
    transaction.on_commit(_new_pages_generation)
    if settings.CACHE_PURGE_URL or settings.CACHE_PURGE_COMMAND:
        transaction.on_commit(partial(purge, statement_addresses(statement_ids)))


def statement_addresses(statement_ids):
    """The addresses of every public page that shows these statements.

    Each statement's page and its further pages of comments, its history, the same for its
    editions in the other languages (their language switchers link it), the organization
    pages of its signatories, and, in every language, the home page, the list's first page,
    the year's first page, the feeds and the sitemap files. Later pages of the lists move on
    by themselves when their copies expire (PUBLIC_SHARED_MAX_AGE).
    """
    editions = Statement.objects.filter(pk__in=statement_ids).editions()
    addresses = {reverse("sitemap")} | {
        reverse("sitemap-section", args=[section])
        for section in ("pages", "statements", "organizations")
    }
    years = set()
    for statement in editions:
        url = statement.get_absolute_url()
        pages = math.ceil(statement.comment_count / settings.COMMENTS_PER_PAGE)
        addresses |= {url, statement.get_history_url()}
        # One page more than there is: the last page of before a comment was taken away.
        addresses |= {f"{url}?page={n}" for n in range(1, pages + 2)}
        years.add(statement.date.year)
    organizations = Organization.objects.filter(statements__in=editions).distinct()
    for code in settings.SITE_LANGUAGES:
        with translation.override(code):
            addresses |= {
                reverse(name)
                for name in (
                    "statements:home",
                    "statements:list",
                    "statements:rss",
                    "statements:atom",
                )
            }
            addresses |= {reverse("statements:year", args=[year]) for year in years}
            addresses |= {organization.get_absolute_url(code) for organization in organizations}
    return sorted(addresses)


def cached_origins():
    """(scheme, host) of each way readers reach the site: nginx keys its copies by both.

    The site's own address (SITE_URL) and its onion service, whose requests count as HTTPS
    (deploy/nginx/site.conf.template).
    """
    site = urlsplit(settings.SITE_URL)
    origins = [(site.scheme, site.hostname)]
    if settings.ONION_URL:
        origins.append(("https", urlsplit(settings.ONION_URL).hostname))
    return origins


def purge(addresses):
    """Remove these addresses' copies from nginx's cache, and queue their purge at a CDN.

    nginx (CACHE_PURGE_URL, its purge server) is asked here and now, on one kept-alive
    connection: a fraction of a millisecond an address, so readers get the change within a
    second with no worker in between. A purge that fails (nginx away, or slower than
    CACHE_PURGE_TIMEOUT) is logged and dropped, never raised: the staff member's save or the
    moderator's decision is already committed, and the copies expire by themselves within
    PUBLIC_SHARED_MAX_AGE + PUBLIC_STALE_WHILE_REVALIDATE seconds. A CDN's API is slower and
    less sure, so its command runs in the background (statements.tasks.purge_cdn).
    """
    if settings.CACHE_PURGE_COMMAND:
        from statements.tasks import purge_cdn

        urls = [
            f"{scheme}://{host}{path}" for scheme, host in cached_origins() for path in addresses
        ]
        try:
            purge_cdn.enqueue(urls)
        except Exception:
            logger.exception("Could not queue the CDN purge of %s addresses", len(urls))
    if settings.CACHE_PURGE_URL:
        try:
            purge_nginx(addresses)
        except (OSError, http.client.HTTPException) as error:
            logger.warning("Could not purge nginx's copies of %s: %s", addresses[:3], error)


def purge_nginx(addresses):
    """PURGE each address from nginx's cache, for every origin; 200 or 404 (no copy) is fine."""
    target = urlsplit(settings.CACHE_PURGE_URL)
    connection = http.client.HTTPConnection(
        target.hostname, target.port or 80, timeout=settings.CACHE_PURGE_TIMEOUT
    )
    try:
        for scheme, host in cached_origins():
            for path in addresses:
                connection.request(
                    "PURGE", path, headers={"Host": host, "X-Forwarded-Proto": scheme}
                )
                response = connection.getresponse()
                response.read()
                if response.status not in (200, 404):
                    raise http.client.HTTPException(f"{path}: nginx answered {response.status}")
    finally:
        connection.close()


def organizations_changed(organization_ids):
    """An organization's name, short name or website shows on every statement it signs."""
    statement_pages_changed(
        Statement.objects.filter(signatures__organization__in=organization_ids).values("pk")
    )


def site_changed():
    """Every page changed (the site's name, logo or colour): every kept statement page is
    rendered again, and the copies of every public statement's pages are purged from nginx
    (and a CDN).

    Called explicitly by pages.identity, after the commit, when staff change the site's
    identity. Those pages can number tens of thousands, so the worker purges them
    (statements.tasks.purge_site), not the staff member's save. Pages that are no statement's
    (About, Contact, search) move on when their copies expire (s-maxage +
    stale-while-revalidate).
    """
    _new_pages_generation()
    if settings.CACHE_PURGE_URL or settings.CACHE_PURGE_COMMAND:
        from statements.tasks import purge_site

        try:
            purge_site.enqueue()
        except Exception:
            logger.exception("Could not queue the purge of every page")
