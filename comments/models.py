import ipaddress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from comments.formatting import render_comment
from statements.models import Statement


class CommentQuerySet(models.QuerySet):
    def approved(self):
        """The one definition of "shown under a statement"."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self):
        """The moderation queue."""
        return self.filter(status=Comment.Status.PENDING)


def same_author(comment):
    """Comments by `comment`'s author: the same name and e-mail address (in any case)."""
    return Q(name=comment.name, email__iexact=comment.email)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SPAM = "spam", _("Spam")

    class Reason(models.TextChoices):
        """Why a comment may be spam; computed on submission, shown to moderators."""

        LINKS = "links", _("Many links")
        WORDS = "words", _("Blocked words")
        TOO_FAST = "too-fast", _("Sent faster than a person types")
        DUPLICATE = "duplicate", _("Same text posted before")
        KNOWN_SPAMMER = "known-spammer", _("IP or e-mail rejected before")

    statement = models.ForeignKey(
        Statement, verbose_name=_("statement"), on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(_("e-mail address"), blank=True, help_text=_("Never shown publicly."))
    homepage = models.URLField(_("homepage"), blank=True)
    text = models.TextField(_("text"), help_text=_("What the reader wrote, as plain text."))
    html = models.TextField(
        editable=False, help_text="The text rendered by comments.formatting, stored on save."
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # A JSON object whose keys are Comment.Reason codes (a set: every value is true), so that
    # the queue filters by whole code (`has_key`, on SQLite and PostgreSQL alike), never by a
    # substring that could match part of another code.
    spam_reasons = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="Why the comment may be spam: Comment.Reason codes as keys.",
    )
    returning_author = models.BooleanField(
        _("returning author"),
        default=False,
        editable=False,
        help_text=_("Same name and e-mail as an approved comment."),
    )
    ip_address = models.GenericIPAddressField(
        _("IP address"), null=True, blank=True, editable=False
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
        verbose_name=_("decided by"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        editable=False,
        related_name="replies",
        help_text=_("The comment this one answers (always a top-level comment)."),
    )
    campaign = models.ForeignKey(
        "Campaign",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="comments",
        help_text=_("The campaign this comment belongs to, if it is one of many alike."),
    )
    notify = models.BooleanField(
        _("e-mail the author"),
        default=False,
        editable=False,
        help_text=_(
            "The author asked to be told when it is published or answered (sent only once "
            "the address is confirmed)."
        ),
    )
    reason_for_author = models.TextField(
        _("reason for the author"),
        blank=True,
        help_text=_(
            "When you reject a comment whose author asked to hear about it, this is e-mailed "
            "to them. Plain text."
        ),
    )
    rules = models.ManyToManyField(
        "Rule",
        blank=True,
        editable=False,
        related_name="comments",
        help_text=_("The moderation rules that matched this comment when it was sent."),
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        # The last two, and a hash index of `text` (PostgreSQL's own kind, so made in
        # migration 0007, whose docstring has the figures), serve what moderation.assess asks
        # of every comment sent: without them each submission read the whole table.
        indexes = [
            models.Index(fields=["statement", "status", "created_at"]),
            models.Index(fields=["ip_address"], name="comments_comment_ip"),
            models.Index(Upper("email"), name="comments_comment_email_upper"),
        ]
        permissions = [("post_without_moderation", "Can post comments without moderation")]

    def __str__(self):
        return _("%(name)s on %(statement)s") % {"name": self.name, "statement": self.statement}

    def save(self, *args, **kwargs):
        self.html = render_comment(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.statement.get_absolute_url()}#comment-{self.pk}"

    def get_report_url(self):
        # In the page's language (the statement's: its page is under its prefix). Not looked up
        # from the statement: a page lists fifty comments.
        return reverse("comments:report", args=[self.pk])

    def get_reply_url(self):
        """The comment page with the form set to answer this comment (its thread, if a reply)."""
        return f"{self.statement.get_comment_url()}?reply_to={self.parent_id or self.pk}"

    @property
    def rendered(self):
        """The stored HTML, marked safe: the one place where reader content becomes markup.

        `html` is only ever written by `save()` from `render_comment`, which escapes first.
        """
        return mark_safe(self.html)  # noqa: S308

    @property
    def preview(self):
        """The comment as `rendered` will show it once approved, its addresses not yet links:
        what its author sees while it awaits a moderator (comments.formatting, `links=False`).
        """
        return mark_safe(render_comment(self.text, links=False))  # noqa: S308

    @property
    def reasons(self):
        """The spam signals, in Comment.Reason's order; codes no longer known are left out."""
        return [reason for reason in Comment.Reason if reason.value in self.spam_reasons]

    @reasons.setter
    def reasons(self, reasons):
        self.spam_reasons = {Comment.Reason(reason).value: True for reason in reasons}


class RuleQuerySet(models.QuerySet):
    def active(self, now=None):
        """Rules in force: those without an expiry, or whose expiry has not come."""
        now = now or timezone.now()
        return self.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


class Rule(models.Model):
    """A moderator's standing decision about comments that match a pattern.

    A deny rule sends a matching comment to spam, an allow rule publishes it; deny wins when
    both match. Matching itself is in comments.rules.
    """

    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail address (or @domain)")
        NAME = "name", _("Name")
        ADDRESS = "address", _("IP address or CIDR range")
        DOMAIN = "domain", _("Linked domain")
        PHRASE = "phrase", _("Word or phrase")

    class Action(models.TextChoices):
        ALLOW = "allow", _("Allow: publish at once")
        DENY = "deny", _("Deny: send to spam")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=5, choices=Action.choices)
    pattern = models.CharField(
        _("pattern"),
        max_length=200,
        help_text=_(
            "An e-mail address or @example.org; a name; 203.0.113.7 or 203.0.113.0/24; "
            "example.org (its subdomains too); a word or phrase (case, Persian letter forms "
            "and digits are ignored)."
        ),
    )
    reason = models.CharField(
        _("reason"), max_length=200, help_text=_("Why; shown to moderators with the comment.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: the rule never expires.")
    )

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pattern"]
        verbose_name = _("moderation rule")
        verbose_name_plural = _("moderation rules")

    def __str__(self):
        return f"{self.get_action_display()}: {self.get_kind_display()} “{self.pattern}”"

    def clean(self):
        pattern = " ".join((self.pattern or "").split())
        if not pattern:
            raise ValidationError({"pattern": _("Enter a pattern: it may not be empty.")})
        if self.kind == Rule.Kind.ADDRESS:
            try:
                pattern = str(ipaddress.ip_network(pattern, strict=False))
            except ValueError:
                raise ValidationError(
                    {
                        "pattern": _(
                            "“%(pattern)s” is not an IP address or a CIDR range such as "
                            "203.0.113.0/24 or 2001:db8::/32."
                        )
                        % {"pattern": pattern}
                    }
                ) from None
        elif self.kind == Rule.Kind.DOMAIN:
            pattern = pattern.lower().removeprefix("www.").strip(".")
            if not pattern or " " in pattern or "/" in pattern:
                raise ValidationError(
                    {"pattern": _("Enter a domain name such as example.org, without a path.")}
                )
        elif self.kind == Rule.Kind.EMAIL:
            pattern = pattern.lower()
            if " " in pattern or "@" not in pattern:
                raise ValidationError(
                    {"pattern": _("Enter an e-mail address, or @example.org for a whole domain.")}
                )
        self.pattern = pattern


class Campaign(models.Model):
    """Comments alike (same or near-identical text, or the same linked domain) from several
    addresses within COMMENTS_CAMPAIGN_WINDOW: shown and decided as one in the queue.

    Made and grown by comments.campaigns.
    """

    class Kind(models.TextChoices):
        SAME_TEXT = "text", _("same text")
        NEAR_TEXT = "band", _("near-identical text")
        DOMAIN = "domain", _("same linked domain")

    kind = models.CharField(_("kind"), max_length=6, choices=Kind.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self):
        return _("Campaign %(number)s (%(kind)s)") % {
            "number": self.pk,
            "kind": self.get_kind_display(),
        }


class Fingerprint(models.Model):
    """One number describing a comment's text (comments.similarity), kept for a while so that
    new comments can be compared with recent ones by one indexed lookup."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="fingerprints")
    kind = models.CharField(max_length=6, choices=Campaign.Kind.choices)
    value = models.BigIntegerField()
    created_at = models.DateTimeField(help_text=_("When the comment was sent."))

    class Meta:
        indexes = [models.Index(fields=["value", "created_at"])]

    def __str__(self):
        return f"{self.kind} {self.value}"


class Report(models.Model):
    """A reader's report that an approved comment breaks the rules (comments.reports)."""

    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam or advertising")
        ABUSE = "abuse", _("Insults, threats or hate")
        PRIVACY = "privacy", _("Reveals someone's private information")
        FALSE = "false", _("Deliberately false or misleading")
        OTHER = "other", _("Something else")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True, editable=False)
    # The single-use number of the form the report came from: a replayed form is refused.
    nonce = models.CharField(max_length=32, unique=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return f"{self.get_reason_display()} ({self.created_at:%Y-%m-%d})"


class Decision(models.Model):
    """One change of a comment's status by a moderator (or by the system: no moderator), kept
    so that the last decision can be undone for a few seconds (comments.moderation.undo)."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="decisions")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    batch = models.UUIDField(help_text=_("Decisions taken together share a batch."))
    previous_status = models.CharField(max_length=10, choices=Comment.Status.choices)
    previous_decided_at = models.DateTimeField(null=True, blank=True)
    previous_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=10, choices=Comment.Status.choices)
    decided_at = models.DateTimeField(db_index=True)
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return f"{self.previous_status} → {self.status}"


class Subscriber(models.Model):
    """An e-mail address that asked to hear about its comments (comments.subscriptions).

    Mail goes to it only once it is confirmed (double opt-in). Unsubscribing clears the
    confirmation and moves `token_version` on, which voids every link sent before.
    """

    email = models.EmailField(_("e-mail address"), unique=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    token_version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")

    def __str__(self):
        return self.email
