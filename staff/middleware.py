"""The second factor's gate."""

from django.contrib.auth.models import AnonymousUser
from django.urls import Resolver404, resolve
from django.utils.functional import SimpleLazyObject

from staff import factors

# Where a staff member past the password but not past the second factor may go: the sign-in
# steps themselves. Everywhere else they are not signed in.
SIGN_IN_STEPS = {
    "admin:login",
    "admin:logout",
    "admin:staff_verify",
    "admin:staff_enrol",
    "otp_webauthn:credential-registration-begin",
    "otp_webauthn:credential-registration-complete",
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
}


class SecondFactorMiddleware:
    """A staff member who has not shown a second factor is anonymous outside the sign-in steps.

    So no admin page, no staff preview, no permission of theirs (not even "post comments
    without moderation") answers to a password alone: every check in the site sees an
    anonymous reader. Goes after django-otp's OTPMiddleware, which knows who is verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.user = SimpleLazyObject(lambda: self._gated(request, user))
        return self.get_response(request)

    @staticmethod
    def _gated(request, user):
        if not factors.needs_second_factor(user) or _is_sign_in_step(request):
            return user
        return AnonymousUser()


def _is_sign_in_step(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in SIGN_IN_STEPS
