"""The "How to reach us" page, so that the footer's link works from the start; Editors may
edit pages."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

BODY = (
    "<p>Where this site is blocked, you can still read it:</p>\n"
    "<ul>\n"
    "<li>through a copy of the site (a mirror), at any of the addresses below;</li>\n"
    "<li>through its onion address, in Tor Browser;</li>\n"
    "<li>in a feed reader, which receives every statement in full.</li>\n"
    "</ul>\n"
    "<h2>Mirrors</h2>\n"
    "<p>The editors list the current copies of the site here.</p>"
)


def create_page(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    Page.objects.get_or_create(
        slug="reach-us", language="en", defaults={"title": "How to reach us", "body": BODY}
    )
    app_config = apps.get_app_config("pages")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="pages", codename__in=["add_page", "change_page", "view_page"]
        )
    )


def remove_page(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(slug="reach-us").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("statements", "0002_editors_group"),
    ]
    operations = [migrations.RunPython(create_page, remove_page)]
