"""The Persian catalog is complete and compiled, and Persian pages carry no English interface
words: every label, button, message and error a Persian reader meets is in Persian."""

import gettext
import re
from html.parser import HTMLParser

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from statements.revisions import record_public_revision
from tests.builders import (
    give_second_factor,
    make_comment,
    make_organization,
    make_statement,
    make_user,
    solved_comment_data,
)

CATALOG = settings.BASE_DIR / "locale" / "fa" / "LC_MESSAGES"

# Latin words a Persian page may show: names of formats and things that have no Persian name.
ALLOWED_LATIN = {"RSS", "Atom", "English", "http", "https", "HTML", "IP", "SHA", "diff"}
# Elements whose text is not the interface's words: scripts, styles, and code (a shell command,
# a fingerprint).
CONTENT = {"script", "style", "code", "pre"}


def test_every_persian_message_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(CATALOG / "django.po"))
    assert catalog.untranslated_entries() == []
    assert catalog.fuzzy_entries() == []


def test_compiled_persian_catalog_matches_its_source():
    """locale/fa/LC_MESSAGES/django.mo is committed (a fresh clone shows Persian with no
    extra step); it must say what django.po says. After editing the .po: `make messages`."""
    catalog = polib.pofile(str(CATALOG / "django.po"))
    with open(CATALOG / "django.mo", "rb") as compiled:
        mo = gettext.GNUTranslations(compiled)
    for entry in catalog.translated_entries():
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            assert mo.ngettext(key, entry.msgid_plural, 1) == entry.msgstr_plural[0], key
        else:
            assert mo.gettext(key) == entry.msgstr, key


class VisibleText(HTMLParser):
    """The words of a page a person sees or hears: text, and the attributes read aloud or shown."""

    ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "value", "content"}

    def __init__(self):
        super().__init__()
        self.words, self.skipping = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in CONTENT or attrs.get("data-content") is not None:
            self.skipping.append(tag)
        if self.skipping or tag in {"html", "link"}:
            return
        if tag == "meta" and attrs.get("name") != "description":
            return
        if attrs.get("type") not in {"submit", "button", "reset"}:
            attrs.pop("value", None)  # a button's value is its label; any other value is data
        for name in self.ATTRIBUTES & set(attrs):
            self.words.append(attrs[name] or "")

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        if not self.skipping:
            self.words.append(data)


def english_words(html, content=()):
    """Latin-letter words in the visible interface of `html`, less the allowed ones and the
    given content (titles, names, comments written in other languages)."""
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.words)
    for written in content:
        text = text.replace(written, " ")
    text = re.sub(r"https?://\S+|\S+@\S+", " ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]{2,}", text) if w not in ALLOWED_LATIN})


@pytest.fixture
def persian_site(db):
    organization = make_organization(name="Union", short_name="U", website="https://u.example.org/")
    organization.translations.create(language="fa", name="اتحاد", description="سازمانی مدنی.")
    statement = make_statement(
        title="بیانیهٔ مشترک",
        slug="joint",
        language="fa",
        summary="چکیده.",
        body="<p>متن بیانیه.</p>",
        signatories=[organization],
    )
    record_public_revision(statement)
    make_comment(statement, name="خواننده", text="نظری با نشانی https://example.org/fa/x")
    statement.comment_count = 1
    statement.save()
    return statement


def persian_pages(client, statement):
    def fa(name, *args):
        with translation.override("fa"):
            return reverse(name, args=args)

    comment_url = statement.get_comment_url()
    yield "home", client.get(fa("statements:home"))
    yield "list", client.get(fa("statements:list"))
    yield "year", client.get(fa("statements:year", statement.published_at.year))
    yield "statement", client.get(statement.get_absolute_url())
    yield "organization", client.get(statement.signatories.get().get_absolute_url("fa"))
    yield "search", client.get(fa("statements:search"), {"q": "بیانیه"})
    yield "search-nothing", client.get(fa("statements:search"), {"q": "هیچ"})
    yield "comment-form", client.get(comment_url)
    yield "comment-fragment", client.get(fa("comments:form", statement.pk))
    yield "comment-errors", client.post(comment_url, {"name": "", "text": "", "email": "x"})
    reader = {"name": "آدا", "text": "دیدگاهی سنجیده."}
    data = solved_comment_data(client, statement, homepage="ftp://nope", **reader)
    yield "comment-bad-homepage", client.post(comment_url, data)
    data = solved_comment_data(client, statement, captcha_1="wrong", **reader)
    yield "comment-wrong-captcha", client.post(comment_url, data)
    data = solved_comment_data(client, statement, **reader)
    posted = client.post(comment_url, data, follow=True)
    yield "comment-posted", posted
    yield "history", client.get(statement.get_history_url())
    yield "transparency", client.get(fa("comments:transparency"))
    comment = statement.comments.approved().first()
    yield "report", client.get(fa("comments:report", comment.pk))
    yield "404", client.get("/fa/nothing/here/")
    yield "404-unknown-prefix", client.get("/xx/statements/")


