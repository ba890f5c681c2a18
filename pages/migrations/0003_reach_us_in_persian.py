"""The "How to reach us" page in Persian, the site's first language."""

from django.db import migrations

BODY = (
    "<p>اگر این سایت در جایی که هستید مسدود است، باز هم می‌توانید آن را بخوانید:</p>\n"
    "<ul>\n"
    "<li>در یک رونوشت از سایت (آینه)، در هر یک از نشانی‌های زیر؛</li>\n"
    "<li>از راه نشانی پیازی آن، در مرورگر تور؛</li>\n"
    "<li>در یک خبرخوان، که هر بیانیه را کامل دریافت می‌کند.</li>\n"
    "</ul>\n"
    "<h2>آینه‌ها</h2>\n"
    "<p>ویراستاران نشانی رونوشت‌های کنونی سایت را این‌جا فهرست می‌کنند.</p>"
)


def create_page(apps, schema_editor):
    apps.get_model("pages", "Page").objects.get_or_create(
        slug="reach-us", language="fa", defaults={"title": "راه‌های دسترسی به ما", "body": BODY}
    )


def remove_page(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(slug="reach-us", language="fa").delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0002_reach_us")]
    operations = [migrations.RunPython(create_page, remove_page)]
