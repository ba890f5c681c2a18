"""The rich-text editor for the bodies staff write (statements, pages): django-prose-editor.

Its toolbar offers exactly what `statements.markup.clean_body` keeps: paragraphs, headings
(levels 2 to 4: the page's title is the level-1 heading), bold and italic, links, bulleted and
numbered lists, quotations and line breaks. Text pasted into it from a word processor or a web
page is read through the same schema, so Word's styles, spans, fonts, tables and scripts are
gone before the form is sent. The server's cleaning stays the authority: a body posted without
the editor (no JavaScript, or a crafted request) is cleaned all the same when it is saved.

The editor is started by our own module (static/js/body-editor.js), not by the library's
presets, for the site's Content-Security-Policy: the presets import the editor through an
import map, an inline script the policy refuses, and let Tiptap add an inline <style>, which it
refuses as well. Our module imports the editor's bundle by its static address (from the
textarea's data) and turns the injection off; the few base styles are in body-editor.css.

The text's direction follows the language chosen in the same form (right to left for Persian),
whatever the language of the admin around it.
"""

import json

from django import forms
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import expand_extensions

from statements.languages import is_rtl, language_choices

# Tiptap's extensions, named as django-prose-editor exports them, with their options.
EXTENSIONS = {
    "Heading": {"levels": [2, 3, 4]},
    "Bold": True,
    "Italic": True,
    "Link": {"enableTarget": False},  # the server keeps no target attribute
    "BulletList": True,
    "OrderedList": {"enableListAttributes": False},  # nor a list's start or type
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    # The library's default turns the browser's spelling checker off.
    "NoSpellCheck": False,
    # Buttons in groups, none in a drop-down menu (its opener is not a button).
    "Menu": {
        "groups": [
            {"group": "blockType -lists"},
            {"group": "lists"},
            {"group": "nodes -blockType -lists"},
            {"group": "marks"},
            {"group": "link"},
            {"group": "history"},
        ]
    },
}

# The toolbar's buttons (by the name django-prose-editor gives each) with the words a person
# sees and hears, and the keys that do the same from the text.
BUTTON_LABELS = {
    "paragraph": _("Paragraph (Ctrl+Alt+0)"),
    "heading2": _("Heading (Ctrl+Alt+2)"),
    "heading3": _("Subheading (Ctrl+Alt+3)"),
    "heading4": _("Minor heading (Ctrl+Alt+4)"),
    "bulletList": _("Bulleted list (Ctrl+Shift+8)"),
    "orderedList": _("Numbered list (Ctrl+Shift+7)"),
    "blockquote": _("Quotation (Ctrl+Shift+B)"),
    "bold": _("Bold (Ctrl+B)"),
    "italic": _("Italic (Ctrl+I)"),
    "link": _("Link (Ctrl+K)"),
    "unlink": _("Remove link"),
    "history:undo": _("Undo (Ctrl+Z)"),
    "history:redo": _("Redo (Ctrl+Shift+Z)"),
}


class BodyEditor(forms.Textarea):
    """A textarea that becomes a rich-text editor in the admin; without JavaScript, it stays
    a textarea of HTML.

    `language_field`: the name of the form's field that says the text's language.
    """

    def __init__(self, attrs=None, language_field="language"):
        super().__init__(attrs)
        self.language_field = language_field

    class Media:
        css = {
            "all": [
                "django_prose_editor/material-icons.css",
                "django_prose_editor/editor.css",
                "django_prose_editor/overrides.css",
                "css/body-editor.css",
            ]
        }
        js = [forms.Script("js/body-editor.js", type="module")]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        config = {
            "module": static("django_prose_editor/editor.js"),
            "extensions": expand_extensions(EXTENSIONS),
            "labels": {name: str(label) for name, label in BUTTON_LABELS.items()},
            "toolbar": str(_("Formatting")),
            "languageField": self.language_field,
            "directions": {
                code: "rtl" if is_rtl(code) else "ltr" for code, _name in language_choices()
            },
        }
        context["widget"]["attrs"]["data-body-editor"] = json.dumps(config, ensure_ascii=False)
        return context

    def use_required_attribute(self, initial):
        # The textarea is hidden behind the editor: a browser cannot point at it to say it is
        # empty, and would silently refuse to send the form. The server says so instead.
        return False
