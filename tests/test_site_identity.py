"""The site's identity (name, tagline, footer text, logo, accent colour): staff set it in the
admin, and every page, feed and the admin itself show it, at once, without a query per page."""

import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from pages import identity
from pages.colours import contrast
from pages.models import SiteIdentity
from tests.builders import make_statement, make_user

pytestmark = pytest.mark.django_db

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
    b'<rect width="10" height="10" fill="#7a1f3d"/></svg>'
)
ADD = reverse("admin:pages_siteidentity_add")


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def identity_data(accent="#7a1f3d", **extra):
    data = {
        "accent": accent,
        "texts-TOTAL_FORMS": "2",
        "texts-INITIAL_FORMS": "0",
        "texts-MIN_NUM_FORMS": "1",
        "texts-MAX_NUM_FORMS": "1000",
        "texts-0-language": "en",
        "texts-0-name": "Civil Society Coalition",
        "texts-0-tagline": "Statements of independent organizations",
        "texts-0-footer": "Published by the member organizations.",
        "texts-1-language": "fa",
        "texts-1-name": "ائتلاف جامعه مدنی",
        "texts-1-tagline": "بیانیه‌های سازمان‌های مستقل",
        "texts-1-footer": "منتشرشده از سوی سازمان‌های عضو.",
    }
    return {**data, **extra}


@pytest.fixture
def save_identity(admin_client, django_capture_on_commit_callbacks):
    """Save the identity in the admin, as staff do (and as their transaction commits)."""

    def save(**extra):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(ADD, identity_data(**extra))
        assert response.status_code == 302, response.content.decode()[:3000]

    return save


def home(client, language):
    with translation.override(language):
        return client.get(reverse("statements:home")).content.decode()


@pytest.mark.parametrize(
    ("language", "name"), [("en", "Joint Statements"), ("fa", "بیانیه‌های مشترک")]
)
def test_with_nothing_saved_the_site_has_its_translated_default_name(client, language, name):
    page = home(client, language)
    assert f'<span class="site-name">{name}</span>' in page
    assert f'<meta property="og:site_name" content="{name}">' in page
    assert f"<title>{name}</title>" in page
    assert 'class="brand-logo"' not in page


@pytest.mark.parametrize(
    ("language", "name", "footer"),
    [
        ("en", "Civil Society Coalition", "Published by the member organizations."),
        ("fa", "ائتلاف جامعه مدنی", "منتشرشده از سوی سازمان‌های عضو."),
    ],
)
def test_saved_identity_shows_in_header_footer_and_shared_link_tags(
    admin_client, client, language, name, footer, save_identity
):
    save_identity(upload=SimpleUploadedFile("logo.svg", LOGO))
    client.logout()
    page = home(client, language)
    assert f'<span class="site-name">{name}</span>' in page
    assert f'<p class="footer-text">{footer}</p>' in page
    assert f'<meta property="og:site_name" content="{name}">' in page
    assert f'<img class="brand-logo" src="{identity.current().logo_url}" alt="">' in page
    statement = make_statement(language=language, title="On water", slug="water")
    assert (
        f"<title>On water — {name}</title>"
        in client.get(statement.get_absolute_url()).content.decode()
    )


def test_feeds_carry_the_site_name_and_tagline(admin_client, client, save_identity):
    save_identity()
    make_statement(title="On water")
    for feed in ("statements:rss", "statements:atom"):
        with translation.override("en"):
            xml = client.get(reverse(feed)).content.decode()
        assert "<title>Civil Society Coalition</title>" in xml
        assert "Statements of independent organizations</" in xml


def test_admin_header_and_title_name_the_site(admin_client, save_identity):
    save_identity(upload=SimpleUploadedFile("logo.svg", LOGO))
    page = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<span>Civil Society Coalition</span>" in page
    assert "| Civil Society Coalition</title>" in page
    assert f'<img class="identity-logo" src="{identity.current().logo_url}"' in page


def test_identity_is_read_from_the_cache_without_a_query(django_assert_num_queries):
    identity.current()
    with django_assert_num_queries(0):
        identity.current()


def test_saving_the_identity_shows_on_cached_statement_pages_at_once(
    admin_client, client, save_identity
):
    statement = make_statement(title="On water")
    url = statement.get_absolute_url()
    assert "Joint Statements</span>" in client.get(url).content.decode()
    save_identity()
    client.logout()
    statement.refresh_from_db()
    page = client.get(url).content.decode()
    assert "Civil Society Coalition</span>" in page
    assert f'href="{identity.current().stylesheet_url}"' in page


