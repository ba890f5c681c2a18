"""Re-render stored comments: paragraphs now carry dir="auto" and links dir="ltr", Persian
punctuation ends an address and a zero-width non-joiner stays in one (comments.formatting).

The same as `manage.py rerender_comments`, run once here so that no deployment forgets it.
"""

from django.db import migrations

from comments.formatting import render_comment


def rerender(apps, schema_editor):
    Comment = apps.get_model("comments", "Comment")
    for comment in Comment.objects.only("pk", "text", "html").iterator(chunk_size=500):
        html = render_comment(comment.text)
        if html != comment.html:
            Comment.objects.filter(pk=comment.pk).update(html=html)


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0004_moderation_at_scale"),
    ]

    operations = [
        migrations.RunPython(rerender, migrations.RunPython.noop, elidable=True),
    ]
