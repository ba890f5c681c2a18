"""Staff sessions: 12 hours at most, ended elsewhere by a password change, strong passwords,
and an e-mail to the staff member at each sign-in."""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from staff.models import AuditEvent
from tests.builders import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-test-password"
INDEX = reverse("admin:index")


def sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, **extra
    )


def test_a_staff_session_ends_twelve_hours_after_sign_in(settings):
    assert settings.STAFF_SESSION_AGE == 12 * 3600
    client = Client()
    make_user("ed", is_staff=True)
    sign_in(client, "ed")
    expiry = client.session.get_expiry_date()
    assert timedelta(hours=11, minutes=59) < expiry - timezone.now() <= timedelta(hours=12)
    assert client.cookies["sessionid"]["max-age"] <= 12 * 3600


def test_the_staff_session_length_is_configurable(settings):
    settings.STAFF_SESSION_AGE = 3600
    client = Client()
    make_user("ed", is_staff=True)
    sign_in(client, "ed")
    assert client.session.get_expiry_date() - timezone.now() <= timedelta(hours=1)


def test_a_password_change_ends_the_other_sessions(client):
    ed = make_user("ed", is_staff=True)
    laptop, phone = Client(), Client()
    laptop.force_login(ed)
    phone.force_login(ed)
    assert phone.get(INDEX).status_code == 200
    new = "another-long-passphrase-42"
    response = laptop.post(
        reverse("admin:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert laptop.get(INDEX).status_code == 200  # the session that changed it stays
    assert phone.get(INDEX).status_code == 302  # every other one is signed out
    assert AuditEvent.objects.filter(username="ed", kind="password-changed").exists()


def test_a_superuser_setting_a_password_ends_that_persons_sessions(client):
    ed = make_user("ed", is_staff=True)
    ed_client = Client()
    ed_client.force_login(ed)
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    new = "another-long-passphrase-42"
    response = client.post(
        reverse("admin:auth_user_password_change", args=[ed.pk]),
        {"password1": new, "password2": new, "usable_password": "true"},
    )
    assert response.status_code == 302
    assert ed_client.get(INDEX).status_code == 302
    event = AuditEvent.objects.get(kind="password-changed")
    assert event.user == ed and event.detail == "by boss"


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short-pass1", "at least 12 characters"),
        ("qwerty123456", "too common"),
        ("384729384729384", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, problem):
    with pytest.raises(ValidationError, match=problem):
        validate_password(password, make_user("ed"))
    validate_password("correct horse battery", make_user("ann"))


def test_each_sign_in_is_told_to_the_staff_member_by_email(run_tasks):
    client = Client()
    make_user("ed", is_staff=True, email="ed@example.org")
    sign_in(
        client,
        "ed",
        REMOTE_ADDR="203.0.113.4",
        HTTP_USER_AGENT="Firefox\r\nBcc: x@y.z",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert mail.outbox == []  # queued: signing in never waits for the mail server
    assert run_tasks() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ed@example.org"]
    assert "New sign-in" in message.subject
    assert "203.0.113.4" in message.body
    assert "Browser: Firefox Bcc: x@y.z" in message.body  # one line, in the body only
    assert not message.bcc
    sign_in(Client(), "ed")
    run_tasks()
    assert len(mail.outbox) == 2


def test_the_sign_in_notice_speaks_the_language_of_the_sign_in_page(run_tasks):
    make_user("ed", is_staff=True, email="ed@example.org")
    sign_in(Client(), "ed", REMOTE_ADDR="203.0.113.4", HTTP_ACCEPT_LANGUAGE="fa")
    run_tasks()
    message = mail.outbox[0]
    assert "ورود تازه" in message.subject
    assert "203.0.113.4" in message.body and "Your password" not in message.body


def test_a_failing_mail_server_does_not_stop_a_sign_in(settings, caplog, run_tasks):
    settings.EMAIL_BACKEND = "tests.test_staff_sessions.BrokenBackend"
    make_user("ed", is_staff=True, email="ed@example.org")
    client = Client()
    assert sign_in(client, "ed").status_code == 302
    run_tasks()
    assert "sign-in notice" in caplog.text


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("no mail server")
