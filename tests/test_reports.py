"""Readers report approved comments; enough reports hide one until a moderator decides."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comments import moderation
from comments.models import Comment, Report
from tests.builders import make_comment, make_user

pytestmark = pytest.mark.django_db


def report_form(client, comment):
    page = client.get(comment.get_report_url())
    assert page.status_code == 200
    return re.search(r'name="token" value="([^"]+)"', page.content.decode()).group(1)


def send_report(client, comment, ip="192.0.2.1", token=None, **fields):
    data = {"reason": "abuse", "note": "", "token": token or report_form(client, comment)}
    data.update(fields)
    return client.post(comment.get_report_url(), data, REMOTE_ADDR=ip)


def test_statement_page_has_a_plain_report_link_and_stays_shareable(client, statement, comment):
    response = client.get(statement.get_absolute_url())
    content = response.content.decode()
    assert f'href="{comment.get_report_url()}"' in content
    assert "public" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


def test_report_form_works_without_javascript_and_is_never_cached(client, comment):
    response = client.get(comment.get_report_url())
    assert "no-store" in response["Cache-Control"]
    assert comment.text in response.content.decode()
    response = send_report(client, comment, note="<script>x</script>")
    assert response.status_code == 200
    assert "Thank you for your report" in response.content.decode()
    report = Report.objects.get()
    assert (report.reason, report.note, report.ip_address) == (
        "abuse",
        "<script>x</script>",
        "192.0.2.1",
    )


def test_enough_reports_hide_the_comment_until_a_moderator_decides(
    client, statement, comment, settings, run_tasks
):
    from django.core import mail

    settings.COMMENTS_REPORTS_TO_HIDE = 3
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    for i in range(2):
        send_report(client, comment, ip=f"192.0.2.{i}")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    send_report(client, comment, ip="192.0.2.9")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.text not in client.get(statement.get_absolute_url()).content.decode()
    statement.refresh_from_db()
    assert statement.comment_count == 0
    run_tasks()
    assert len(mail.outbox) == 1

    # A moderator approves it again: the old reports no longer count.
    moderator = make_user("boss", groups=["Moderators"], is_staff=True)
    moderation.decide(Comment.objects.filter(pk=comment.pk), "approved", moderator)
    comment.refresh_from_db()
    send_report(client, comment, ip="192.0.2.1")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED


def test_one_address_counts_once(client, comment, settings):
    settings.COMMENTS_REPORTS_TO_HIDE = 2
    send_report(client, comment)
    response = send_report(client, comment)
    assert response.status_code == 409
    assert "already reported this comment" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == Comment.Status.APPROVED
    assert Report.objects.count() == 1


def test_forged_report_token_is_a_clear_400_and_changes_nothing(client, comment, statement):
    other = make_comment(statement, status="approved")
    for token in [
        "forged",
        signing.dumps({"c": comment.pk, "n": "x"}, salt="another.salt"),
        report_form(client, other),  # genuine, but for another comment
    ]:
        response = send_report(client, comment, token=token)
        assert response.status_code == 400
        assert "This report form is not valid. Nothing was recorded." in response.content.decode()
    assert not Report.objects.exists()


def test_expired_report_token_is_a_clear_400(client, comment, settings):
    token = report_form(client, comment)
    settings.COMMENTS_REPORT_FORM_MAX_AGE = -1
    response = send_report(client, comment, token=token)
    assert response.status_code == 400
    assert "This report form has expired" in response.content.decode()
    assert not Report.objects.exists()


def test_replayed_report_form_is_refused(client, comment):
    token = report_form(client, comment)
    send_report(client, comment, token=token, ip="192.0.2.1")
    response = send_report(client, comment, token=token, ip="192.0.2.2")
    assert response.status_code == 409
    assert "already sent" in response.content.decode()
    assert Report.objects.count() == 1


def test_report_needs_a_reason_and_keeps_the_note(client, comment):
    response = send_report(client, comment, reason="", note="Please look")
    assert response.status_code == 400
    content = response.content.decode()
    assert "Choose a reason." in content and "Please look" in content


def test_only_approved_comments_of_published_statements_can_be_reported(client, statement):
    pending = make_comment(statement, status="pending")
    assert client.get(pending.get_report_url()).status_code == 404
    assert client.get(reverse("comments:report", args=[999999])).status_code == 404


def test_moderators_see_the_reports(client, comment):
    send_report(client, comment, note="Insults a signatory")
    client.force_login(make_user("mod", groups=["Moderators"], is_staff=True))
    queue = client.get(reverse("admin:comments_comment_changelist"), {"status": "all"})
    assert "1 report" in queue.content.decode()
    page = client.get(reverse("admin:comments_comment_change", args=[comment.pk]))
    assert "Insults a signatory" in page.content.decode()


def test_expire_reports_deletes_old_dealt_with_reports(client, comment, settings):
    settings.COMMENTS_REPORT_DAYS = 30
    send_report(client, comment, ip="192.0.2.1")
    send_report(client, comment, ip="192.0.2.2")
    old = timezone.now() - timedelta(days=40)
    Report.objects.update(created_at=old)
    Comment.objects.filter(pk=comment.pk).update(decided_at=old + timedelta(days=1))
    other = make_comment(comment.statement, status="approved")
    Report.objects.create(comment=other, reason="spam", ip_address="192.0.2.3", nonce="n1")
    Report.objects.filter(comment=other).update(created_at=old)
    call_command("expire_reports", stdout=StringIO())
    assert list(Report.objects.values_list("comment", "ip_address")) == [(other.pk, None)]
