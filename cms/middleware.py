"""Project-wide HTTP wiring: the headers every response carries, and the database-down page."""

import logging

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext

from cms.client import FORWARDED_HEADERS, from_trusted_proxy

logger = logging.getLogger(__name__)


class ForwardedHeadersMiddleware:
    """Drops the proxy headers (client address, scheme) unless a trusted proxy sent them.

    Without this, anyone reaching gunicorn directly could claim HTTPS through
    `X-Forwarded-Proto` (SECURE_PROXY_SSL_HEADER) or another address through `X-Real-IP`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not from_trusted_proxy(request):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)


class NulCharacterMiddleware:
    """A NUL character in the query string is refused with 400.

    No page has a use for one, and PostgreSQL refuses it in any text it is given, which
    would turn a search or an admin filter holding `%00` into a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            response = HttpResponseBadRequest(
                gettext("The address holds a character that is not allowed (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
            add_never_cache_headers(response)
            return response
        return self.get_response(request)


class NoSharedCookiesMiddleware:
    """A response that sets a cookie is never kept by a shared cache.

    Public pages say `public, s-maxage=…` (statements.caching), but a cookie can still be
    added after the view: CsrfViewMiddleware replaces a malformed `csrftoken` cookie on any
    page. Such a response is one reader's: it becomes `private, no-store`. Placed above the
    session and CSRF middleware, so that it sees the cookies they set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.cookies and "public" in response.get("Cache-Control", ""):
            del response["Cache-Control"]
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` (no Django setting or django-csp option covers it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class LanguageMiddleware:
    """Each request speaks the language of its address: /fa/… Persian, /en/… English.

    Not Django's LocaleMiddleware: for an address without a language prefix it guesses from a
    cookie or Accept-Language, marks such responses `Vary: Accept-Language` (its redirects
    `Vary: Cookie` too), and sends old unprefixed addresses to the guessed language. Public pages
    here must be the same for every visitor (statements.caching) and old addresses go to their
    English page. So: a known prefix gives its language; the staff pages, which are never
    shared, follow the browser (cookie, then Accept-Language); everything else (the site root,
    robots.txt, the sitemap, the 404 page of an unknown prefix) uses SITE_DEFAULT_LANGUAGE.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.staff_prefix = f"/{settings.ADMIN_URL}"

    def __call__(self, request):
        language = translation.get_language_from_path(request.path_info)
        if language is None:
            if request.path_info.startswith(self.staff_prefix):
                language = translation.get_language_from_request(request)
            else:
                language = settings.SITE_DEFAULT_LANGUAGE
        # override() puts the thread's previous language back afterwards, so nothing leaks
        # into the next request a worker (or a test) handles.
        with translation.override(language):
            request.LANGUAGE_CODE = language
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class ServiceUnavailableMiddleware:
    """When the database cannot be reached, readers get a friendly 503 instead of a 500.

    "Cannot be reached" is decided by the exception's type, never by its wording: Django
    raises OperationalError or InterfaceError (the DB-API's classes for failures of the
    database itself: refused or lost connections, a server shutting down, timeouts), while
    errors in our own queries are ProgrammingError, IntegrityError or DataError and stay
    500s. Django opens a new connection on the next request, so the site recovers by itself
    as soon as the database is back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable: %s", exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
