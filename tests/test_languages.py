"""Two languages under their own prefixes: addresses, redirects, caching, lang and dir,
alternates and the language switcher, and each language's own lists, feeds and search."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse
from django.utils import translation

from tests.builders import (
    make_comment,
    make_organization,
    make_statement,
    statement_form_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    organization = make_organization(name="Union for Peace", short_name="UFP", slug="ufp")
    organization.translations.create(language="fa", name="اتحاد برای صلح", short_name="")
    return organization


@pytest.fixture
def english(organization):
    return make_statement(
        title="On peace",
        slug="on-peace",
        published_at=datetime(2020, 11, 11, 12, tzinfo=UTC),
        signatories=[organization],
    )


@pytest.fixture
def persian(english, organization):
    return make_statement(
        title="دربارهٔ صلح",
        slug="on-peace",
        body="<p>ما خواهان صلح هستیم.</p>",
        language="fa",
        translation_of=english,
        published_at=english.published_at,
        signatories=[organization],
    )


def in_language(code, name, *args):
    with translation.override(code):
        return reverse(name, args=args)


def test_site_root_goes_to_the_default_language_for_everyone(client, settings):
    settings.SITE_DEFAULT_LANGUAGE = "fa"
    answers = [
        client.get("/"),
        client.get("/", headers={"accept-language": "en-US,en;q=0.9"}),
        client.get("/", headers={"cookie": "django_language=en"}),
    ]
    for response in answers:
        assert response.status_code == 302
        assert response["Location"] == "/fa/"
        assert "public" in response["Cache-Control"]
        assert "Vary" not in response or "Cookie" not in response["Vary"]
        assert "Accept-Language" not in response.get("Vary", "")
        assert not response.cookies


def test_site_root_follows_the_default_language_setting(client, settings):
    settings.SITE_DEFAULT_LANGUAGE = "en"
    assert client.get("/")["Location"] == "/en/"


@pytest.mark.parametrize(
    "old",
    [
        "/statements/",
        "/statements/2020/11/on-peace/",
        "/statements/2020/11/on-peace/comment/",
        "/organizations/ufp/",
        "/search/?q=peace",
        "/feeds/rss/",
        "/feeds/atom/",
    ],
)
def test_addresses_from_before_the_prefixes_redirect_permanently_to_english(client, english, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == "/en" + old
    assert "public" in response["Cache-Control"]
    assert client.get(response["Location"]).status_code == 200


def test_unknown_language_prefix_is_a_404_in_the_default_language(client, english):
    response = client.get("/de/statements/")
    assert response.status_code == 404
    content = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in content
    assert "صفحه پیدا نشد" in content


def test_404_under_a_language_prefix_speaks_that_language(client):
    response = client.get("/en/nothing-here/")
    assert response.status_code == 404
    assert '<html lang="en" dir="ltr">' in response.content.decode()


@pytest.mark.parametrize(("code", "direction"), [("fa", "rtl"), ("en", "ltr")])
def test_every_page_names_its_language_and_direction(client, english, persian, code, direction):
    statement = persian if code == "fa" else english
    for url in (
        in_language(code, "statements:home"),
        in_language(code, "statements:list"),
        in_language(code, "statements:year", 2020),
        statement.get_absolute_url(),
        statement.get_comment_url(),
        english.signatories.first().get_absolute_url(code),
        in_language(code, "statements:search") + "?q=x",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{code}" dir="{direction}">' in response.content.decode(), url
        assert response["Content-Language"] == code


def test_statement_page_links_its_editions_with_hreflang_and_x_default(client, english, persian):
    content = client.get(english.get_absolute_url()).content.decode()
    host = "http://testserver"
    assert f'<link rel="alternate" hreflang="en" href="{host}{english.get_absolute_url()}">' in (
        content
    )
    assert f'<link rel="alternate" hreflang="fa" href="{host}{persian.get_absolute_url()}">' in (
        content
    )
    assert (
        f'<link rel="alternate" hreflang="x-default" href="{host}{persian.get_absolute_url()}">'
        in content
    )


def test_language_switcher_goes_to_the_same_statement_in_the_other_language(
    client, english, persian
):
    content = client.get(english.get_absolute_url()).content.decode()
    switcher = re.search(r'<nav class="languages".*?</nav>', content, re.S).group(0)
    assert f'href="{persian.get_absolute_url()}"' in switcher
    assert 'lang="fa"' in switcher and "فارسی" in switcher
    back = client.get(persian.get_absolute_url()).content.decode()
    assert f'href="{english.get_absolute_url()}"' in back


def test_language_switcher_goes_home_where_the_statement_has_no_such_edition(client, english):
    content = client.get(english.get_absolute_url()).content.decode()
    switcher = re.search(r'<nav class="languages".*?</nav>', content, re.S).group(0)
    assert 'href="/fa/"' in switcher
    assert 'hreflang="fa"' not in re.sub(r'<nav class="languages".*?</nav>', "", content)


def test_a_translation_saved_in_the_admin_shows_on_the_cached_source_page(
    client, admin_client, english
):
    assert 'href="/fa/"' in client.get(english.get_absolute_url()).content.decode()  # cached
    data = statement_form_data(english, title="ترجمه", language="fa", translation_of=english.pk)
    data["signatures-TOTAL_FORMS"] = data["signatures-INITIAL_FORMS"] = "0"
    data["_publish"] = "1"
    response = admin_client.post(reverse("admin:statements_statement_add"), data)
    assert response.status_code == 302
    persian = english.translations.get()
    content = client.get(english.get_absolute_url()).content.decode()
    assert f'href="{persian.get_absolute_url()}"' in content


def test_other_pages_switch_to_the_same_page_in_the_other_language(client, english, persian):
    content = client.get(in_language("en", "statements:list")).content.decode()
    assert 'href="/fa/statements/"' in content
    content = client.get(in_language("fa", "statements:year", 2020)).content.decode()
    assert 'href="/en/statements/2020/"' in content


def test_a_statement_is_only_at_its_own_languages_address(client, english):
    with translation.override("fa"):
        url = reverse("statements:detail", args=[2020, "11", english.slug])
    assert url.startswith("/fa/")
    assert client.get(url).status_code == 404


def test_each_language_lists_and_feeds_its_own_statements(client, english, persian):
    for code, mine, other in (("en", english, persian), ("fa", persian, english)):
        for name in ("statements:home", "statements:list", "statements:rss", "statements:atom"):
            content = client.get(in_language(code, name)).content.decode()
            assert mine.title in content, (code, name)
            assert other.title not in content, (code, name)


def test_feeds_say_their_language(client, english):
    assert (
        "<language>fa</language>"
        in client.get(in_language("fa", "statements:rss")).content.decode()
    )
    assert 'xml:lang="en"' in client.get(in_language("en", "statements:atom")).content.decode()


def test_search_finds_statements_in_the_pages_language_only(client, english, persian):
    english.body = "<p>صلح and peace</p>"
    english.save()
    persian.body = "<p>صلح</p>"
    persian.save()
    content = client.get(in_language("fa", "statements:search"), {"q": "صلح"}).content.decode()
    assert persian.get_absolute_url() in content
    assert english.get_absolute_url() not in content


def test_organization_shows_its_name_in_the_pages_language(client, english, persian):
    organization = english.signatories.get()
    fa_page = client.get(organization.get_absolute_url("fa")).content.decode()
    assert "<h1>اتحاد برای صلح</h1>" in fa_page
    assert "UFP" not in fa_page  # the Persian name is taken whole, without the English acronym
    en_page = client.get(organization.get_absolute_url("en")).content.decode()
    assert "Union for Peace" in en_page and "اتحاد برای صلح" not in en_page
    assert "اتحاد برای صلح" in client.get(persian.get_absolute_url()).content.decode()


def test_sitemap_lists_every_edition_with_its_alternates(client, english, persian):
    content = client.get(reverse("sitemap")).content.decode()
    host = "http://testserver"
    for statement in (english, persian):
        assert f"<loc>{host}{statement.get_absolute_url()}</loc>" in content
        assert (
            f'<xhtml:link rel="alternate" hreflang="{statement.language}" '
            f'href="{host}{statement.get_absolute_url()}"/>'
        ) in content
    assert f"<loc>{host}/fa/statements/</loc>" in content


def test_public_pages_do_not_vary_by_cookie_or_accept_language(client, english, persian):
    for url in (persian.get_absolute_url(), "/fa/", "/en/statements/", reverse("sitemap")):
        response = client.get(url, headers={"cookie": "django_language=en"})
        vary = response.get("Vary", "")
        assert "Cookie" not in vary and "Accept-Language" not in vary, url
        assert "public" in response["Cache-Control"], url


def test_persian_pages_write_dates_in_the_solar_hijri_calendar_with_persian_digits(
    client, english, persian
):
    make_comment(persian, text="نظر")
    content = client.get(persian.get_absolute_url()).content.decode()
    assert "۲۱ آبان ۱۳۹۹" in content
    # Addresses (the printed page's own, left to right) are written as they are.
    content = re.sub(r'<span dir="ltr">[^<]*</span>', "", content)
    text = re.sub(r"<[^>]*>", "", re.sub(r"<script.*?</script>", "", content, flags=re.S))
    # Neither the statement's date nor the comment's (today) in Latin digits or month names.
    assert "November" not in text and not re.search(r"[0-9]", text)
    assert "November 11, 2020" in client.get(english.get_absolute_url()).content.decode()


def test_comment_times_name_the_time_zone(client, english, settings):
    settings.TIME_ZONE = "Asia/Tehran"
    make_comment(english, text="Hello")
    content = client.get(english.get_absolute_url()).content.decode()
    assert re.search(r"at \d\d:\d\d \+0330", content), "the time zone is named"


def test_preview_opens_under_the_statements_own_language(client, admin_client, persian):
    response = admin_client.get(in_language("en", "statements:preview", persian.pk))
    assert response.status_code == 302
    assert response["Location"] == persian.get_preview_url()
    assert persian.get_preview_url().startswith("/fa/")


def test_staff_pages_follow_the_browsers_language(admin_client):
    persian = admin_client.get(reverse("admin:index"), headers={"accept-language": "fa"})
    assert 'lang="fa"' in persian.content.decode()
    english = admin_client.get(reverse("admin:index"), headers={"accept-language": "en"})
    assert 'lang="en"' in english.content.decode()


def test_the_stylesheet_uses_logical_properties_only():
    """One stylesheet serves both directions: no left/right anywhere (margin-left,
    padding-right, border-left, text-align: left, float: right, left: 0, …)."""
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    physical = re.findall(
        r"[\w-]*(?:-left|-right)\s*:|(?<![\w-])(?:left|right)\s*:|"
        r"(?:text-align|float|clear)\s*:\s*(?:left|right)|"
        r"(?:margin|padding|border)-(?:top|bottom)\s*:",
        css,
    )
    assert physical == []


def test_persian_font_is_self_hosted_small_and_swapped():
    from django.conf import settings

    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    face = re.search(r"@font-face\s*{(.*?)}", css, re.S).group(1)
    assert "font-display: swap" in face
    source = re.search(r'url\("\.\./(fonts/[^"]+)"\)', face).group(1)
    assert "//" not in source  # nothing from a third-party host
    font = settings.BASE_DIR / "static" / source
    assert font.stat().st_size <= 60 * 1024
    assert "unicode-range" in face  # English pages never fetch it


def test_the_comment_page_switches_to_the_other_editions_statement_page(client, english):
    content = client.get(english.get_comment_url()).content.decode()
    switcher = re.search(r'<nav class="languages".*?</nav>', content, re.S).group(0)
    assert 'href="/fa/"' in switcher  # no Persian edition: that language's home
