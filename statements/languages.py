"""The site's languages, from settings: which ones, which is the default, which way each reads.

Model fields take their choices and default from here as callables, so that changing
SITE_LANGUAGES needs no migration.
"""

from django.conf import settings
from django.utils.translation import get_language, get_language_info, gettext_lazy


def language_choices():
    """(code, name) of each of the site's languages, named in the language of the page that
    shows them (Django's own translations of its language names: "فارسی" in the Persian
    admin, "Persian" in the English one)."""
    return [(code, gettext_lazy(name)) for code, name in settings.LANGUAGES]


def default_language():
    return settings.SITE_DEFAULT_LANGUAGE


def current_language():
    """The language of the page being made (its address's prefix), always one of the site's."""
    language = get_language()
    return language if language in settings.SITE_LANGUAGES else settings.SITE_DEFAULT_LANGUAGE


def is_rtl(language):
    return get_language_info(language)["bidi"]


def local_name(language):
    """The language's name in itself ("فارسی", "English"): what the language switcher shows."""
    return get_language_info(language)["name_local"]
