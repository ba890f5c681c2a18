"""About and Contact: pages staff write in the admin, one per language, linked from every
page's footer, and carried into the static copy."""

import pytest
from django.urls import reverse
from django.utils import translation

from pages.models import Page

pytestmark = pytest.mark.django_db


def address(slug, language):
    with translation.override(language):
        return reverse("pages:page", args=[slug])


@pytest.mark.parametrize(
    ("slug", "language", "title"),
    [
        ("about", "en", "About this site"),
        ("about", "fa", "دربارهٔ این سایت"),
        ("contact", "en", "Contact"),
        ("contact", "fa", "تماس با ما"),
    ],
)
def test_about_and_contact_exist_in_each_language_from_the_start(client, slug, language, title):
    response = client.get(address(slug, language))
    assert response.status_code == 200
    content = response.content.decode()
    assert f"<h1>{title}</h1>" in content
    assert f'<html lang="{language}"' in content


@pytest.mark.parametrize("language", ["en", "fa"])
def test_every_page_footer_links_about_and_contact_in_its_language(client, language):
    with translation.override(language):
        content = client.get(reverse("statements:home")).content.decode()
    footer = content[content.index('<footer class="site-footer">') :]
    assert f'href="{address("about", language)}"' in footer
    assert f'href="{address("contact", language)}"' in footer


def test_staff_edit_about_in_the_admin_and_readers_see_it(admin_client, client):
    page = Page.objects.get(slug="about", language="en")
    response = admin_client.post(
        reverse("admin:pages_page_change", args=[page.pk]),
        {
            "slug": "about",
            "language": "en",
            "title": "Who we are",
            "body": "<p>We are <strong>many</strong>.</p><script>alert(1)</script>",
        },
    )
    assert response.status_code == 302
    content = client.get(address("about", "en")).content.decode()
    assert "<h1>Who we are</h1>" in content
    assert "<strong>many</strong>" in content and "<script>alert" not in content
    # The Persian page is a row of its own, untouched.
    assert "دربارهٔ این سایت" in client.get(address("about", "fa")).content.decode()


def test_a_page_in_one_language_only_is_shown_under_the_other_prefix(client):
    Page.objects.create(slug="press", language="en", title="Press", body="<p>Kit.</p>")
    assert "<h1>Press</h1>" in client.get(address("press", "fa")).content.decode()


def test_about_page_costs_one_query_and_is_shared_cacheable(client, django_assert_num_queries):
    client.get(address("about", "fa"))  # the site's identity is read once, then cached
    with django_assert_num_queries(1):
        response = client.get(address("about", "fa"))
    assert "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_persian_admin_names_a_pages_languages_in_persian(admin_client):
    about = Page.objects.get(slug="about", language="fa")
    form = admin_client.get(
        reverse("admin:pages_page_change", args=[about.pk]), HTTP_ACCEPT_LANGUAGE="fa"
    ).content.decode()
    assert ">فارسی<" in form
    assert ">Persian<" not in form
    assert "دربارهٔ این سایت (فارسی)" in form  # the page's name, as its title and language
