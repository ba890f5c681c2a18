"""The OpenGraph image of a statement: a 1200 x 630 PNG with the site's name and the statement's
title, what a link preview shows (messengers, social networks).

Drawn with Pillow, once per statement title, site name and design (the file's name holds a
digest of them), and kept in the default storage (MEDIA_ROOT/opengraph/): a crawler's request
reads a file, and a title edited reaches the image at once, under a new name.

Persian is shaped and laid out right to left by Pillow's raqm layout (libraqm with FriBiDi
and HarfBuzz); without it Persian letters would be drawn unjoined and in the wrong order, so
`draw` refuses to work without it rather than draw that. The font is Vazirmatn Bold, subset
to Latin and Arabic script (pages/fonts/, made by `make fonts`; the site's own web fonts are
split by script, and Pillow has no fallback from one font file to another).
"""

import hashlib
from functools import cache
from io import BytesIO
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont, features

from pages import identity

WIDTH, HEIGHT = 1200, 630
FONT = Path(__file__).resolve().parent / "fonts" / "vazirmatn-bold-opengraph.woff2"
# Change when the drawing changes: every image is drawn again under a new name.
DESIGN = 1
MARGIN = 80
BACKGROUND, TEXT, MUTED, ACCENT = "#ffffff", "#1d1d1f", "#5a5a60", "#0b5cad"
TITLE_SIZES = (68, 58, 50, 44)  # the largest that fits in TITLE_LINES lines
TITLE_LINES = 5
RIGHT_TO_LEFT = {"fa", "ar", "he", "ur", "ckb", "ps"}


class LayoutUnavailable(RuntimeError):
    """Pillow was built without raqm: right-to-left text cannot be drawn correctly."""


def site_identity(language):
    """The site's name and accent colour as its pages show them in `language`
    (pages.identity)."""
    with translation.override(language):
        site = identity.current(language)
    return site.name, site.accent


def image_for(statement):
    """The PNG bytes of `statement`'s image, drawn the first time and read after that."""
    name, accent = site_identity(statement.language)
    key = repr((DESIGN, statement.language, name, accent, statement.title)).encode()
    path = f"opengraph/{statement.pk}-{hashlib.sha256(key).hexdigest()[:16]}.png"
    if default_storage.exists(path):
        with default_storage.open(path) as stored:
            return stored.read()
    png = draw(statement.title, name, statement.language, accent)
    # Two first readers at once both draw it; the second save gets another name: harmless.
    default_storage.save(path, ContentFile(png))
    return png


@cache
def _font(size):
    if not features.check("raqm"):
        raise LayoutUnavailable(
            "Pillow has no raqm layout (install libraqm0, or a Pillow wheel that bundles it)"
        )
    return ImageFont.truetype(FONT, size, layout_engine=ImageFont.Layout.RAQM)


def _lines(text, font, width, direction, language):
    """`text` broken at spaces into lines no wider than `width` (a word too long for a line
    stands alone on its own and is cut by the caller's check)."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and font.getlength(candidate, direction=direction, language=language) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _fit_title(title, direction, language):
    """The title's font and lines: the largest size that fits, else the smallest with the
    last line ending in an ellipsis."""
    width = WIDTH - 2 * MARGIN
    for size in TITLE_SIZES:
        font = _font(size)
        lines = _lines(title, font, width, direction, language)
        fits = all(
            font.getlength(x, direction=direction, language=language) <= width for x in lines
        )
        if len(lines) <= TITLE_LINES and fits:
            return font, lines
    lines = lines[:TITLE_LINES]
    last = lines[-1]
    while last and font.getlength(last + "…", direction=direction, language=language) > width:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return font, lines


def draw(title, name, language, accent=ACCENT):
    """A 1200 x 630 PNG: bands of the `accent` colour, the site's `name`, then `title`, in
    `language`'s direction (aligned to the right for a right-to-left language)."""
    rtl = language in RIGHT_TO_LEFT
    direction = "rtl" if rtl else "ltr"
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((0, 0, WIDTH, 16), fill=accent)
    x, anchor = (WIDTH - MARGIN, "r") if rtl else (MARGIN, "l")
    text = {"direction": direction, "language": language}
    canvas.text((x, 70), name, font=_font(36), fill=MUTED, anchor=anchor + "a", **text)
    font, lines = _fit_title(title, direction, language)
    line_height = round(font.size * 1.45)
    top = 150 + max(0, (HEIGHT - 150 - 60 - line_height * len(lines)) // 2)
    for number, line in enumerate(lines):
        y = top + number * line_height
        canvas.text((x, y), line, font=font, fill=TEXT, anchor=anchor + "a", **text)
    canvas.rectangle((0, HEIGHT - 12, WIDTH, HEIGHT), fill=accent)
    output = BytesIO()
    image.save(output, "PNG", optimize=True)
    return output.getvalue()


def image_url(statement):
    """The address of `statement`'s image: its own address, then image.png (pages.urls)."""
    return f"{statement.get_absolute_url()}image.png"
