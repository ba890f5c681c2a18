"""Roles: "Moderators" may moderate comments and nothing else; staff who comment are trusted."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODERATOR_PERMISSIONS = ["view_comment", "change_comment", "delete_comment"]


def create_moderators(apps, schema_editor):
    # Permissions are normally created after all migrations; make sure they exist now.
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    comment_permissions = Permission.objects.filter(content_type__app_label="comments")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.set(comment_permissions.filter(codename__in=MODERATOR_PERMISSIONS))
    # Editors are staff: their comments need no moderation.
    trusted = comment_permissions.get(codename="post_without_moderation")
    Group.objects.get(name="Editors").permissions.add(trusted)
    moderators.permissions.add(trusted)


def remove_moderators(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0001_initial"),
        ("statements", "0002_editors_group"),
    ]
    operations = [migrations.RunPython(create_moderators, remove_moderators)]
