from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property

from statements.markup import clean_body


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

    objects = StatementQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["status", "-published_at"])]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
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

    def _address_parts(self):
        """Year, two-digit month and slug: the date is the publication date in the site's time
        zone (TIME_ZONE), for the year and the month alike."""
        date = timezone.localtime(self.published_at)
        return [date.year, f"{date.month:02d}", self.slug]

    @cached_property
    def signature_list(self):
        """The signatures in order, with their organizations, fetched at most once."""
        if "signatures" in getattr(self, "_prefetched_objects_cache", {}):
            return list(self.signatures.all())
        return list(self.signatures.select_related("organization"))

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED and self.published_at <= timezone.now()


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

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "organization"], name="one_signature_per_organization"
            )
        ]

    def __str__(self):
        return str(self.organization)
