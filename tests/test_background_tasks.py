"""E-mail goes through the background task queue, with retries; the scheduler queues jobs."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms import scheduler
from comments import notifications
from comments.models import Comment
from tests.builders import make_comment, make_statement, make_user, solved_comment_data

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def test_submission_never_waits_for_the_mail_server(client, statement):
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    response = client.post(statement.get_comment_url(), solved_comment_data(client, statement))
    assert response.status_code == 302
    # The request only queued the e-mail: it never spoke to the mail server.
    assert mail.outbox == []
    assert Comment.objects.count() == 1
    queued = DBTaskResult.objects.filter(status="READY")
    assert list(queued.values_list("task_path", "queue_name")) == [
        ("comments.tasks.after_receive", "default")
    ]


def test_e_mail_has_a_queue_of_its_own_so_slow_mail_never_holds_up_new_comments(
    client, statement, run_tasks
):
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    client.post(statement.get_comment_url(), solved_comment_data(client, statement))
    run_tasks(queues=["default"])
    assert list(DBTaskResult.objects.filter(status="READY").values_list("queue_name")) == [
        ("mail",)
    ]
    assert mail.outbox == []
    run_tasks(queues=["mail"])
    assert len(mail.outbox) == 1


def test_failed_delivery_is_tried_again_later_with_a_longer_wait(settings, run_tasks):
    settings.EMAIL_BACKEND = "tests.test_background_tasks.RefusingBackend"
    settings.MAIL_RETRIES, settings.MAIL_RETRY_BACKOFF = 3, 30
    notifications.send("Subject", "Body", ["reader@example.org"])
    run_tasks()
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.args_kwargs["args"][1] == 2
    wait = (retry.run_after - timezone.now()).total_seconds()
    assert 25 < wait <= 30
    assert DBTaskResult.objects.failed().count() == 1

    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())  # the wait is over
    run_tasks()
    third = DBTaskResult.objects.filter(status="READY").get()
    assert 55 < (third.run_after - timezone.now()).total_seconds() <= 60

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # server is back
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_delivery_gives_up_after_the_last_attempt(settings, run_tasks, caplog):
    settings.EMAIL_BACKEND = "tests.test_background_tasks.RefusingBackend"
    settings.MAIL_RETRIES = 1
    notifications.send("Subject", "Body", ["reader@example.org"])
    run_tasks()
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert DBTaskResult.objects.failed().count() == 1
    assert "Gave up e-mailing ['reader@example.org'] after 1 attempts" in caplog.text


def test_scheduler_queues_each_command_when_its_interval_has_passed(settings):
    settings.SCHEDULED_COMMANDS = {"purge_comment_ips": 100, "captcha_clean": 10}
    assert sorted(scheduler.tick(now=1000)) == ["captcha_clean", "purge_comment_ips"]
    assert scheduler.tick(now=1005) == []
    assert scheduler.tick(now=1011) == ["captcha_clean"]
    queued = DBTaskResult.objects.filter(task_path="cms.scheduler.run_command")
    assert sorted(r.args_kwargs["args"][0] for r in queued) == [
        "captcha_clean",
        "captcha_clean",
        "purge_comment_ips",
    ]


def test_scheduled_commands_run_in_the_worker(settings, run_tasks):
    settings.SCHEDULED_COMMANDS = {"purge_comment_ips": 100}
    old = make_comment(make_statement(), ip_address="192.0.2.1")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    scheduler.tick()
    run_tasks()
    old.refresh_from_db()
    assert old.ip_address is None


def test_every_scheduled_command_exists():
    from django.conf import settings
    from django.core.management import get_commands

    assert set(settings.SCHEDULED_COMMANDS) <= set(get_commands())
    call_command("captcha_clean", stdout=StringIO())


def test_scheduler_starts_as_the_readme_and_compose_run_it():
    """`python -m cms.scheduler`, with no DJANGO_SETTINGS_MODULE in the environment."""
    import os
    import subprocess
    import sys

    from django.conf import settings as django_settings

    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", "import runpy; runpy.run_module('cms.scheduler')"],
        env={**environment, "DJANGO_DEBUG": "1", "DJANGO_SECRET_KEY": "x" * 60},
        capture_output=True,
        text=True,
        timeout=60,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
