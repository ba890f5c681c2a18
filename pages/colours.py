"""The accent colour: checked for contrast (WCAG 2.2, AA) and turned into the page's colours.

Pure functions (the refusal writes its figure in the staff member's digits). The accent is
the colour of links on the page's white and on its light grey panels, and of buttons whose
text is white, so it must reach 4.5:1 (AA for body text) against each of those: a colour that
fails is refused with its measured ratio, not warned about, because every reader would get
the unreadable links.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from statements.formats import persian_digits
from statements.languages import current_language

DEFAULT_ACCENT = "#0b5cad"
# The backgrounds links and buttons' text sit on (static/css/site.css: --bg, --soft).
BACKGROUNDS = ("#ffffff", "#f4f5f7")
MINIMUM_CONTRAST = 4.5

_HEX = re.compile(r"#[0-9a-fA-F]{6}")


def _channels(colour):
    return [int(colour[i : i + 2], 16) for i in (1, 3, 5)]


def luminance(colour):
    """Relative luminance of `#rrggbb` (WCAG 2.2)."""

    def linear(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(v) for v in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    """The contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_accent(value):
    """A `#rrggbb` colour that links and white button text can be read on."""
    if not _HEX.fullmatch(value):
        raise ValidationError(
            _("Enter a colour as # and six hexadecimal digits, for example #0b5cad."),
            code="invalid",
        )
    ratio = min(contrast(value, background) for background in BACKGROUNDS)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            _(
                "This colour is too light to read on the page's background: its contrast is "
                "%(ratio)s to 1, and links need at least 4.5 to 1 (WCAG AA). Choose a darker one."
            ),
            code="low_contrast",
            params={"ratio": _decimal(ratio)},
        )


def _decimal(number):
    """`number` to one decimal, in the digits and separator of the staff member's language."""
    text = f"{number:.1f}"
    return persian_digits(text).replace(".", "٫") if current_language() == "fa" else text


def darker(colour, amount=0.3):
    """`colour` mixed with `amount` of black (links and buttons under the pointer)."""
    return "#" + "".join(f"{round(v * (1 - amount)):02x}" for v in _channels(colour))
