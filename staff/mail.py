"""E-mail to staff about their own account."""

from django.conf import settings


def sign_in_notice(user, ip_address, user_agent, when):
    """Subject and body telling a staff member their password was used to sign in."""
    body = (
        f"Hello {user.get_username()},\n\n"
        f"Your password for {settings.SITE_NAME} was used to sign in.\n\n"
        f"When: {when:%Y-%m-%d %H:%M %Z}\n"
        f"From the address: {ip_address or 'unknown'}\n"
        f"Browser: {' '.join(user_agent.split())[:200] or 'unknown'}\n\n"
        "If this was you, there is nothing to do. If it was not, change your password at once "
        "and ask a superuser to reset your second factors:\n"
        f"{settings.SITE_URL}/{settings.ADMIN_URL}password_change/\n"
    )
    return f"[{settings.SITE_NAME}] New sign-in to your account", body
