"""The archive's indexes: one language's published statements in date order (every list), and,
on PostgreSQL only, the stored search vectors generated from the folded text and their GIN index.

Generated columns (computed by the database from `language` and `search_text` on every write,
so never stale, whatever wrote the row) that the model does not declare: SQLite has no text
search types, and `make run` searches with a simple fallback (statements.search). The text
search configuration per language here must match statements.search.SEARCH_CONFIGS: English
stemmed as English, every other language (Persian) word for word ("simple").

Changing the type of `language` or `search_text` later means dropping these columns first
(PostgreSQL refuses to alter a column a generated column reads) and running this again.
"""

from django.db import migrations, models

CONFIG = "CASE language WHEN 'en' THEN 'english'::regconfig ELSE 'simple'::regconfig END"
HEAD_CHARACTERS = 600  # statements.search.SEARCH_HEAD_CHARACTERS

FORWARD = [
    f"""
    ALTER TABLE statements_statement
      ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector({CONFIG}, search_text)) STORED,
      ADD COLUMN search_head tsvector
        GENERATED ALWAYS AS (to_tsvector({CONFIG}, left(search_text, {HEAD_CHARACTERS}))) STORED
    """,
    "CREATE INDEX statements_statement_search_vector ON statements_statement "
    "USING gin (search_vector)",
]
BACKWARD = [
    "ALTER TABLE statements_statement DROP COLUMN search_vector, DROP COLUMN search_head",
]


def on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("statements", "0006_languages_and_translations"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                fields=["language", "status", "-published_at"],
                include=("id",),
                name="statement_listing",
            ),
        ),
        migrations.RunPython(on_postgresql(FORWARD), on_postgresql(BACKWARD)),
    ]
