"""The demo content: the real statement, its Persian translation, their three signatories,
loaded idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from statements.models import Organization, Statement

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_statement_with_three_ordered_signatories(client):
    call_command("load_demo", stdout=StringIO())
    statement = Statement.objects.published().get(language="en")
    assert statement.title.startswith("There is a Feasible Opportunity")
    assert [s.organization.name for s in statement.signatures.all()] == [
        "United Republicans of Iran",
        "The Left Party of Iran (People\u2019s Fadaian)",
        "Union for Secular Republic and Human Rights in Iran",
    ]
    assert statement.signatures.last().organization.short_name == "USRHR"
    assert statement.body.count("<p>") == 13  # the demo file's thirteen paragraphs
    content = client.get(statement.get_absolute_url()).content.decode()
    assert "Political-Executive Boards of" in content
    assert "November 11, 2020" in content


def test_load_demo_loads_the_persian_edition_as_the_translation(client):
    call_command("load_demo", stdout=StringIO())
    english = Statement.objects.get(language="en")
    persian = Statement.objects.published().get(language="fa")
    assert persian.translation_of == english
    assert persian.title.startswith("فرصتی شدنی برای مذاکره")
    assert [s.organization for s in persian.signatures.all()] == [
        s.organization for s in english.signatures.all()
    ]
    content = client.get(persian.get_absolute_url()).content.decode()
    assert '<html lang="fa" dir="rtl">' in content
    assert "۲۱ آبان ۱۳۹۹" in content
    assert "هیئت‌های سیاسی-اجرایی" in content
    for name in (
        "اتحاد جمهوری‌خواهان ایران",
        "حزب چپ ایران (فدائیان خلق)",
        "اتحاد برای جمهوری سکولار و حقوق بشر در ایران",
    ):
        assert name in content
    assert "United Republicans of Iran" not in content
    assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in content


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Statement.objects.count() == 2
    assert Organization.objects.count() == 3
    assert Organization.objects.filter(translations__language="fa").count() == 3
