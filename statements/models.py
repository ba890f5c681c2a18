import reversion
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from statements.markup import clean_body, plain_text
from statements.text import fold


class Organization(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="Acronym or short name, e.g. USRHR."
    )
    slug = models.SlugField(max_length=200, unique=True, help_text="Used in the page address.")
    website = models.URLField(blank=True)
    description = models.TextField(blank=True, help_text="Plain text, shown on its page.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("statements:organization", args=[self.slug])


class StatementQuerySet(models.QuerySet):
    def published(self):
        """The one definition of "visible to the public": published and not scheduled."""
        return self.filter(status=Statement.Status.PUBLISHED, published_at__lte=timezone.now())

    def with_signatories(self):
        return self.prefetch_related(
            models.Prefetch("signatures", queryset=Signature.objects.select_related("organization"))
        )


# Every save in the admin records a revision (django-reversion) with the statement's
# signatures, for staff: history, comparison and revert. Organizations are not followed, so
# that reverting a statement never renames an organization.
@reversion.register(follow=["signatures"])
class Statement(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    class CommentMode(models.TextChoices):
        OPEN = "open", "Open: readers may comment"
        CLOSED = "closed", "Closed: existing comments shown, no new ones"
        HIDDEN = "hidden", "Hidden: no comments section"

    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=200, unique=True, help_text="The last part of the address; keep it readable."
    )
    summary = models.TextField(
        blank=True, help_text="One or two sentences for lists, feeds and search engines."
    )
    body = models.TextField(
        help_text="Paragraphs, headings, emphasis, links, lists and quotations are kept; "
        "any other markup is removed when saved. Plain text paragraphs are fine."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publication date",
        default=timezone.now,
        help_text="A published statement with a future date stays hidden until then.",
    )
    revised_at = models.DateTimeField(
        "updated on",
        null=True,
        blank=True,
        editable=False,
        help_text="Set when a published statement's text is edited.",
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=0,
        # Also in the database: rows written by code that predates the field get 0.
        db_default=0,
        editable=False,
        help_text=_("The number of its latest public revision (0 until first published)."),
    )
    signatories = models.ManyToManyField(
        Organization, through="Signature", related_name="statements"
    )
    comment_mode = models.CharField(
        max_length=10, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    comment_count = models.PositiveIntegerField(
        default=0, editable=False, help_text="Approved comments, kept up to date by moderation."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
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
        indexes = [models.Index(fields=["status", "-published_at"])]

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
    # and never rebuild an address from its parts.

    def get_absolute_url(self):
        return reverse("statements:detail", args=self._address_parts())

    def get_comment_url(self):
        """The comment form on a page of its own (the no-JavaScript path); every comment is
        posted here."""
        return reverse("comments:post", args=self._address_parts())

    def get_comment_posted_url(self):
        """The page an author sees right after commenting (it takes the signed `token`)."""
        return reverse("comments:posted", args=self._address_parts())

    def get_comment_form_url(self):
        """The comment form alone, fetched by comments.js into the statement page."""
        return reverse("comments:form", args=[self.pk])

    def get_preview_url(self):
        """The staff preview, which shows drafts and scheduled statements too."""
        return reverse("statements:preview", args=[self.pk])

    def get_history_url(self):
        """The public revisions, their fingerprints and a form to compare two."""
        return reverse("statements:history", args=self._address_parts())

    def get_comparison_url(self, older, newer):
        """The page comparing public revisions number `older` and `newer`."""
        return reverse("statements:comparison", args=[*self._address_parts(), older, newer])

    def get_revision_text_url(self, number):
        """The canonical plain text of public revision `number` (see statements.canonical)."""
        return reverse("statements:revision_text", args=[*self._address_parts(), number])

    def _address_parts(self):
        """Year, two-digit month and slug: the date is the publication date in the site's time
        zone (TIME_ZONE), for the year and the month alike."""
        date = timezone.localtime(self.published_at)
        return [date.year, f"{date.month:02d}", self.slug]

    @property
    def date(self):
        """The statement's date in the site's time zone."""
        return timezone.localtime(self.published_at).date()

    def folded_text(self):
        """Title, summary and body as one folded plain text: what search matches against."""
        return fold("\n".join([self.title, self.summary, plain_text(self.body)]))

    @cached_property
    def signature_list(self):
        """The signatures in order, with their organizations, fetched at most once."""
        if "signatures" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.signatures.all())
        return list(self.signatures.select_related("organization"))

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()


@reversion.register()
class Signature(models.Model):
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="signatures")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="signatures"
    )
    order = models.PositiveSmallIntegerField(default=0)
    signed_as = models.CharField(
        max_length=200,
        blank=True,
        help_text='Optional line shown before the name, e.g. "Political-Executive Boards of".',
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

    class Meta:
        ordering = ["order", "pk"]
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
