"""Each published statement has an OpenGraph image: a 1200 x 630 PNG with the site's name and its
title, Persian shaped right to left, drawn once per title and served for shared caches."""

import re
from io import BytesIO

import pytest
from django.utils import translation
from PIL import Image, features

from pages import opengraph
from tests.builders import make_draft, make_statement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_images_drawn_before(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def drawings(monkeypatch):
    """Every title drawn, in order."""
    drawn = []
    real = opengraph.draw

    def counting(title, *args):
        drawn.append(title)
        return real(title, *args)

    monkeypatch.setattr(opengraph, "draw", counting)
    return drawn


def ink_box(png):
    """The box around everything drawn between the accent bands."""
    image = Image.open(BytesIO(png)).convert("L")
    inner = image.crop((0, 20, image.width, image.height - 16))
    return inner.point(lambda value: 255 if value < 128 else 0).getbbox()


def test_pillow_lays_text_out_with_raqm():
    """Without raqm, Persian would be drawn with its letters unjoined and in reverse order.
    Debian: apt-get install libraqm0 (Pillow's wheels bundle raqm but load FriBiDi from it)."""
    assert features.check("raqm"), "install libraqm0 / libfribidi0 (see .ci/run)"


def test_statement_page_names_its_image_for_link_previews(client):
    statement = make_statement(title="Peace & talks")
    content = client.get(statement.get_absolute_url()).content.decode()
    image = f"http://testserver{statement.get_absolute_url()}image.png"
    assert f'<meta property="og:image" content="{image}">' in content
    assert '<meta property="og:image:width" content="1200">' in content
    assert '<meta property="og:image:height" content="630">' in content
    assert '<meta property="og:image:alt" content="Peace &amp; talks">' in content
    assert '<meta name="twitter:card" content="summary_large_image">' in content


def test_image_is_a_1200_by_630_png_served_for_shared_caches(client):
    statement = make_statement(title="Water for all")
    response = client.get(opengraph.image_url(statement))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "public" in response["Cache-Control"] and "s-maxage" in response["Cache-Control"]
    image = Image.open(BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (1200, 630))


def test_image_is_drawn_once_per_title_not_per_request(client, drawings, django_assert_num_queries):
    statement = make_statement(title="Water for all")
    first = client.get(opengraph.image_url(statement)).content
    with django_assert_num_queries(1):  # the statement; the image is read from storage
        again = client.get(opengraph.image_url(statement)).content
    assert again == first and drawings == ["Water for all"]
    statement.title = "Water and bread for all"
    statement.save()
    changed = client.get(opengraph.image_url(statement)).content
    assert changed != first and drawings == ["Water for all", "Water and bread for all"]


def test_drafts_have_no_image(client):
    draft = make_draft(title="Not yet")
    assert client.get(opengraph.image_url(draft)).status_code == 404
    with translation.override("en"):
        assert "og:image" not in client.get(draft.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("language", "title", "side"),
    [("fa", "فرصتی شدنی برای مذاکره", "right"), ("en", "A feasible opportunity", "left")],
)
def test_title_starts_on_its_languages_side(language, title, side):
    left, _top, right, _bottom = ink_box(opengraph.draw(title, "Joint Statements", language))
    if side == "right":
        assert right >= opengraph.WIDTH - opengraph.MARGIN - 4 and left > 300
    else:
        assert left <= opengraph.MARGIN + 4 and right < 900


def test_persian_letters_are_joined():
    """Shaped, بیانیه is one connected word, much narrower than its six letters apart."""
    font = opengraph._font(60)
    joined = font.getlength("بیانیه", direction="rtl", language="fa")
    apart = sum(font.getlength(letter, direction="rtl", language="fa") for letter in "بیانیه")
    assert joined < 0.8 * apart


def test_a_very_long_title_ends_in_an_ellipsis_within_the_image():
    png = opengraph.draw("word " * 200, "Joint Statements", "en")
    left, _top, right, bottom = ink_box(png)
    assert left >= opengraph.MARGIN - 4 and right <= opengraph.WIDTH - opengraph.MARGIN + 4
    assert bottom < 630 - 40


def test_image_address_is_beside_the_statements():
    statement = make_statement(slug="water")
    assert re.fullmatch(
        r"/en/statements/\d{4}/\d{2}/water/image\.png", opengraph.image_url(statement)
    )


def test_image_is_drawn_again_in_the_sites_new_colour_and_name(client, drawings):
    from django.core.cache import cache

    from pages.models import SiteIdentity, SiteText

    statement = make_statement(title="Water for all")
    url = opengraph.image_url(statement)
    before = client.get(url).content
    site = SiteIdentity.objects.create(pk=1, accent="#8a1538")
    cache.clear()  # as pages.identity.identity_changed does after the admin saves
    recoloured = client.get(url).content
    assert Image.open(BytesIO(recoloured)).convert("RGB").getpixel((600, 5)) == (138, 21, 56)
    SiteText.objects.create(identity=site, language="en", name="Coalition for Water")
    cache.clear()
    renamed = client.get(url).content
    assert len({before, recoloured, renamed}) == 3 and len(drawings) == 3
