"""The demo content: the real statement, its three signatories, loaded idempotently."""

from io import StringIO

import pytest
from django.core.management import call_command

from statements.models import Organization, Statement

pytestmark = pytest.mark.django_db


def test_load_demo_creates_the_statement_with_three_ordered_signatories(client):
    call_command("load_demo", stdout=StringIO())
    statement = Statement.objects.published().get()
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


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert Statement.objects.count() == 1
    assert Organization.objects.count() == 3
