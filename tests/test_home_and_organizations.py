"""The home page leads with the latest statement, then the recent ones, then the organizations
that sign; an organization's page shows its logo, description, website and what it signed."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from statements.models import Organization
from tests.builders import make_draft, make_organization, make_statement

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def png(size=(64, 64), extra_bytes=0):
    buffer = BytesIO()
    Image.new("RGB", size, "#0b5cad").save(buffer, "PNG")
    return buffer.getvalue() + b"\0" * extra_bytes


@pytest.fixture
def coalition():
    big = make_organization(name="Big Coalition", slug="big")
    small = make_organization(name="Alpha Group", slug="small")
    older = make_statement(title="Older statement", published_at=days_ago(9), signatories=[big])
    latest = make_statement(
        title="Latest statement here",
        summary="What the latest one says.",
        published_at=days_ago(1),
        signatories=[small, big],
    )
    return latest, older, big, small


def home(client, language="en"):
    with translation.override(language):
        return client.get(reverse("statements:home"))


def test_home_page_leads_with_the_latest_statement_then_recent_then_organizations(
    client, coalition
):
    latest = coalition[0]
    content = home(client).content.decode()
    lead = content.index('class="lead-statement"')
    assert lead < content.index("Latest statement here") < content.index("What the latest one")
    assert content.index("What the latest one") < content.index("Recent statements")
    assert content.index("Recent statements") < content.index("Older statement")
    assert content.index("Older statement") < content.index("Signatory organizations")
    # The lead names its signatories in full, in their order, with its date.
    lead_html = content[lead : content.index("Recent statements")]
    assert lead_html.index("Alpha Group") < lead_html.index("Big Coalition")
    assert f'datetime="{latest.published_at.date().isoformat()}' in lead_html


def test_home_page_lists_organizations_that_signed_most_first_with_their_counts(client, coalition):
    content = home(client).content.decode()
    organizations = content[content.index("Signatory organizations") :]
    assert organizations.index("Big Coalition") < organizations.index("Alpha Group")
    assert "2 statements" in organizations and "1 statement<" in organizations


def test_home_page_shows_only_published_statements_of_its_language(client, coalition):
    make_draft(title="Secret draft", signatories=[make_organization(name="Draft Signer")])
    make_statement(title="بیانیه‌ای فارسی", language="fa", published_at=days_ago(0))
    content = home(client).content.decode()
    assert "Latest statement here" in content
    assert "Secret draft" not in content and "Draft Signer" not in content
    assert "بیانیه‌ای فارسی" not in content
    persian = home(client, "fa").content.decode()
    assert "بیانیه‌ای فارسی" in persian and "Latest statement here" not in persian


def test_home_page_without_statements_says_so(client):
    assert "No statements have been published yet." in home(client).content.decode()


def test_home_page_queries_do_not_grow_with_statements_or_signatories(
    client, django_assert_num_queries
):
    make_statement(signatories=[make_organization()])
    # statements, their signatures, the organizations' names; the ranking of the
    # organizations that sign, them and their names; the site's identity (pages.identity)
    with django_assert_num_queries(7):
        home(client)
    for _ in range(12):
        make_statement(signatories=[make_organization() for _ in range(3)])
    cache.delete("signing-organizations:en")  # kept a few minutes (signing_organizations)
    with django_assert_num_queries(6):
        assert home(client).status_code == 200
    with django_assert_num_queries(5):  # the ranking from the cache
        assert home(client).status_code == 200


def test_organization_page_shows_logo_description_website_and_statements_newest_first(
    client, coalition
):
    _latest, older, big, _small = coalition
    big.description = "We work for peace.\n\nSince 1999."
    big.website = "https://big.example.org"
    big.logo = SimpleUploadedFile("big.png", png(), content_type="image/png")
    big.save()
    content = client.get(big.get_absolute_url()).content.decode()
    assert f'src="{big.logo.url}"' in content and 'alt="Logo of Big Coalition"' in content
    assert "<p>We work for peace.</p>" in content
    assert 'href="https://big.example.org"' in content
    assert content.index("Latest statement here") < content.index("Older statement")
    assert f'datetime="{older.published_at.date().isoformat()}' in content


def test_organization_logo_is_served_with_shared_cache_headers(client, coalition):
    big = coalition[2]
    big.logo = SimpleUploadedFile("big.png", png(), content_type="image/png")
    big.save()
    response = client.get(big.logo.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"]


def organization_form(admin_client, logo):
    return admin_client.post(
        reverse("admin:statements_organization_add"),
        {
            "name": "With a logo",
            "slug": "with-a-logo",
            "logo": logo,
            "translations-TOTAL_FORMS": "0",
            "translations-INITIAL_FORMS": "0",
        },
    )


def test_a_logo_that_is_an_image_is_accepted(admin_client):
    response = organization_form(admin_client, SimpleUploadedFile("logo.png", png()))
    assert response.status_code == 302
    assert Organization.objects.get(slug="with-a-logo").logo.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>', ""),
        ("logo.png", b"not an image at all", "Upload a valid image"),
        ("logo.png", png(extra_bytes=600 * 1024), "at most 512 KB"),
    ],
    ids=["svg", "not-an-image", "too-large"],
)
def test_a_logo_that_is_not_a_small_raster_image_is_refused_with_a_message(
    admin_client, name, content, message
):
    response = organization_form(admin_client, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["logo"])
    assert message in errors
    assert not Organization.objects.filter(slug="with-a-logo").exists()
