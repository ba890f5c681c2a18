import time

from captcha.fields import CaptchaField, CaptchaTextInput
from django import forms
from django.conf import settings
from django.core import signing
from django.core.validators import URLValidator

from comments import flood
from comments.formatting import normalise
from comments.models import Comment

FORMAT_HELP = (
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
        return context


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

    name = SingleLineField(max_length=80)
    email = forms.EmailField(
        required=False, label="E-mail", help_text="Optional. Never shown publicly."
    )
    homepage = forms.URLField(
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="Optional. An http:// or https:// address.",
        error_messages={"invalid": "Enter a web address starting with http:// or https://."},
    )
    text = PlainTextField(
        label="Comment",
        max_length=settings.COMMENTS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=FORMAT_HELP,
    )
    captcha = CaptchaField(
        widget=CaptchaInput,
        label="Enter the characters shown in the image.",
        error_messages={
            "invalid": "The characters did not match, or the image expired. "
            "Please type the characters of the new image.",
            "required": "Please type the characters shown in the image.",
        },
    )
    # A field people never see: bots that fill in every field give themselves away.
    url = forms.CharField(required=False, label="Leave this field empty")
    started = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["name", "email", "homepage", "text"]

    def __init__(self, *args, statement, ip_address=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.statement = statement
        self.ip_address = ip_address
        self.retry_after = 0
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["email"].widget.attrs.update(autocomplete="email")
        self.fields["homepage"].widget.attrs.update(autocomplete="url")
        self.fields["url"].widget.attrs.update(tabindex="-1", autocomplete="off")
        self.initial["started"] = signing.dumps(time.time(), salt=_STARTED_SALT)

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
            raise forms.ValidationError("Comments are closed.", code="closed")
        if cleaned.get("url"):
            raise forms.ValidationError("Your comment could not be accepted.", code="honeypot")
        if not self.errors:
            # Counted last, so that only complete, valid submissions use up the allowance.
            self.retry_after = flood.register_attempt(self.ip_address)
            if self.retry_after:
                minutes = -(-self.retry_after // 60)
                raise forms.ValidationError(
                    f"You have posted several comments in a short time. Please try again in "
                    f"{minutes} minute{'s' if minutes != 1 else ''}; your text is kept below.",
                    code="rate_limited",
                )
        return cleaned

    @property
    def seconds_taken(self):
        return self.cleaned_data.get("started")
