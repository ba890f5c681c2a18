import time

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments import captcha_pool, flood, reports
from comments.formatting import normalise
from comments.models import Comment, Report
from statements.formats import format_number
from statements.languages import current_language

FORMAT_HELP = _(
    "Plain text — No HTML tags allowed. Web page addresses and email addresses turn into "
    "links automatically. Lines and paragraphs break automatically."
)
_STARTED_SALT = "comments.form-started"


class PlainTextField(forms.CharField):
    """A CharField that drops control characters (NUL included) instead of refusing them."""

    def to_python(self, value):
        return super().to_python(normalise(value) if isinstance(value, str) else value)


class CaptchaInput(CaptchaTextInput):
    """django-simple-captcha's widget, made valid HTML.

    The library gives the hidden key what only inputs a person fills in may have: `required`,
    `autocomplete` and (on errors) `aria-invalid`. The answer field keeps all of them.
    """

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        key_attrs = context["widget"]["subwidgets"][0]["attrs"]
        for attribute in [a for a in key_attrs if a.startswith("aria-")]:
            del key_attrs[attribute]
        key_attrs.pop("required", None)
        key_attrs.pop("autocomplete", None)
        key_attrs.pop("autofocus", None)
        return context

    def fetch_captcha_store(self, name, value, attrs=None, generator=None):
        """A challenge from the pool drawn ahead (comments.captcha_pool), instead of the
        library's drawing one on request; sets what the library's own method sets."""
        self._key = captcha_pool.take()
        self._value = [self._key, ""]
        self.id_ = self.build_attrs(attrs).get("id", None)


class CaptchaAnswerField(CaptchaField):
    """django-simple-captcha's field, with the answer checked in one query.

    The library reads the challenge's row, then deletes it through the model (a second query,
    with the deletion's signals), on every comment sent: two of the seven queries a submission
    made. Here one `DELETE … RETURNING` uses the challenge up and reads its answer at once. As
    in the library, the first attempt uses it up, right or wrong, and an expired one fails;
    and of two posts racing with one challenge, only one can get its row.
    """

    def clean(self, value):
        forms.MultiValueField.clean(self, value)  # what the library's clean() starts with
        key, answer = value[0], (value[1] or "").strip().lower()
        value[1] = ""  # as the library does: a form shown again asks for a new answer
        # The model's own table name, quoted; what the reader sent goes in as parameters.
        table = connection.ops.quote_name(CaptchaStore._meta.db_table)
        sql = f"DELETE FROM {table} WHERE hashkey = %s AND expiration > %s RETURNING response"  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, timezone.now()])
            row = cursor.fetchone()
        if row is None or row[0] != answer:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class SingleLineField(PlainTextField):
    """A PlainTextField on one line: every run of whitespace, line breaks included, is a space.

    A name is printed on one line of the moderators' e-mail; a line break in it could forge
    the lines below it ("E-mail: …", "Spam signals: none").
    """

    def to_python(self, value):
        value = super().to_python(value)
        return " ".join(value.split()) if isinstance(value, str) else value


