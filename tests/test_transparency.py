"""A public page says how comments are moderated, with monthly figures and how to appeal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from tests.builders import make_comment, make_statement

pytestmark = pytest.mark.django_db

PAGE = "/en/moderation/"  # the English page; reverse() at import would give the default language


def test_monthly_counts_of_received_published_rejected_and_spam(client):
    statement = make_statement()
    for status, n in [("approved", 3), ("rejected", 2), ("spam", 4), ("pending", 1)]:
        for _ in range(n):
            make_comment(statement, status=status)
    last_month = make_comment(statement, status="approved")
    Comment.objects.filter(pk=last_month.pk).update(
        created_at=timezone.now().replace(day=1) - timedelta(days=3)
    )
    content = client.get(PAGE).content.decode()
    this_month = timezone.now().strftime("%B %Y")
    row = content[content.index(this_month) :].split("</tr>")[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells == ["10", "3", "2", "4", "1"]
    assert content.count("<tr>") == 3  # header, this month, last month


def test_page_states_the_rules_and_how_to_appeal(client, settings):
    settings.MODERATION_CONTACT_EMAIL = "appeals@example.org"
    settings.COMMENTS_REPORTS_TO_HIDE = 4
    content = client.get(PAGE).content.decode()
    assert "How to appeal a decision" in content
    assert 'href="mailto:appeals@example.org"' in content
    assert "When 4 readers report it, it is hidden" in content


def test_page_is_public_and_shareable(client):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert "Cookie" not in response.get("Vary", "")


def test_every_page_links_to_it(client):
    assert f'href="{PAGE}"' in client.get(reverse("statements:home")).content.decode()


def test_persian_page_writes_figures_and_months_in_persian(client):
    from django.utils import translation

    statement = make_statement()
    for _ in range(12):
        make_comment(statement, status="approved")
    with translation.override("fa"):
        url = reverse("comments:transparency")
    content = client.get(url).content.decode()
    assert "۱۲" in content and ">12<" not in content
    assert "هر ۱۰ دقیقه ۵" in content  # the rules' own numbers too
    from statements.formats import PERSIAN_GREGORIAN_MONTHS

    assert PERSIAN_GREGORIAN_MONTHS[timezone.now().month - 1] in content
