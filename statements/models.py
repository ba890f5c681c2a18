from typing import NamedTuple

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from statements.languages import current_language, default_language, language_choices
from statements.markup import clean_body, plain_text
from statements.text import fold


class OrganizationText(NamedTuple):
    """An organization's name, short name and description in one language."""

    name: str
    short_name: str
    description: str


LOGO_MAX_BYTES = 512 * 1024


def validate_logo_size(image):
    if image.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s KB; at most %(limit)s KB, please."),
            code="logo_too_large",
            params={"size": -(-image.size // 1024), "limit": LOGO_MAX_BYTES // 1024},
        )


class Organization(models.Model):
    name = models.CharField(
        _("name"),
        max_length=200,
        unique=True,
        help_text=_("Its name where no translation below gives one for the page's language."),
    )
    short_name = models.CharField(
        _("short name"),
        max_length=40,
        blank=True,
        help_text=_("Acronym or short name, e.g. USRHR."),
    )
    slug = models.SlugField(
        _("slug"), max_length=200, unique=True, help_text=_("Used in the page address.")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(
        _("description"), blank=True, help_text=_("Plain text, shown on its page.")
    )
    # Raster images only, checked by Pillow when uploaded (ImageField's form field): an SVG
    # can carry script, and making one safe means a sanitizer we would have to keep.
    logo = models.ImageField(
        _("logo"),
        upload_to="organizations/",
        blank=True,
        validators=[
            FileExtensionValidator(["png", "jpg", "jpeg", "webp"]),
            validate_logo_size,
        ],
        help_text=_(
            "Optional. PNG, JPEG or WebP, at most 512 KB; a square image of at least 128 "
            "pixels looks best. Shown on its page and in lists of signatories."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def get_absolute_url(self, language=None):
        with translation.override(language or current_language()):
            return reverse("statements:organization", args=[self.slug])

    def in_language(self, language):
        """Name, short name and description in `language`: its translation there if it has one
        (taken whole, so a Persian name never pairs with an English acronym), else its own.

        Reads `translations` through the prefetch cache when there is one.
        """
        for text in self.translations.all():
            if text.language == language and text.name:
                return OrganizationText(text.name, text.short_name, text.description)
        return OrganizationText(self.name, self.short_name, self.description)

    @property
    def local(self):
        """`in_language()` for the page being made."""
        return self.in_language(current_language())


class OrganizationTranslation(models.Model):
    """An organization's name in one more language.

    Rows rather than a pair of columns per language: SITE_LANGUAGES is a setting, and a
    language added there needs no migration. Pages read them through one prefetch.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=language_choices)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["language"]
        verbose_name = _("name in another language")
        verbose_name_plural = _("names in other languages")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "language"],
                name="one_organization_name_per_language",
                violation_error_message=_("This organization already has a name in that language."),
            )
        ]

    def __str__(self):
        return self.name


class StatementQuerySet(models.QuerySet):
    def published(self):
        """The one definition of "visible to the public": published and not scheduled."""
        return self.filter(status=Statement.Status.PUBLISHED, published_at__lte=timezone.now())

    def in_language(self, language=None):
        """Statements written in `language` (default: the page's)."""
        return self.filter(language=language or current_language())

    def editions(self):
        """Every edition of these statements (their sources and the sources' translations),
        whatever their status: one query, however many statements."""
        sources = self.annotate(source=Coalesce("translation_of", "pk")).values("source")
        return Statement.objects.filter(Q(pk__in=sources) | Q(translation_of__in=sources))

    def with_signatories(self):
        return self.prefetch_related(
            models.Prefetch("signatures", queryset=Signature.objects.listed())
        )


class EditionState(models.TextChoices):
    """Where one language's edition of a statement stands, as the admin shows it."""

    SOURCE = "source", _("source")
    UP_TO_DATE = "up-to-date", _("up to date")
    OUTDATED = "outdated", _("outdated")
    MISSING = "missing", _("missing")


# Every save in the admin records a revision (django-reversion) with the statement's
# signatures, for staff: history, comparison and revert. Organizations are not followed, so
# that reverting a statement never renames an organization.
@reversion.register(follow=["signatures"])
class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    # Most of a row: what a page that only links to a statement, or only takes comments on
    # it, need not read (`defer`).
    LONG_FIELDS = ("summary", "body", "search_text")

    class CommentMode(models.TextChoices):
        OPEN = "open", _("Open: readers may comment")
        CLOSED = "closed", _("Closed: existing comments shown, no new ones")
        HIDDEN = "hidden", _("Hidden: no comments section")

    title = models.CharField(_("title"), max_length=300)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        help_text=_(
            "The last part of the address; keep it readable. A translation may keep its "
            "source's: the language prefix tells the two apart."
        ),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=language_choices, default=default_language
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("translation of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="translations",
        limit_choices_to={"translation_of__isnull": True},
        help_text=_(
            "Empty for a source statement; for a translation, the statement it translates."
        ),
    )
    summary = models.TextField(
        _("summary"),
        blank=True,
        help_text=_("One or two sentences for lists, feeds and search engines."),
    )
    body = models.TextField(
        _("body"),
        help_text=_(
            "Paragraphs, headings, emphasis, links, lists and quotations are kept; "
            "any other markup is removed when saved. Plain text paragraphs are fine."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("A published statement with a future date stays hidden until then."),
    )
    revised_at = models.DateTimeField(
        _("updated on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when a published statement's text is edited."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        # Also in the database: rows written by code that predates the field get 0.
        db_default=0,
        editable=False,
        help_text=_("The number of its latest public revision (0 until first published)."),
    )
    content_changed_at = models.DateTimeField(
        _("content changed"),
        default=timezone.now,
        editable=False,
        help_text=_("When its title, summary, body or signatories last changed."),
    )
    edited_at = models.DateTimeField(
        _("last saved by an editor"),
        default=timezone.now,
        editable=False,
        help_text=_("A translation saved before its source's content changed is outdated."),
    )
    signatories = models.ManyToManyField(
        Organization, through="Signature", related_name="statements"
    )
    comment_mode = models.CharField(
        _("comments"), max_length=10, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    comment_count = models.PositiveIntegerField(
        _("comments shown"),
        default=0,
        editable=False,
        help_text=_("Approved comments, kept up to date by moderation."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    search_text = models.TextField(
        blank=True,
        editable=False,
        # Rows written by older code (or older migrations' models) get "" until saved.
        db_default="",
        help_text="Title, summary and body as plain text, folded for search "
        "(statements.text.fold); filled when saved.",
    )

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        indexes = [
            models.Index(fields=["status", "-published_at"]),
            # Every public list is one language's published statements, newest first; with the
            # id in the index, counting them and joining them to signatures (an organization's
            # page) read the index alone: 49 ms to 4 ms with 2,000 signed (make archive).
            models.Index(
                fields=["language", "status", "-published_at"],
                include=["id"],
                name="statement_listing",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"],
                name="one_slug_per_language",
                violation_error_message=_(
                    "Another statement in this language already has this slug."
                ),
            ),
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                name="one_edition_per_language",
                violation_error_message=_("The source already has an edition in this language."),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
        self.search_text = self.folded_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "summary", "body"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    # Every address of a statement is a method here; templates, tests and benchmarks call them
    # and never rebuild an address from its parts. Each is under the statement's own language's
    # prefix (/fa/…, /en/…), whatever the language of the page that links to it.

    def get_absolute_url(self):
        return self._reverse("statements:detail", self._address_parts())

    def get_comment_url(self):
        """The comment form on a page of its own (the no-JavaScript path); every comment is
        posted here."""
        return self._reverse("comments:post", self._address_parts())

    def get_comment_posted_url(self):
        """The page an author sees right after commenting (it takes the signed `token`)."""
        return self._reverse("comments:posted", self._address_parts())

    def get_comment_form_url(self):
        """The comment form alone, fetched by comments.js into the statement page."""
        return self._reverse("comments:form", [self.pk])

    def get_preview_url(self):
        """The staff preview, which shows drafts and scheduled statements too."""
        return self._reverse("statements:preview", [self.pk])

    def get_history_url(self):
        """The public revisions, their fingerprints and a form to compare two."""
        return self._reverse("statements:history", self._address_parts())

    def get_comparison_url(self, older, newer):
        """The page comparing public revisions number `older` and `newer`."""
        return self._reverse("statements:comparison", [*self._address_parts(), older, newer])

    def get_revision_text_url(self, number):
        """The canonical plain text of public revision `number` (see statements.canonical)."""
        return self._reverse("statements:revision_text", [*self._address_parts(), number])

    def _reverse(self, name, args):
        # Remembered on the instance: a page of fifty comments asks for the comment address
        # fifty times (each reply link), and reversing it took a tenth of the page's render.
        key = (name, self.language, *args)
        addresses = self.__dict__.setdefault("_addresses", {})
        if key not in addresses:
            with translation.override(self.language):
                addresses[key] = reverse(name, args=args)
        return addresses[key]

    def _address_parts(self):
        """Year, two-digit month and slug: the date is the publication date in the site's time
        zone (TIME_ZONE), for the year and the month alike."""
        date = timezone.localtime(self.published_at)
        return [date.year, f"{date.month:02d}", self.slug]

    def clean(self):
        """One edition per language, and translations of sources only (never of a translation)."""
        source = self.translation_of
        if source is None:
            return
        if self.pk and source.pk == self.pk:
            raise ValidationError(
                {"translation_of": _("A statement cannot be a translation of itself.")}
            )
        if source.translation_of_id:
            raise ValidationError(
                {
                    "translation_of": _(
                        "“%(title)s” is itself a translation. Choose the statement it "
                        "translates, “%(source)s”, as the source."
                    )
                    % {"title": source.title, "source": source.translation_of.title}
                }
            )
        if self.pk and self.translations.exists():
            raise ValidationError(
                {
                    "translation_of": _(
                        "This statement has translations of its own, so it cannot be a "
                        "translation: it is their source."
                    )
                }
            )
        others = [source, *source.translations.exclude(pk=self.pk)]
        if same := next((s for s in others if s.language == self.language), None):
            raise ValidationError(
                {
                    "language": _(
                        "“%(source)s” already has its %(language)s edition: “%(other)s”. "
                        "A statement has one edition per language."
                    )
                    % {
                        "source": source.title,
                        "language": self.get_language_display(),
                        "other": same.title,
                    }
                }
            )

    @property
    def date(self):
        """The statement's date in the site's time zone."""
        return timezone.localtime(self.published_at).date()

    def folded_text(self):
        """Title, summary and body as one folded plain text: what search matches against."""
        return fold("\n".join([self.title, self.summary, plain_text(self.body)]))

    @property
    def source(self):
        return self.translation_of if self.translation_of_id else self

    def editions(self):
        """Every edition of this statement (its source and the source's translations),
        whatever their status, in the order of SITE_LANGUAGES."""
        source_id = self.translation_of_id or self.pk
        editions = Statement.objects.filter(Q(pk=source_id) | Q(translation_of_id=source_id))
        order = {code: i for i, code in enumerate(settings.SITE_LANGUAGES)}
        return sorted(editions, key=lambda edition: order.get(edition.language, len(order)))

    def published_editions(self):
        """Language → the edition readers can open in it, this one included."""
        source_id = self.translation_of_id or self.pk
        editions = (
            Statement.objects.published()
            .filter(Q(pk=source_id) | Q(translation_of_id=source_id))
            .defer(*Statement.LONG_FIELDS)
        )
        return {edition.language: edition for edition in editions}

    def edition_states(self):
        """(language code, edition or None, EditionState) for each of the site's languages.

        A translation is outdated when its source's content changed after an editor last
        saved the translation.
        """
        editions = {edition.language: edition for edition in self.editions()}
        source = editions.get(self.source.language, self.source)
        states = []
        for code in settings.SITE_LANGUAGES:
            edition = editions.get(code)
            if edition is None:
                state = EditionState.MISSING
            elif edition.pk == source.pk:
                state = EditionState.SOURCE
            elif source.content_changed_at > edition.edited_at:
                state = EditionState.OUTDATED
            else:
                state = EditionState.UP_TO_DATE
            states.append((code, edition, state))
        return states

    @cached_property
    def description(self):
        """The statement in brief, as text: its summary, else its body without the markup
        (the pages' description and JSON-LD; worked out once per page)."""
        return strip_tags(self.summary or self.body)

    @cached_property
    def signature_list(self):
        """The signatures in order, with their organizations, fetched at most once."""
        if "signatures" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.signatures.all())
        return list(Signature.objects.listed().filter(statement=self))

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()


class SignatureQuerySet(models.QuerySet):
    def listed(self):
        """With their organizations and the organizations' names in every language."""
        return self.select_related("organization").prefetch_related("organization__translations")


@reversion.register()
class Signature(models.Model):
    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="signatures"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    signed_as = models.CharField(
        _("signed as"),
        max_length=200,
        blank=True,
        help_text=_('Optional line shown before the name, e.g. "Political-Executive Boards of".'),
    )

    joined_on = models.DateField(
        _("joined on"),
        null=True,
        blank=True,
        help_text=_(
            "Only for an organization that signed after the statement's date: the day it "
            "joined. Empty means it signed from the start."
        ),
    )

    objects = SignatureQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organization"], name="one_signature_per_organization"
            )
        ]

    def __str__(self):
        return str(self.organization)

    def get_absolute_url(self):
        """Where the statement page lists this signature."""
        return f"{self.statement.get_absolute_url()}#signed-{self.organization.slug}"

    @property
    def signed_on(self):
        """The day this organization signed: the day it joined, or the statement's date."""
        return self.joined_on or self.statement.date

    @property
    def joined_later(self):
        return self.joined_on is not None and self.joined_on > self.statement.date


CHANGED_FIELD_LABELS = {
    "title": _("title"),
    "summary": _("summary"),
    "body": _("text"),
    "date": _("date"),
    "signatories": _("signatories"),
}


class PublicRevision(models.Model):
    """A published statement as readers saw it, frozen: one row per public revision.

    Recorded by statements.revisions.record_public_revision when a published statement is
    saved with a changed title, summary, text, date or signatories (drafts' saves are kept
    for staff only, by django-reversion). The canonical text is stored exactly as it was
    fingerprinted, so that a fingerprint never changes once published.
    """

    statement = models.ForeignKey(
        Statement, on_delete=models.CASCADE, related_name="public_revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)
    changed_fields = models.JSONField(_("changed"), default=list, blank=True)
    published_at = models.DateTimeField(_("statement's date"))
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    body_text = models.TextField(_("text"), blank=True)
    signatories = models.JSONField(_("signatories"), default=list, blank=True)
    canonical_text = models.TextField(_("canonical text"))
    fingerprint = models.CharField(_("SHA-256 fingerprint"), max_length=64)
    # The staff revision (django-reversion) saved with it: who, and the full record.
    revision = models.OneToOneField(
        "reversion.Revision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_revision",
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = _("public revision")
        verbose_name_plural = _("public revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "number"], name="one_public_revision_per_number"
            )
        ]

    def __str__(self):
        return f"{self.statement} ({self.number})"

    def get_text_url(self):
        return self.statement.get_revision_text_url(self.number)

    @property
    def public_since(self):
        """When readers could first see it: a revision recorded ahead of a scheduled date
        became public on that date."""
        return max(self.created_at, self.published_at)

    def get_changes_url(self):
        """The comparison with the revision before this one (none for the first)."""
        if self.number > 1:
            return self.statement.get_comparison_url(self.number - 1, self.number)
        return ""

    def changed_labels(self):
        """What changed from the previous revision, in the reader's language."""
        return [CHANGED_FIELD_LABELS[name] for name in self.changed_fields]
