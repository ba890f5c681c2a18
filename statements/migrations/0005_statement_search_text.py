"""Statement.search_text: title, summary and body folded for search, filled for existing rows."""

from django.db import migrations, models

from statements.markup import plain_text
from statements.text import fold


def fill_search_text(apps, schema_editor):
    Statement = apps.get_model("statements", "Statement")
    for statement in Statement.objects.only("title", "summary", "body").iterator(chunk_size=200):
        text = fold("\n".join([statement.title, statement.summary, plain_text(statement.body)]))
        Statement.objects.filter(pk=statement.pk).update(search_text=text)


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0004_first_public_revisions"),
    ]

    operations = [
        migrations.AddField(
            model_name="statement",
            name="search_text",
            field=models.TextField(
                blank=True,
                editable=False,
                db_default="",
                help_text="Title, summary and body as plain text, folded for search "
                "(statements.text.fold); filled when saved.",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop, elidable=True),
    ]
