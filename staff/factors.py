"""Staff's second factors: what a staff member has, what they must do next, and the changes.

Three kinds, all django-otp devices: authenticator apps (TOTP), passkeys and security keys
(WebAuthn, django-otp-webauthn) and one-time backup codes (django-otp's static device). A
staff member signs in with the password (django-axes counts the failures), then with one of
their factors; one without any is taken to enrol first. Until then they are, for every page
but the sign-in steps, not signed in at all (staff.middleware).
"""

from base64 import b32encode

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp import verify_token as otp_verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from staff import audit

BACKUP_CODE_COUNT = 10
BACKUP_DEVICE_NAME = "Backup codes"


def required_for(user):
    """Whether `user` must show a second factor before reaching any staff page."""
    return bool(settings.STAFF_2FA_REQUIRED and user.is_authenticated and user.is_staff)


def is_verified(user):
    """Whether this session showed a second factor (django-otp's OTPMiddleware knows)."""
    return bool(getattr(user, "is_verified", None) and user.is_verified())


def needs_second_factor(user):
    """A staff member past the password who has not yet shown a second factor."""
    return required_for(user) and not is_verified(user)


def devices(user):
    """Every confirmed factor of `user`: apps, passkeys, backup codes."""
    return list(devices_for_user(user, confirmed=True))


def has_factor(user):
    """Whether `user` can sign in with a second factor (backup codes alone do not count)."""
    return any(not isinstance(device, StaticDevice) for device in devices(user))


def verify(request, user, token):
    """Check `token` against the user's apps and backup codes; the device that took it, or None.

    Each device is checked on its own (django-otp's throttling: a growing wait after each
    failure). A backup code is used up by taking it.
    """
    token = "".join(token.split()).lower()
    for device in devices(user):
        if isinstance(device, WebAuthnCredential):
            continue
        device = otp_verify_token(user, device.persistent_id, token)
        if device is not None:
            otp_login(request, device)
            audit.record(request, audit.Kind.SECOND_FACTOR, user, describe(device))
            return device
    audit.record(request, audit.Kind.SECOND_FACTOR_FAILED, user)
    return None


def describe(device):
    """A factor by its kind and name, in the language of the request (audit details too)."""
    if isinstance(device, StaticDevice):
        return gettext("backup codes")
    if isinstance(device, WebAuthnCredential):
        return gettext("passkey “%(name)s”") % {"name": device.name}
    return gettext("authenticator app “%(name)s”") % {"name": device.name}


def pending_app(user):
    """The authenticator app being set up: one unconfirmed TOTP device, made when first asked."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


def app_secret(device):
    """The app's key as people type it: base32 in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_app(request, device, token):
    """Confirm the app being set up if `token` is its current code; True if it was."""
    token = "".join(token.split())
    if not device.verify_token(token):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    if not is_verified(request.user):
        otp_login(request, device)
    audit.record(request, audit.Kind.FACTOR_ADDED, request.user, describe(device))
    return True


@transaction.atomic
def new_backup_codes(request, user):
    """Replace the user's backup codes with BACKUP_CODE_COUNT new ones; returns them."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit.record(request, audit.Kind.FACTOR_ADDED, user, f"{len(codes)} new backup codes")
    return codes


def backup_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def remove(request, device):
    """Remove one of the signed-in user's own factors (never the last one while required)."""
    name = describe(device)
    device.delete()
    audit.record(request, audit.Kind.FACTOR_REMOVED, request.user, name)


def can_remove(user, device):
    if not settings.STAFF_2FA_REQUIRED or isinstance(device, StaticDevice):
        return True
    return sum(not isinstance(d, StaticDevice) for d in devices(user)) > 1


@transaction.atomic
def reset(request, user):
    """Remove every factor of `user` (a superuser's act): they enrol again at next sign-in."""
    removed = 0
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        removed += model.objects.filter(user=user).delete()[0]
    audit.record(request, audit.Kind.FACTORS_RESET, user, f"by {request.user.get_username()}")
    return removed
