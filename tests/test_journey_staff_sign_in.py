"""Staff in Chromium: a new editor sets up a passkey right after the password (on a virtual
authenticator), writes down backup codes, and signs in with the passkey the next time; another
sets up an authenticator app on a phone; a password alone shows nothing."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from staff.models import AuditEvent
from tests.browser import PHONE, type_password
from tests.builders import make_user, totp_code

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a-long-editor-password"


def add_virtual_authenticator(page):
    """A platform authenticator (like a phone's or a laptop's) through Chromium's DevTools."""
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    return devtools


def test_new_editor_enrols_a_passkey_and_signs_in_with_it(journey):
    make_user("edith", password=PASSWORD, groups=["Editors"], is_staff=True, email="e@x.org")
    page = journey.open("editor")
    add_virtual_authenticator(page)

    type_password(page, "edith", PASSWORD)
    page.wait_for_url(f"**{reverse('admin:staff_enrol')}**")
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    journey.check(page, "enrol")

    page.get_by_role("button", name="Add a passkey or security key").click()
    page.wait_for_url(f"**{reverse('admin:staff_backup_codes')}**")
    expect(page.locator(".backup-codes li")).to_have_count(10)
    journey.check(page, "backup-codes")
    assert WebAuthnCredential.objects.filter(user__username="edith").count() == 1

    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(f"**{reverse('admin:index')}")
    expect(page.get_by_role("link", name="Statements").first).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    type_password(page, "edith", PASSWORD)
    page.wait_for_url(f"**{reverse('admin:staff_verify')}**")
    journey.check(page, "verify")
    page.get_by_role("button", name="Use your passkey or security key").click()
    page.wait_for_url(f"**{reverse('admin:index')}")
    expect(page.get_by_role("link", name="Statements").first).to_be_visible()
    events = set(AuditEvent.objects.filter(username="edith").values_list("kind", "detail"))
    assert {("sign-in", ""), ("sign-out", "")} <= events
    # The passkey's own steps (staff.passkeys), not only the backup codes made after them.
    assert {("factor-added", "a passkey"), ("second-factor", "with a passkey")} <= events


def test_moderator_sets_up_an_authenticator_app_on_a_phone(journey):
    make_user("mo", password=PASSWORD, groups=["Moderators"], is_staff=True)
    page = journey.open("moderator", screen=PHONE)
    type_password(page, "mo", PASSWORD)
    page.wait_for_url(f"**{reverse('admin:staff_enrol')}**")
    journey.check(page, "enrol-on-phone")
    secret = page.locator(".app-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", secret)
    device = TOTPDevice.objects.get(user__username="mo", confirmed=False)
    page.get_by_label("Code from the app").fill(totp_code(device))
    page.get_by_role("button", name="Use this app").click()
    page.wait_for_url(f"**{reverse('admin:staff_backup_codes')}**")
    expect(page.locator(".backup-codes li")).to_have_count(10)
    journey.check(page, "backup-codes-on-phone")
    page.get_by_role("link", name="Continue").click()
    page.wait_for_url(f"**{reverse('admin:index')}")


def test_a_password_alone_shows_no_admin_page(journey):
    make_user("boss", password=PASSWORD, is_staff=True, is_superuser=True)
    page = journey.open("intruder")
    TOTPDevice.objects.create(
        user=make_user("ed", password=PASSWORD, is_staff=True), name="Phone", confirmed=True
    )
    type_password(page, "ed", PASSWORD)
    page.wait_for_url(f"**{reverse('admin:staff_verify')}**")
    journey.check(page, "second-step")
    page.goto(reverse("admin:auth_user_changelist"))
    page.wait_for_url(f"**{reverse('admin:staff_verify')}**")
    expect(page.get_by_text("boss")).to_have_count(0)


def test_superuser_reads_the_audit_page_by_person(journey):
    from tests.browser import log_in

    make_user("boss", password=PASSWORD, is_staff=True, is_superuser=True)
    make_user("mo", password=PASSWORD, groups=["Moderators"], is_staff=True)
    intruder = journey.open("intruder")
    type_password(intruder, "mo", "a-wrong-password")
    page = journey.open("superuser")
    log_in(page, "boss", PASSWORD)
    page.get_by_role("link", name="Audit events").click()
    expect(page.locator("#result_list")).to_contain_text("Wrong password")
    journey.check(page, "audit")
    page.get_by_role("link", name="mo", exact=True).click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).not_to_contain_text("boss")
    journey.check(page, "audit-by-person")
