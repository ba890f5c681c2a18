"""Pages of the site that staff write and that belong to no statement ("How to reach us"; one
row per page and language), and the site's identity: its name, logo and colour."""

from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from pages.colours import validate_accent

# The site's languages, named in the staff member's language (its earlier migrations name
# pages.models.language_choices, which stays importable from here).
from statements.languages import language_choices
from statements.markup import clean_body

# The well-known page that lists the ways to reach the site when its address is blocked.
REACH_US = "reach-us"


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
        return f"{self.title} ({self.get_language_display()})"

    def save(self, *args, **kwargs):
        # The same allow-list as statement bodies: staff paste from word processors here too.
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with translation.override(self.language):
            return reverse("pages:page", args=[self.slug])


class SiteIdentity(models.Model):
    """The site's logo and accent colour: one row (pk 1), edited in the admin.

    Its name, tagline and footer text are `SiteText` rows, one per language, as organizations'
    names are: a language added to SITE_LANGUAGES needs no migration. Pages read all of it
    from the cache (pages.identity), never from here.

    The logo is kept in the database, not in MEDIA_ROOT: it is one small file (LOGO_MAX_BYTES),
    so the site needs no media volume for it, a database backup holds it, and pages.views
    serves it with headers of its own (an SVG must not run script).
    """

    logo = models.BinaryField(_("logo"), blank=True, editable=False, default=b"")
    logo_type = models.CharField(max_length=20, blank=True, editable=False)
    accent = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        validators=[validate_accent],
        help_text=_(
            "A colour for links and buttons, as #rrggbb; it must be dark enough to read on "
            "white. Leave empty for the default blue."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")

    def __str__(self):
        return str(_("Site identity"))


class SiteText(models.Model):
    """The site's name, tagline and footer text in one language."""

    identity = models.ForeignKey(SiteIdentity, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    name = models.CharField(_("site name"), max_length=100)
    tagline = models.CharField(
        _("tagline"),
        max_length=200,
        blank=True,
        help_text=_("One line under the name; also the description feeds and shared links show."),
    )
    footer = models.TextField(
        _("footer text"),
        max_length=600,
        blank=True,
        help_text=_("Plain text at the foot of every page."),
    )

    class Meta:
        ordering = ["language"]
        verbose_name = _("name in one language")
        verbose_name_plural = _("names in each language")
        constraints = [
            models.UniqueConstraint(
                fields=["identity", "language"],
                name="one_site_text_per_language",
                violation_error_message=_("The site already has a name in that language."),
            )
        ]

    def __str__(self):
        return self.name
