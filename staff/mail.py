"""E-mail to staff about their own account."""

from django.conf import settings
from django.utils.translation import gettext as _


def sign_in_notice(user, ip_address, user_agent, when):
    """Subject and body telling a staff member their password was used to sign in, in the
    active language (staff.tasks sets the one their browser asked for at the sign-in)."""
    body = _(
        "Hello %(username)s,\n\n"
        "Your password for %(site)s was used to sign in.\n\n"
        "When: %(when)s\n"
        "From the address: %(address)s\n"
        "Browser: %(browser)s\n\n"
        "If this was you, there is nothing to do. If it was not, change your password at "
        "once and ask a superuser to reset your second factors:\n"
        "%(password_change)s\n"
    ) % {
        "username": user.get_username(),
        "site": settings.SITE_NAME,
        "when": f"{when:%Y-%m-%d %H:%M %Z}",
        "address": ip_address or _("unknown"),
        "browser": " ".join(user_agent.split())[:200] or _("unknown"),
        "password_change": f"{settings.SITE_URL}/{settings.ADMIN_URL}password_change/",
    }
    return _("[%(site)s] New sign-in to your account") % {"site": settings.SITE_NAME}, body
