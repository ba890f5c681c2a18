"""Staff sign in with a password and a second factor; a password alone opens nothing."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.models import AuditEvent
from statements.models import Statement
from tests.builders import make_draft, make_user, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
LOGIN = reverse("admin:login")
VERIFY = reverse("admin:staff_verify")
ENROL = reverse("admin:staff_enrol")
INDEX = reverse("admin:index")


def sign_in_with_password(client, username):
    return client.post(LOGIN, {"username": username, "password": PASSWORD, "next": INDEX})


def staff_pages(draft):
    """Every kind of page only staff may see: the admin's, ours, the preview."""
    statement_type = ContentType.objects.get_for_model(Statement).pk
    return [
        INDEX,
        reverse("admin:statements_statement_changelist"),
        reverse("admin:statements_statement_add"),
        reverse("admin:statements_statement_change", args=[draft.pk]),
        reverse("admin:comments_comment_changelist"),
        reverse("admin:auth_user_changelist"),
        reverse("admin:staff_auditevent_changelist"),
        reverse("admin:password_change"),
        reverse("admin:staff_factors"),
        reverse("admin:staff_backup_codes"),
        reverse("admin:view_on_site", args=[statement_type, draft.pk]),
        reverse("admin:app_list", args=["statements"]),
        draft.get_preview_url(),
    ]


@pytest.mark.parametrize("has_factor", [False, True], ids=["no-factor-yet", "has-a-factor"])
def test_a_staff_password_alone_reaches_no_staff_page(has_factor):
    """The target: with the password of a superuser and nothing else, nothing opens."""
    client = Client(headers={"accept-language": "en"})
    boss = make_user("boss", is_staff=True, is_superuser=True)
    if has_factor:
        TOTPDevice.objects.create(user=boss, name="Phone", confirmed=True)
    draft = make_draft(slug="secret-draft")
    response = sign_in_with_password(client, "boss")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY if has_factor else ENROL)
    for url in staff_pages(draft):
        response = client.get(url)
        assert response.status_code in {302, 403, 404}, url
        assert "secret-draft" not in response.content.decode(), url
        if response.status_code == 302:
            assert response["Location"].startswith(LOGIN), url
    assert "secret-draft" not in client.get(LOGIN, follow=True).content.decode()


def test_staff_without_a_factor_sets_up_an_app_right_after_the_password():
    client = Client(headers={"accept-language": "en"})
    make_user("ed", is_staff=True)
    response = sign_in_with_password(client, "ed")
    assert response["Location"] == f"{ENROL}?next={INDEX.replace('/', '%2F')}"
    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert 'src="data:image/svg+xml' in content  # the QR code
    device = TOTPDevice.objects.get(user__username="ed", confirmed=False)
    secret = re.search(r'class="app-secret" dir="ltr">([A-Z2-7 ]+)<', content).group(1)
    assert secret.replace(" ", "")  # typed by hand where scanning fails

    wrong = client.post(response["Location"], {"code": "000000", "next": INDEX})
    assert wrong.status_code == 200
    assert "not the app&#x27;s current one" in wrong.content.decode()

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no wait
    done = client.post(response["Location"], {"code": totp_code(device), "next": INDEX})
    assert done.status_code == 302
    codes_page = client.get(done["Location"], follow=True)
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())
    assert len(codes) == 10
    assert client.get(INDEX).status_code == 200
    assert set(AuditEvent.objects.filter(username="ed").values_list("kind", flat=True)) >= {
        "sign-in",
        "factor-added",
    }


def test_staff_with_an_app_signs_in_with_its_code():
    client = Client(headers={"accept-language": "en"})
    user = make_user("mod", is_staff=True, groups=["Moderators"])
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    assert sign_in_with_password(client, "mod")["Location"].startswith(VERIFY)
    wrong = client.post(VERIFY, {"code": "123456", "next": INDEX})
    assert wrong.status_code == 200
    assert "That code is not right" in wrong.content.decode()
    assert client.get(INDEX).status_code == 302
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    right = client.post(VERIFY, {"code": totp_code(device), "next": INDEX})
    assert right.status_code == 302 and right["Location"] == INDEX
    assert client.get(INDEX).status_code == 200
    kinds = list(AuditEvent.objects.filter(username="mod").values_list("kind", flat=True))
    assert {"sign-in", "second-factor-failed", "second-factor"} <= set(kinds)


def test_a_backup_code_signs_in_once():
    user = make_user("ed", is_staff=True)
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    backup = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    StaticToken.objects.create(device=backup, token="abcd2345")
    first = Client(headers={"accept-language": "en"})
    sign_in_with_password(first, "ed")
    assert first.post(VERIFY, {"code": "ABCD 2345", "next": INDEX})["Location"] == INDEX
    assert first.get(INDEX).status_code == 200
    second = Client(headers={"accept-language": "en"})
    sign_in_with_password(second, "ed")
    assert second.post(VERIFY, {"code": "abcd2345", "next": INDEX}).status_code == 200
    assert second.get(INDEX).status_code == 302