def test_the_accent_colour_reaches_the_page_through_a_stylesheet(
    admin_client, client, save_identity
):
    save_identity()
    current = identity.current()
    response = client.get(current.stylesheet_url)
    assert response["Content-Type"].startswith("text/css")
    assert "--accent: #7a1f3d;" in response.content.decode()
    assert "immutable" in response["Cache-Control"]
    # An old address (a page still cached for seconds) gets today's colours, kept briefly.
    old = client.get(reverse("identity-css", args=["0ld"]))
    assert "--accent: #7a1f3d;" in old.content.decode()
    assert "immutable" not in old["Cache-Control"]


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "background: its contrast is 1.4 to 1"),
        ("fa", "این رنگ برای خواندن روی زمینهٔ صفحه بیش از حد روشن است: تضاد آن ۱٫۴ به ۱"),
    ],
)
def test_a_colour_too_light_for_links_is_refused_in_the_staff_members_language(
    admin_client, language, message
):
    response = admin_client.post(
        ADD, identity_data(accent="#ffcc00"), HTTP_ACCEPT_LANGUAGE=language
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    # Nothing typed is lost: the names come back in the form.
    assert "Civil Society Coalition" in page and "ائتلاف جامعه مدنی" in page
    assert not SiteIdentity.objects.exists()


def test_a_colour_must_be_six_hex_digits(admin_client):
    response = admin_client.post(ADD, identity_data(accent="blue"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Enter a colour as # and six hexadecimal digits" in response.content.decode()


def test_the_contrast_check_follows_wcag():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#767676", "#ffffff"), 2) == 4.54  # the lightest AA grey on white


def png(size=(40, 20)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "#7a1f3d").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            "holds a script",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
            "holds a script",
        ),
        (
            "logo.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="https://tracker.example/p.png"/></svg>',
            "refers to another file",
        ),
        ("logo.png", b"GIF89a not a logo", "Upload the logo as an SVG or PNG file."),
        ("logo.png", b"\x89PNG\r\n\x1a\n broken", "This PNG file is damaged"),
        ("logo.svg", b"<svg" + b" " * 30_000 + b"/>", "it may be at most"),
    ],
)
def test_a_bad_logo_is_refused_with_a_reason_and_nothing_lost(admin_client, name, content, message):
    response = admin_client.post(
        ADD, identity_data(upload=SimpleUploadedFile(name, content)), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert "Civil Society Coalition" in page
    assert not SiteIdentity.objects.exists()


def test_a_png_logo_is_kept_and_served(admin_client, client, save_identity):
    save_identity(upload=SimpleUploadedFile("logo.png", png()))
    response = client.get(identity.current().logo_url)
    assert response["Content-Type"] == "image/png"
    assert response.content == png()


def test_an_svg_logo_is_served_in_a_sandbox_that_runs_no_script(
    admin_client, client, save_identity
):
    save_identity(upload=SimpleUploadedFile("logo.svg", LOGO))
    response = client.get(identity.current().logo_url)
    assert response["Content-Type"] == "image/svg+xml"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy and "script" not in policy


def test_there_is_one_identity_which_cannot_be_deleted(admin_client, save_identity):
    save_identity()
    change = reverse("admin:pages_siteidentity_change", args=[identity.SINGLETON])
    assert admin_client.get(reverse("admin:pages_siteidentity_changelist")).url == change
    assert admin_client.get(ADD).status_code == 403
    page = admin_client.get(change).content.decode()
    assert "deletelink" not in page
    delete = reverse("admin:pages_siteidentity_delete", args=[identity.SINGLETON])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert SiteIdentity.objects.count() == 1


def test_removing_the_logo(admin_client, client, save_identity, django_capture_on_commit_callbacks):
    save_identity(upload=SimpleUploadedFile("logo.svg", LOGO))
    change = reverse("admin:pages_siteidentity_change", args=[identity.SINGLETON])
    data = identity_data(remove_logo="on")
    data.update({"texts-TOTAL_FORMS": "0", "texts-MIN_NUM_FORMS": "0"})
    # The saved texts are the formset's initial forms now; send them back unchanged.
    texts = list(SiteIdentity.objects.get().texts.order_by("language"))
    data.update({"texts-TOTAL_FORMS": "2", "texts-INITIAL_FORMS": "2"})
    for n, text in enumerate(texts):
        data.update({f"texts-{n}-id": text.pk, f"texts-{n}-identity": identity.SINGLETON})
        data.update({f"texts-{n}-language": text.language, f"texts-{n}-name": text.name})
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(change, data).status_code == 302
    assert identity.current().logo_url == ""
    cache.clear()
    assert 'class="brand-logo"' not in home(client, "en")


def test_a_static_copy_holds_the_colour_and_the_logo(save_identity):
    """Where the origin is blocked, the copy must not link back to it for its look."""
    from mirror.site import public_pages

    save_identity(upload=SimpleUploadedFile("logo.svg", LOGO))
    current = identity.current()
    addresses = {page.url for page in public_pages()}
    assert {current.stylesheet_url, current.logo_url} <= addresses
