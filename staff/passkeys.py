"""Passkeys and security keys (django-otp-webauthn), for the site's own address.

The relying party is the host the staff member is on (validated by ALLOWED_HOSTS), and the
only accepted origin is this site's own: a passkey made here answers nowhere else. The
ceremonies' JSON endpoints are the library's, two of them extended to write the audit trail.
"""

from django.conf import settings
from django.urls import path
from django_otp_webauthn import urls as library_urls
from django_otp_webauthn import views
from django_otp_webauthn.helpers import WebAuthnHelper

from staff import audit


def relying_party_id(request):
    """The request's host name without the port: what browsers scope passkeys to."""
    host = request.get_host()
    return host if host.endswith("]") else host.rsplit(":", 1)[0]


def relying_party_name(request):
    return settings.SITE_NAME


class SiteWebAuthnHelper(WebAuthnHelper):
    def get_allowed_origins(self):
        """This site's own origin, as the request reached it (host checked by ALLOWED_HOSTS)."""
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class CompleteAuthentication(views.CompleteCredentialAuthenticationView):
    """django-otp-webauthn's last step of a passkey sign-in, written to the audit trail."""

    def complete_auth(self, device):
        super().complete_auth(device)
        audit.record(self.request, audit.Kind.SECOND_FACTOR, device.user, "with a passkey")

    def handle_exception(self, exc):
        if self.request.user.is_authenticated:
            audit.record(
                self.request, audit.Kind.SECOND_FACTOR_FAILED, self.request.user, "passkey"
            )
        return super().handle_exception(exc)


class CompleteRegistration(views.CompleteCredentialRegistrationView):
    """django-otp-webauthn's last step of adding a passkey, written to the audit trail."""

    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        audit.record(self.request, audit.Kind.FACTOR_ADDED, self.request.user, "a passkey")
        return response


app_name = "otp_webauthn"
# django-otp-webauthn's own URLs, with the two audited steps in front: a request resolves to
# the first match, so ours answer at the library's addresses and under its names.
urlpatterns = [
    path(
        "registration/complete/",
        CompleteRegistration.as_view(),
        name="credential-registration-complete",
    ),
    path(
        "authentication/complete/",
        CompleteAuthentication.as_view(),
        name="credential-authentication-complete",
    ),
    *library_urls.urlpatterns,
]
