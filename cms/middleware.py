"""Project-wide HTTP wiring: the headers every response carries, and the database-down page."""

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)


class PermissionsPolicyMiddleware:
    """Adds `Permissions-Policy` (no Django setting or django-csp option covers it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class ServiceUnavailableMiddleware:
    """When the database cannot be reached, readers get a friendly 503 instead of a 500.

    Django opens a new connection on the next request, so the site recovers by itself as soon
    as the database is back. Errors in our own queries (bad SQL, constraints) are not caught.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError) or not _is_connection_error(
            exception
        ):
            return None
        logger.error("Database unavailable: %s", exception)
        response = HttpResponse(render_to_string("503.html"), status=503)
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response


def _is_connection_error(exception: DatabaseError):
    cause = exception.__cause__
    text = str(exception).lower()
    return (
        isinstance(exception, InterfaceError)
        or any(
            phrase in text
            for phrase in (
                "connection",
                "could not connect",
                "server closed",
                "terminating",
                "timeout",
            )
        )
        or (cause is not None and "connection" in type(cause).__name__.lower())
    )