def latin_digits(html):
    """Figures written with Latin digits in the visible interface of `html` (addresses and the
    fingerprint's name, SHA-256, aside)."""
    parser = VisibleText()
    parser.feed(html)
    text = re.sub(r"https?://\S+|\S+@\S+|SHA-256", " ", " ".join(parser.words))
    return sorted(set(re.findall(r"[0-9]+", text)))


@pytest.mark.django_db
def test_persian_pages_write_figures_in_persian_digits(client, persian_site):
    leftovers = {}
    for name, response in persian_pages(client, persian_site):
        if digits := latin_digits(response.content.decode()):
            leftovers[name] = digits
    assert leftovers == {}


@pytest.mark.django_db
def test_persian_pages_have_no_english_interface_words(client, persian_site):
    leftovers = {}
    for name, response in persian_pages(client, persian_site):
        assert response.status_code in (200, 400, 404), (name, response.status_code)
        html = response.content.decode()
        if "<html" in html:
            assert 'lang="fa" dir="rtl"' in html, name
        words = english_words(html, content=["Union", " U "])
        if words:
            leftovers[name] = words
    assert leftovers == {}


@pytest.mark.django_db
def test_persian_error_pages_are_in_persian(client, settings, monkeypatch):
    from django.db import OperationalError

    def broken(exception):
        def fail(*args, **kwargs):
            raise exception

        return fail

    from django.test import Client

    server = Client(raise_request_exception=False)
    with translation.override("fa"):
        home = reverse("statements:home")
    for exception, status in ((RuntimeError("x"), 500), (OperationalError("connection"), 503)):
        monkeypatch.setattr("statements.views.HomeView.get_queryset", broken(exception))
        response = server.get(home)
        assert response.status_code == status
        html = response.content.decode()
        assert 'lang="fa" dir="rtl"' in html
        assert english_words(html) == [], status


@pytest.mark.django_db
def test_a_form_sent_without_the_sites_cookie_is_refused_in_the_readers_language(persian_site):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(persian_site.get_comment_url(), {"name": "آدا", "text": "دیدگاه"})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'lang="fa" dir="rtl"' in html
    assert "فرم فرستاده نشد" in html
    assert english_words(html) == []


def test_the_check_finds_english_left_in_a_persian_page():
    page = '<html lang="fa"><body><h1>سلام</h1><button>Send</button><img alt="Logo"></body></html>'
    assert english_words(page) == ["Logo", "Send"]


@pytest.mark.django_db
def test_moderators_are_emailed_in_the_sites_default_language(
    client, persian_site, settings, run_tasks
):
    from django.core import mail

    from tests.builders import make_user

    settings.SITE_DEFAULT_LANGUAGE = "fa"
    make_user("mod", groups=["Moderators"], email="mod@example.org")
    data = solved_comment_data(client, persian_site, name="آدا", text="دیدگاهی سنجیده.")
    client.post(persian_site.get_comment_url(), data)
    run_tasks()
    message = mail.outbox[0]
    assert "دیدگاه تازه در انتظار بررسی" in message.subject
    assert "نشانه‌های هرزنامه" in message.body
    assert english_words(message.body, content=["mod"]) == []


# Words of Django's own admin that its Persian catalog leaves in English, and the staff site's
# name (staff/sites.py): not ours to translate here.
ADMIN_LATIN = {"Breadcrumbs", "Model", "name", "Search", "Select", "this", "object", "for", "an"}
ADMIN_LATIN |= {"action", "Joint", "Statements", "staff", "Esc", "True"}


@pytest.mark.django_db
def test_persian_moderation_queue_has_no_english_labels(client, moderator, persian_site):
    comment = make_comment(
        persian_site, status="pending", name="خواننده", text="دیدگاهی تازه.", returning_author=True
    )
    comment.reasons = ["links"]
    comment.save()
    queue = reverse("admin:comments_comment_changelist")
    pages = {
        "queue": client.get(queue, HTTP_ACCEPT_LANGUAGE="fa"),
        "comment": client.get(
            reverse("admin:comments_comment_change", args=[comment.pk]), HTTP_ACCEPT_LANGUAGE="fa"
        ),
        "approved": client.post(
            queue,
            {"action": "approve", "_selected_action": [comment.pk]},
            HTTP_ACCEPT_LANGUAGE="fa",
            follow=True,
        ),
    }
    leftovers = {
        name: words
        for name, response in pages.items()
        if (
            words := set(
                english_words(response.content.decode(), content=[" U ", moderator.username])
            )
            - ADMIN_LATIN
        )
    }
    assert leftovers == {}
    assert "۱ دیدگاه پذیرفته شد." in pages["approved"].content.decode()
    queue = pages["queue"].content.decode()
    assert "<title>دیدگاه‌ها — ۱ در انتظار" in queue  # counts in Persian digits
    assert "۳۰ ثانیه" in queue


@pytest.mark.django_db
def test_persian_admin_home_names_every_section_in_persian(client):
    # Two libraries name their sections in English only (django-axes "Axes", django-tasks-db
    # "Tasks Database Backend"): staff/apps.py names them for the staff member.
    superuser = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(superuser)
    give_second_factor(client, superuser)
    home = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    assert "تلاش‌های ورود" in home
    assert "کارهای پس‌زمینه" in home
    assert set(english_words(home, content=[superuser.username])) - ADMIN_LATIN == set()
