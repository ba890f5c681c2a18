"""The second-factor pages of the staff sign-in, and each staff member's own factors page.

`verify` and `enrol` are sign-in steps: a staff member past the password reaches them
(staff.middleware lets them through); `backup_codes` and `factors` are ordinary admin pages,
behind the whole sign-in. The admin site (staff.sites) wires them in.
"""

from functools import wraps

import segno
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.models import Device
from django_otp_webauthn.models import WebAuthnCredential

from staff import factors
from staff.forms import AppCodeForm, CodeForm

_NEW_CODES = "staff_new_backup_codes"


def safe_next(request, default=None):
    """The `next` address if it is on this site, else the admin's index."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse("admin:index")


def with_next(url, request):
    next_url = request.POST.get("next") or request.GET.get("next")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def first_step(request, user):
    """Where a staff member goes after the password: their factor, or enrolment."""
    name = "admin:staff_verify" if factors.devices(user) else "admin:staff_enrol"
    return with_next(reverse(name), request)


def sign_in_step(view):
    """For staff signed in with their password, whether or not past the second factor."""

    @wraps(view)
    @never_cache
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect(with_next(reverse("admin:login"), request))
        return view(request, *args, **kwargs)

    return wrapped


def render(request, template, context):
    context = {**admin.site.each_context(request), **context}
    return TemplateResponse(request, template, context)


@sign_in_step
def verify(request):
    """Second step of the sign-in: a passkey, a code from the app, or a backup code."""
    user = request.user
    if factors.is_verified(user) or not factors.required_for(user):
        return redirect(safe_next(request))
    if not factors.devices(user):
        return redirect(first_step(request, user))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if factors.verify(request, user, form.cleaned_data["code"]):
            if not factors.has_factor(user):
                return redirect(with_next(reverse("admin:staff_enrol"), request))
            return redirect(safe_next(request))
        form.add_error(
            "code",
            _(
                "That code is not right, or it was used already. Wait for the app's next "
                "code and try again; after several wrong codes you must wait a little longer."
            ),
        )
    devices = factors.devices(user)
    return render(
        request,
        "staff/verify.html",
        {
            "title": _("Second step: show your second factor"),
            "form": form,
            "next": safe_next(request),
            "has_passkey": any(isinstance(d, WebAuthnCredential) for d in devices),
            "has_app": any(d.__class__.__name__ == "TOTPDevice" for d in devices),
            "backup_codes_left": factors.backup_codes_left(user),
        },
    )


@sign_in_step
def enrol(request):
    """Add a factor: an authenticator app (QR code and key) or a passkey.

    Right after the password for a staff member who has none; from their factors page
    otherwise. Someone who has a factor must show it first: a password alone never adds one.
    """
    user = request.user
    if factors.devices(user) and not factors.is_verified(user):
        return redirect(with_next(reverse("admin:staff_verify"), request))
    first_time = not factors.has_factor(user)
    device = factors.pending_app(user)
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if factors.confirm_app(request, device, form.cleaned_data["code"]):
            return redirect(after_enrolment(request, user))
        form.add_error(
            "code",
            _("That code is not the app's current one. Check the app and type its new code."),
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "staff/enrol.html",
        {
            "title": _("Set up your second factor") if first_time else _("Add a factor"),
            "first_time": first_time,
            "form": form,
            "qr_code": qr.svg_data_uri(scale=4, border=2, dark="#000", light="#fff"),
            "secret": factors.app_secret(device),
            "next": safe_next(request),
            "after_passkey": after_enrolment(request, user),
        },
    )


def after_enrolment(request, user):
    """First factor: new backup codes to write down; otherwise back where they came from."""
    if not factors.backup_codes_left(user):
        params = {"first": "1"}
        if request.POST.get("next") or request.GET.get("next"):
            params["next"] = request.POST.get("next") or request.GET.get("next")
        return f"{reverse('admin:staff_backup_codes')}?{urlencode(params)}"
    return safe_next(request, reverse("admin:staff_factors"))


@never_cache
def backup_codes(request):
    """New backup codes, shown once.

    The first set is made when the page is first opened after enrolling (`?first=1`, and only
    while there are none): a passkey is registered by script, which can only send the staff
    member here. Later sets are made by POST, which replaces the old ones.
    """
    user = request.user
    if request.method == "POST" or (
        request.GET.get("first") and not factors.backup_codes_left(user)
    ):
        request.session[_NEW_CODES] = factors.new_backup_codes(request, user)
        return redirect(with_next(reverse("admin:staff_backup_codes"), request))
    return render(
        request,
        "staff/backup_codes.html",
        {
            "title": _("Backup codes"),
            "codes": request.session.pop(_NEW_CODES, None),
            "left": factors.backup_codes_left(user),
            "next": safe_next(request, reverse("admin:staff_factors")),
        },
    )


@never_cache
def factors_page(request):
    """A staff member's own factors: add, remove, new backup codes."""
    user = request.user
    devices = [
        {
            "device": device,
            "id": device.persistent_id,
            "label": factors.describe(device),
            "removable": factors.can_remove(user, device),
            "backup": device.__class__.__name__ == "StaticDevice",
        }
        for device in factors.devices(user)
    ]
    return render(
        request,
        "staff/factors.html",
        {
            "title": _("Your sign-in factors"),
            "devices": devices,
            "backup_codes_left": factors.backup_codes_left(user),
        },
    )


@never_cache
@require_POST
def remove_factor(request):
    device = Device.from_persistent_id(request.POST.get("device", ""))
    if device is None or device.user_id != request.user.pk:
        messages.error(request, _("That factor does not exist (any more)."))
    elif not factors.can_remove(request.user, device):
        messages.error(
            request, _("This is your last factor: add another before removing this one.")
        )
    else:
        factors.remove(request, device)
        messages.success(request, _("The factor was removed."))
    return redirect("admin:staff_factors")
