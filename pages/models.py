"""Pages of the site that staff write and that belong to no statement: "How to reach us" now;
About, Contact and the site's identity later. One row per page and language."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from statements.markup import clean_body

# The well-known page that lists the ways to reach the site when its address is blocked.
REACH_US = "reach-us"


def language_choices():
    """The site's languages (a callable, so that migrations do not copy the list)."""
    if settings.USE_I18N:
        return settings.LANGUAGES
    return [(settings.LANGUAGE_CODE.split("-")[0], settings.LANGUAGE_CODE)]


class PageQuerySet(models.QuerySet):
    def in_language(self, slug, language=None):
        """The page `slug` in `language` (the active one by default), else in any language."""
        language = (language or translation.get_language() or "").split("-")[0]
        pages = sorted(self.filter(slug=slug), key=lambda page: page.language != language)
        return pages[0] if pages else None


class Page(models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        help_text=_("The last part of the address; the same in every language."),
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paragraphs, headings, emphasis, links, lists and quotations are kept; "
            "any other markup is removed when saved."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "language"], name="one_page_per_language")
        ]
        verbose_name = _("page")
        verbose_name_plural = _("pages")

    def __str__(self):
        return f"{self.title} ({self.language})"

    def save(self, *args, **kwargs):
        # The same allow-list as statement bodies: staff paste from word processors here too.
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("pages:page", args=[self.slug])
