"""Spam reasons: from space-separated codes in a CharField to a JSON object of codes.

A CharField cannot be cast to JSON in place on PostgreSQL, so the codes go through a new
column: add it, copy (one UPDATE per distinct value), drop the old one, take its name.
"""

from django.db import migrations, models


def codes_to_json(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for value in Comment.objects.exclude(spam_reasons="").values_list(
        "spam_reasons", flat=True
    ).distinct():
        Comment.objects.filter(spam_reasons=value).update(
            spam_codes=dict.fromkeys(value.split(), True)
        )


def json_to_codes(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for comment in Comment.objects.exclude(spam_codes={}).only("spam_codes").iterator():
        Comment.objects.filter(pk=comment.pk).update(spam_reasons=" ".join(comment.spam_codes))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderators_group"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="spam_codes",
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.RunPython(codes_to_json, json_to_codes),
        migrations.RemoveField(model_name="comment", name="spam_reasons"),
        migrations.RenameField(model_name="comment", old_name="spam_codes", new_name="spam_reasons"),
        migrations.AlterField(
            model_name="comment",
            name="spam_reasons",
            field=models.JSONField(
                blank=True,
                default=dict,
                editable=False,
                help_text="Why the comment may be spam: Comment.Reason codes as keys.",
            ),
        ),
    ]
