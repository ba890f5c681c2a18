"""E-mail that respects readers: double opt-in, and one-click unsubscribe (RFC 8058).

A commenter who ticks "e-mail me" gets one confirmation message (at most one a day per
address); nothing else is sent until they confirm. Every later message carries a signed
unsubscribe address in `List-Unsubscribe`, with `List-Unsubscribe-Post:
List-Unsubscribe=One-Click`, so that a mail program can unsubscribe with one POST. Tokens
name the address and its `token_version`; unsubscribing moves the version on, so an old or
replayed link is refused and changes nothing.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments import notifications
from comments.models import Comment, Subscriber

_CONFIRM_SALT = "comments.subscriptions.confirm"
_UNSUBSCRIBE_SALT = "comments.subscriptions.unsubscribe"


class Refused(Exception):
    """A confirmation or unsubscribe link that cannot be used; `status` for the answer."""

    def __init__(self, code, status):
        super().__init__(code)
        self.code, self.status = code, status


def _token(subscriber, salt):
    return signing.dumps({"e": subscriber.email, "v": subscriber.token_version}, salt=salt)


def _read(token, salt, max_age):
    """The subscriber a token names, at the version it names; Refused if not genuine or old."""
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        raise Refused("expired", 400) from None
    except signing.BadSignature:
        raise Refused("forged", 400) from None
    if not isinstance(data, dict):
        raise Refused("forged", 400)
    subscriber = Subscriber.objects.filter(email=data.get("e")).first()
    if subscriber is None or subscriber.token_version != data.get("v"):
        raise Refused("used", 409)
    return subscriber


def confirm_url(subscriber):
    return settings.SITE_URL + reverse("comments:confirm", args=[_token(subscriber, _CONFIRM_SALT)])


def unsubscribe_url(subscriber):
    return settings.SITE_URL + reverse(
        "comments:unsubscribe", args=[_token(subscriber, _UNSUBSCRIBE_SALT)]
    )


def ask(comment):
    """The author of a just-saved `comment` asked to be told: confirm the address first."""
    if not (comment.notify and comment.email):
        return
    subscriber, _created = Subscriber.objects.get_or_create(email=comment.email.lower())
    if subscriber.confirmed_at:
        return
    day_ago = timezone.now() - timedelta(days=1)
    sent = Subscriber.objects.filter(pk=subscriber.pk).exclude(confirmation_sent_at__gt=day_ago)
    if not sent.update(confirmation_sent_at=timezone.now()):
        return  # one confirmation a day per address: nobody can be flooded through us
    # Asked from the worker, which has no reader's request: the statement's language is theirs.
    with translation.override(comment.statement.language):
        notifications.send(
            _("[%(site)s] Please confirm your e-mail address") % {"site": settings.SITE_NAME},
            _(
                "You commented on “%(title)s” and asked to hear when your comment is "
                "published or answered.\n\nTo confirm that this is your address, open this "
                "link and press the button:\n%(link)s\n\nIf this was not you, ignore this "
                "message: nothing more will be sent.\n"
            )
            % {"title": comment.statement.title, "link": confirm_url(subscriber)},
            [subscriber.email],
        )


def read_confirm_token(token):
    subscriber = _read(token, _CONFIRM_SALT, settings.COMMENTS_CONFIRM_DAYS * 86400)
    if subscriber.confirmed_at:
        raise Refused("already-confirmed", 409)
    return subscriber


def confirm(subscriber):
    Subscriber.objects.filter(pk=subscriber.pk, confirmed_at=None).update(
        confirmed_at=timezone.now()
    )


def read_unsubscribe_token(token):
    return _read(token, _UNSUBSCRIBE_SALT, settings.COMMENTS_UNSUBSCRIBE_DAYS * 86400)


def unsubscribe(subscriber):
    """Stop all mail to the address; every link sent to it before stops working."""
    Subscriber.objects.filter(pk=subscriber.pk, token_version=subscriber.token_version).update(
        confirmed_at=None, confirmation_sent_at=None, token_version=F("token_version") + 1
    )
    Comment.objects.filter(email__iexact=subscriber.email, notify=True).update(notify=False)


def confirmed(email):
    """The confirmed subscriber for `email`, or None."""
    if not email:
        return None
    return Subscriber.objects.filter(email=email.lower(), confirmed_at__isnull=False).first()


def send_to_reader(subscriber, subject, body):
    """Queue a message to a confirmed reader, with the one-click unsubscribe headers."""
    link = unsubscribe_url(subscriber)
    body += "\n-- \n" + _("Stop these e-mails: %(link)s") % {"link": link} + "\n"
    notifications.send(
        subject,
        body,
        [subscriber.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
