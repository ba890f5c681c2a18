"""Small builders that make rows for tests with sensible defaults."""

from datetime import timedelta
from itertools import count

from django.contrib.auth.models import Group, User
from django.utils import timezone

from statements.models import Organization, Signature, Statement
from statements.revisions import record_public_revision

_numbers = count(1)


def make_organization(**fields):
    n = next(_numbers)
    fields.setdefault("name", f"Organization {n}")
    fields.setdefault("slug", f"organization-{n}")
    return Organization.objects.create(**fields)


def make_statement(signatories=(), **fields):
    n = next(_numbers)
    fields.setdefault("title", f"Statement number {n}")
    fields.setdefault("slug", f"statement-number-{n}")
    fields.setdefault("body", f"<p>Body of statement {n}.</p>")
    fields.setdefault("language", "en")
    fields.setdefault("status", Statement.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(days=1))
    statement = Statement.objects.create(**fields)
    for order, organization in enumerate(signatories, start=1):
        Signature.objects.create(statement=statement, organization=organization, order=order)
    if statement.status == Statement.Status.PUBLISHED:
        # As publishing in the admin does: the first public revision.
        record_public_revision(statement)
        statement.refresh_from_db()
    return statement


def make_draft(**fields):
    return make_statement(status=Statement.Status.DRAFT, **fields)


def make_scheduled(**fields):
    return make_statement(published_at=timezone.now() + timedelta(days=3), **fields)


def make_user(username, password="a-long-test-password", groups=(), **fields):  # noqa: S107
    user = User.objects.create_user(username=username, password=password, **fields)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    return user


def statement_form_data(statement, **changes):
    """The admin change form's POST data for `statement`, with `changes` applied."""
    date = statement.published_at
    data = {
        "title": statement.title,
        "slug": statement.slug,
        "language": statement.language,
        "translation_of": statement.translation_of_id or "",
        "summary": statement.summary,
        "body": statement.body,
        "status": statement.status,
        "published_at_0": date.strftime("%Y-%m-%d"),
        "published_at_1": date.strftime("%H:%M:%S"),
        "comment_mode": statement.comment_mode,
        "signatures-TOTAL_FORMS": "0",
        "signatures-INITIAL_FORMS": "0",
    }
    signatures = list(statement.signatures.all())
    data["signatures-TOTAL_FORMS"] = data["signatures-INITIAL_FORMS"] = str(len(signatures))
    for i, signature in enumerate(signatures):
        data.update(
            {
                f"signatures-{i}-id": signature.pk,
                f"signatures-{i}-statement": statement.pk,
                f"signatures-{i}-organization": signature.organization_id,
                f"signatures-{i}-order": signature.order,
                f"signatures-{i}-signed_as": signature.signed_as,
                f"signatures-{i}-joined_on": signature.joined_on or "",
            }
        )
    data.update(changes)
    return data


def add_signatory_data(data, organization, order, joined_on="", **fields):
    """`data` (admin form POST data) with one more signatory row."""
    i = int(data["signatures-TOTAL_FORMS"])
    data = {**data, "signatures-TOTAL_FORMS": str(i + 1)}
    data.update(
        {
            f"signatures-{i}-organization": organization.pk,
            f"signatures-{i}-order": order,
            f"signatures-{i}-signed_as": "",
            f"signatures-{i}-joined_on": joined_on,
            **{f"signatures-{i}-{name}": value for name, value in fields.items()},
        }
    )
    return data


def save_in_admin(client, statement, button="_publish", **changes):
    """Post the statement's admin change form with `changes`, as an editor pressing `button`."""
    from django.urls import reverse

    data = changes.pop("data", None) or statement_form_data(statement)
    data = {**data, **changes, button: "1"}
    return client.post(reverse("admin:statements_statement_change", args=[statement.pk]), data)


def make_comment(statement, status="approved", **fields):
    from comments.models import Comment

    fields.setdefault("name", "A Reader")
    fields.setdefault("text", f"Comment number {next(_numbers)}.")
    return Comment.objects.create(statement=statement, status=status, **fields)


def solved_comment_data(client, statement, **fields):
    """POST data for the comment form with a correctly answered, fresh CAPTCHA.

    Reads the challenge the way a human does (from the form's page), then its answer from
    the store, and backdates the form's start stamp so that it does not look machine-fast.
    """
    import re
    import time

    from captcha.models import CaptchaStore
    from django.core import signing

    page = client.get(statement.get_comment_url()).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    data = {
        "name": "Ada Reader",
        "email": "",
        "homepage": "",
        "text": "A thoughtful comment.",
        "url": "",
        "started": signing.dumps(time.time() - 60, salt="comments.form-started"),
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
    }
    data.update(fields)
    return data


def give_second_factor(client, user):
    """An authenticator app for `user`, shown in `client`'s session; returns the device."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="Test app", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


def totp_code(device, steps_ahead=0):
    """The code an authenticator app shows now for `device` (or `steps_ahead` periods on)."""
    from django_otp.oath import TOTP

    clock = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    clock.time = clock.time + steps_ahead * device.step
    return f"{clock.token():0{device.digits}d}"
