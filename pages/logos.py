"""The site's logo: an uploaded file checked before it is kept, and the headers it is served with.

A PNG must be one that Pillow opens and verifies; an SVG must be well-formed XML (parsed
without entities, DTDs or network) whose root is <svg>. An SVG is refused when it holds
script, event handlers, <foreignObject>, or a reference to anything outside itself, so that
what staff see in the admin is what readers get. That check is a courtesy; the guarantee is
how the logo is served (SVG_POLICY): a sandbox with no script, whatever the file holds, in
case a browser is sent to the logo's own address. As an <img>, an SVG never runs script.
"""

import io

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from lxml import etree
from PIL import Image, UnidentifiedImageError

# The statement page's first view is budgeted at 100 KB in all (bench/weight.py); a logo
# may take a fifth of it.
LOGO_MAX_BYTES = 20_000
LOGO_MAX_PIXELS = 2000

PNG, SVG = "image/png", "image/svg+xml"
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

_SVG_NS = "http://www.w3.org/2000/svg"
_FORBIDDEN = {"script", "foreignObject", "iframe", "embed", "object", "handler", "listener"}
SCRIPT = _("The SVG file holds a script or embedded content; save it without.")
_LINKS = {"href", "{http://www.w3.org/1999/xlink}href"}


def _refuse(message, code, **params):
    raise ValidationError(message, code=code, params=params)


def read_logo(upload):
    """(bytes, content type) of an uploaded logo, or ValidationError saying what is wrong."""
    if upload.size > LOGO_MAX_BYTES:
        _refuse(
            _("The logo is %(size)s; it may be at most %(limit)s. Save it smaller or as SVG."),
            "too_large",
            size=filesizeformat(upload.size),
            limit=filesizeformat(LOGO_MAX_BYTES),
        )
    data = upload.read()
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(data)
        return data, PNG
    _check_svg(data)
    return data, SVG


def _check_png(data):
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        _refuse(_("This PNG file is damaged: it cannot be opened as an image."), "bad_png")
    if max(width, height) > LOGO_MAX_PIXELS:
        _refuse(
            _("The logo is %(width)s×%(height)s pixels; make it at most %(limit)s on each side."),
            "too_many_pixels",
            width=width,
            height=height,
            limit=LOGO_MAX_PIXELS,
        )


def _check_svg(data):
    not_an_image = _("Upload the logo as an SVG or PNG file.")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        _refuse(not_an_image, "not_an_image")
    if root.tag != f"{{{_SVG_NS}}}svg":
        _refuse(not_an_image, "not_an_image")
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments, processing instructions
            continue
        if etree.QName(element).localname in _FORBIDDEN:
            _refuse(SCRIPT, "script")
        for name, value in element.attrib.items():
            local = etree.QName(name).localname.lower()
            if local.startswith("on"):
                _refuse(SCRIPT, "script")
            if name in _LINKS and not value.strip().startswith(("#", "data:image/")):
                _refuse(
                    _("The SVG file refers to another file (%(address)s); save it self-contained."),
                    "external",
                    address=value[:80],
                )