class CommentForm(forms.ModelForm):
    """Everything a reader sends is checked here: fields, CAPTCHA, honeypot, flood control."""

    name = SingleLineField(label=_("Name"), max_length=80)
    email = forms.EmailField(
        required=False, label=_("E-mail"), help_text=_("Optional. Never shown publicly.")
    )
    homepage = forms.URLField(
        required=False,
        label=_("Homepage"),
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("Optional. An http:// or https:// address."),
        error_messages={"invalid": _("Enter a web address starting with http:// or https://.")},
    )
    text = PlainTextField(
        label=_("Comment"),
        max_length=settings.COMMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=FORMAT_HELP,
    )
    notify = forms.BooleanField(
        required=False,
        label=_("E-mail me when my comment is published or answered"),
        help_text=_(
            "We first send you a link to confirm the address. Every e-mail has a link to stop them."
        ),
    )
    captcha = CaptchaAnswerField(
        widget=CaptchaInput,
        label=_("Enter the characters shown in the image."),
        error_messages={
            "invalid": _(
                "The characters did not match, or the image expired. "
                "Please type the characters of the new image."
            ),
            "required": _("Please type the characters shown in the image."),
        },
    )
    # A field people never see: bots that fill in every field give themselves away.
    url = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["name", "email", "homepage", "text"]

    def __init__(self, *args, statement, ip_address=None, reply_to=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.statement = statement
        self.ip_address = ip_address
        self.retry_after = 0
        # The comment answered: from ?reply_to= when the form is shown, from the form when sent.
        self.replying_to = None
        if reply_to and str(reply_to).isdigit() and not self.is_bound:
            self.replying_to = self._thread(int(reply_to))
            if self.replying_to:
                self.initial["parent"] = self.replying_to.pk
        # Addresses read left to right on a right-to-left page; what people write, either way.
        self.fields["name"].widget.attrs.update(autocomplete="name", dir="auto")
        self.fields["email"].widget.attrs.update(autocomplete="email", dir="ltr")
        self.fields["homepage"].widget.attrs.update(autocomplete="url", dir="ltr")
        self.fields["text"].widget.attrs.update(dir="auto")
        self.fields["url"].widget.attrs.update(tabindex="-1", autocomplete="off")
        # A form shown again keeps the moment it was first shown (checked when it is sent).
        self.initial.setdefault("started", self.started_now())

    @staticmethod
    def started_now():
        """The signed moment a form is shown: the `started` field's value."""
        return signing.dumps(time.time(), salt=_STARTED_SALT)

    KEPT_FIELDS = ("name", "email", "homepage", "text", "notify", "started")

    @classmethod
    def filled_in(cls, data, *, statement):
        """An unbound form showing what the reader typed in `data` (a sent form), with a new
        CAPTCHA challenge and its answer empty: the form shown again, nothing validated."""
        initial = {name: data[name] for name in cls.KEPT_FIELDS if name in data}
        form = cls(initial=initial, statement=statement, reply_to=data.get("parent"))
        form.fields["captcha"].widget.attrs["autofocus"] = True  # the field to fill in next
        return form

    def _thread(self, pk):
        """The thread of approved comment `pk` on this statement: its top-level comment
        (replies nest one level), or None if no such comment is shown."""
        answered = (
            Comment.objects.approved()
            .filter(statement=self.statement, pk=pk)
            .select_related("parent")
            .first()
        )
        return answered and (answered.parent or answered)

    def clean_parent(self):
        """The approved comment answered, as the root of its thread."""
        pk = self.cleaned_data.get("parent")
        if pk is None:
            return None
        self.replying_to = self._thread(pk)
        if self.replying_to is None:
            raise forms.ValidationError(
                _(
                    "The comment you are answering is no longer shown. Your text is kept "
                    "below: you can post it as a comment of its own."
                ),
                code="parent",
            )
        return self.replying_to

    def clean_started(self):
        """Seconds since the form was shown, or None if the stamp is missing or forged."""
        try:
            return time.time() - signing.loads(
                self.cleaned_data["started"], salt=_STARTED_SALT, max_age=24 * 3600
            )
        except signing.BadSignature:
            return None

    def clean(self):
        cleaned = super().clean()
        if self.statement.comment_mode != self.statement.CommentMode.OPEN:
            raise forms.ValidationError(_("Comments are closed."), code="closed")
        if cleaned.get("url"):
            raise forms.ValidationError(_("Your comment could not be accepted."), code="honeypot")
        if cleaned.get("notify") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error(
                "email",
                forms.ValidationError(
                    _("Enter your e-mail address, so that we can tell you."),
                    code="email_needed",
                ),
            )
        if not self.errors:
            # Counted last, so that only complete, valid submissions use up the allowance.
            self.retry_after = flood.register_attempt(self.ip_address)
            if self.retry_after:
                minutes = -(-self.retry_after // 60)
                raise forms.ValidationError(
                    ngettext(
                        "You have posted several comments in a short time. Please try again "
                        "in %(minutes)s minute; your text is kept below.",
                        "You have posted several comments in a short time. Please try again "
                        "in %(minutes)s minutes; your text is kept below.",
                        minutes,
                    )
                    % {"minutes": format_number(minutes, current_language())},
                    code="rate_limited",
                )
        return cleaned

    @property
    def seconds_taken(self):
        return self.cleaned_data.get("started")


class ReportForm(forms.Form):
    """A reader's report about an approved comment (comments.reports does the rest)."""

    reason = forms.ChoiceField(
        label=_("Why should a moderator look at this comment?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a reason.")},
    )
    note = PlainTextField(
        label=_("Anything a moderator should know (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    MESSAGES = {
        "expired": _(
            "This report form has expired. Nothing was recorded: open the report form again."
        ),
        "forged": _("This report form is not valid. Nothing was recorded."),
        "replayed": _("This report form was already sent. Nothing more was recorded."),
        "already-reported": _(
            "You have already reported this comment; a moderator will look at it."
        ),
    }

    def __init__(self, *args, comment, **kwargs):
        super().__init__(*args, **kwargs)
        self.comment = comment
        if not self.is_bound:
            self.initial["token"] = reports.form_token(comment)

    def clean_token(self):
        """The form's single-use number; a forged or expired token is refused (status 400)."""
        try:
            return reports.read_token(self.cleaned_data["token"], self.comment)
        except reports.Refused as refusal:
            self.refusal = refusal
            raise forms.ValidationError(
                self.MESSAGES[refusal.message], code=refusal.message
            ) from None