def test_the_next_address_must_be_on_this_site():
    client = Client(headers={"accept-language": "en"})
    user = make_user("ed", is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in_with_password(client, "ed")
    response = client.post(VERIFY, {"code": totp_code(device), "next": "https://evil.example/"})
    assert response["Location"] == INDEX


def test_a_password_alone_cannot_add_a_factor():
    """Someone with a stolen password must not be able to enrol their own phone or passkey."""
    client = Client(headers={"accept-language": "en"})
    user = make_user("ed", is_staff=True)
    TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    sign_in_with_password(client, "ed")
    assert client.get(ENROL)["Location"].startswith(VERIFY)
    assert client.post(ENROL, {"code": "123456"})["Location"].startswith(VERIFY)
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    assert begin.status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1


def test_passwordless_passkey_sign_in_is_off():
    response = Client(headers={"accept-language": "en"}).post(
        reverse("otp_webauthn:credential-authentication-begin")
    )
    assert response.status_code == 403


def test_unverified_staff_have_none_of_their_permissions_on_the_site(statement):
    """A password alone does not publish a comment without moderation either."""
    from comments.models import Comment
    from tests.builders import solved_comment_data

    client = Client(headers={"accept-language": "en"})
    make_user("ed", is_staff=True, groups=["Editors"])
    sign_in_with_password(client, "ed")
    client.post(statement.get_comment_url(), solved_comment_data(client, statement))
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_second_factor_can_be_turned_off(settings):
    settings.STAFF_2FA_REQUIRED = False
    client = Client(headers={"accept-language": "en"})
    make_user("ed", is_staff=True)
    assert sign_in_with_password(client, "ed")["Location"] == INDEX
    assert client.get(INDEX).status_code == 200


def test_axes_still_guards_the_password_step(settings):
    client = Client(headers={"accept-language": "en"})
    make_user("ed", is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "ed", "password": "wrong"})
    assert sign_in_with_password(client, "ed").status_code == 429
    assert AuditEvent.objects.filter(username="ed", kind="locked-out").exists()
    assert AuditEvent.objects.filter(username="ed", kind="sign-in-failed").count() >= 4


def test_a_superuser_resets_another_staff_members_factors_on_the_record(client):
    boss = make_user("boss", is_staff=True, is_superuser=True)
    ed = make_user("ed", is_staff=True)
    TOTPDevice.objects.create(user=ed, name="Phone", confirmed=True)
    StaticDevice.objects.create(user=ed, name="Backup codes", confirmed=True)
    client.force_login(boss)
    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [ed.pk]},
        follow=True,
    )
    assert "Second factors reset." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=ed).exists()
    assert not StaticDevice.objects.filter(user=ed).exists()
    event = AuditEvent.objects.get(kind="factors-reset")
    assert event.user == ed and event.detail == "by boss"
    assert LogEntry.objects.filter(object_id=str(ed.pk), change_message__contains="Reset").exists()
    fresh = Client(headers={"accept-language": "en"})
    assert sign_in_with_password(fresh, "ed")["Location"].startswith(ENROL)


def test_only_superusers_may_reset_factors(client):
    admin_user = make_user("ed", is_staff=True)
    from django.contrib.auth.models import Permission

    admin_user.user_permissions.add(*Permission.objects.filter(codename__endswith="_user"))
    other = make_user("someone", is_staff=True)
    TOTPDevice.objects.create(user=other, name="Phone", confirmed=True)
    client.force_login(admin_user)
    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "reset_second_factors", "_selected_action": [other.pk]},
    )
    assert TOTPDevice.objects.filter(user=other).exists()


def test_a_reset_ends_the_access_of_sessions_that_showed_the_old_factor(client):
    ed = make_user("ed", is_staff=True)
    client.force_login(ed)
    assert client.get(INDEX).status_code == 200
    TOTPDevice.objects.filter(user=ed).delete()
    assert client.get(INDEX).status_code == 302


def test_own_factors_page_adds_backup_codes_and_keeps_the_last_factor(client):
    ed = make_user("ed", is_staff=True)
    client.force_login(ed)
    page = client.get(reverse("admin:staff_factors")).content.decode()
    assert "Your last factor" in page
    response = client.post(reverse("admin:staff_backup_codes"), follow=True)
    assert len(re.findall(r"<li><code>[a-z2-7]{8}</code></li>", response.content.decode())) == 10
    app = TOTPDevice.objects.get(user=ed)
    removed = client.post(
        reverse("admin:staff_remove_factor"), {"device": app.persistent_id}, follow=True
    )
    assert "last factor" in removed.content.decode()
    assert TOTPDevice.objects.filter(user=ed).exists()


def test_factors_change_only_through_their_owner_or_a_reset(client):
    """No third, unrecorded way: django-otp's own device pages are not in the admin."""
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    index = client.get(INDEX).content.decode()
    assert "TOTP devices" not in index and "Static devices" not in index
    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404


def test_first_admin_made_without_questions_signs_in_and_sets_up_a_factor(monkeypatch):
    """The README's way to make the first admin: `createsuperuser --no-input`."""
    from django.core.management import call_command

    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", interactive=False, username="first", email="first@example.org")
    client = Client(headers={"accept-language": "en"})
    response = sign_in_with_password(client, "first")
    assert response["Location"].startswith(ENROL)
    page = client.get(response["Location"])
    device = TOTPDevice.objects.get(user__username="first", confirmed=False)
    assert page.status_code == 200
    done = client.post(response["Location"], {"code": totp_code(device), "next": INDEX})
    assert done.status_code == 302
    assert client.get(INDEX).status_code == 200
