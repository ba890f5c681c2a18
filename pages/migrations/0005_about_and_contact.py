"""The About and Contact pages in both languages, so that the footer's links work on every
site from its first `migrate` (as "How to reach us" does), not only where the demo is loaded.
Staff rewrite them in the admin (Pages); running the migration again changes nothing."""

from django.db import migrations

PAGES = {
    ("about", "en"): (
        "About this site",
        "<p>This site publishes joint statements: texts that several organizations write and "
        "sign together. Each statement lists its signatories, the date it was published and, "
        "when it is corrected, every public revision with a fingerprint to check a copy.</p>\n"
        "<p>Readers may comment. A comment appears only after a moderator approves it; "
        "<em>How we moderate comments</em> says how, with figures.</p>\n"
        "<h2>Who we are</h2>\n"
        "<p>The editors of the signatory organizations keep this site. Their pages list the "
        "statements each has signed.</p>",
    ),
    ("about", "fa"): (
        "دربارهٔ این سایت",
        "<p>این سایت بیانیه‌های مشترک را منتشر می‌کند: متن‌هایی که چند سازمان با هم می‌نویسند "
        "و امضا می‌کنند. هر بیانیه امضاکنندگان و تاریخ انتشارش را نشان می‌دهد و اگر اصلاح "
        "شود، همهٔ ویرایش‌های عمومی‌اش را با اثر انگشتی برای وارسی هر رونوشت.</p>\n"
        "<p>خوانندگان می‌توانند دیدگاه بنویسند. هر دیدگاه پس از تأیید یک ناظر نمایش داده "
        "می‌شود؛ صفحهٔ <em>دیدگاه‌ها را چگونه بررسی می‌کنیم</em> روش کار را با آمار نشان "
        "می‌دهد.</p>\n"
        "<h2>ما که هستیم</h2>\n"
        "<p>ویراستاران سازمان‌های امضاکننده این سایت را نگه می‌دارند. صفحهٔ هر سازمان "
        "بیانیه‌هایی را که امضا کرده فهرست می‌کند.</p>",
    ),
    ("contact", "en"): (
        "Contact",
        "<p>To write to the editors (a correction, a question about a statement, an "
        "organization that wants to sign), send an e-mail to the address below. We answer "
        "in Persian or English.</p>\n"
        "<ul>\n<li>E-mail: editors@example.org</li>\n</ul>\n"
        "<p>Do not send anything that could put you at risk by ordinary e-mail. To comment "
        "on a statement, use the form under it.</p>",
    ),
    ("contact", "fa"): (
        "تماس با ما",
        "<p>برای نوشتن به ویراستاران (یک اصلاح، پرسشی دربارهٔ یک بیانیه، سازمانی که "
        "می‌خواهد امضا کند) به نشانی زیر ایمیل بفرستید. به فارسی یا انگلیسی پاسخ "
        "می‌دهیم.</p>\n"
        "<ul>\n<li>ایمیل: editors@example.org</li>\n</ul>\n"
        "<p>چیزی را که ممکن است شما را به خطر بیندازد با ایمیل معمولی نفرستید. برای نوشتن "
        "دیدگاه دربارهٔ یک بیانیه، از فرم زیر آن استفاده کنید.</p>",
    ),
}


def create_pages(apps, schema_editor):
    Page = apps.get_model("pages", "Page")
    for (slug, language), (title, body) in PAGES.items():
        Page.objects.get_or_create(
            slug=slug, language=language, defaults={"title": title, "body": body}
        )


def remove_pages(apps, schema_editor):
    apps.get_model("pages", "Page").objects.filter(slug__in=["about", "contact"]).delete()


class Migration(migrations.Migration):
    dependencies = [("pages", "0004_labels")]
    operations = [migrations.RunPython(create_pages, remove_pages)]
