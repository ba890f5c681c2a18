"""Data migrations keep what the rows said."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from comments.models import Comment

BEFORE_JSON_REASONS = [("comments", "0002_moderators_group")]


def with_other_apps_at_their_latest(targets):
    """`targets`, and every other app at its latest migration: the historical models then
    match the tables of the apps the test does not move back."""
    apps = {app for app, _name in targets}
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [*targets, *(node for node in leaves if node[0] not in apps)]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_space_separated_spam_reasons_become_whole_codes():
    old_apps = migrate(with_other_apps_at_their_latest(BEFORE_JSON_REASONS))
    try:
        Statement = old_apps.get_model("statements", "Statement")
        OldComment = old_apps.get_model("comments", "Comment")
        statement = Statement.objects.create(
            title="T", slug="t", body="<p>B</p>", status="published", published_at=timezone.now()
        )
        flagged = OldComment.objects.create(
            statement=statement, name="A", text="x", html="x", spam_reasons="words too-fast"
        )
        clean = OldComment.objects.create(statement=statement, name="B", text="y", html="y")
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert Comment.objects.get(pk=flagged.pk).reasons == [
        Comment.Reason.WORDS,
        Comment.Reason.TOO_FAST,
    ]
    assert Comment.objects.get(pk=clean.pk).spam_reasons == {}
    assert [c.pk for c in Comment.objects.filter(spam_reasons__has_key="words")] == [flagged.pk]
