import logging
import re

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from cms.client import client_ip
from comments import captcha_pool, moderation, reports, subscriptions
from comments.forms import CommentForm, ReportForm
from comments.models import Comment
from comments.transparency import LocalNumber, monthly_counts
from statements.caching import kept_while_unchanged, public_page
from statements.models import Statement
from statements.views import published_statement_or_404, render_statement_page

_PENDING_SALT = "comments.pending"
logger = logging.getLogger(__name__)


def commentable_statement(slug):
    """The statement of a comment page, kept like the form's (form_fragment)."""
    statement = kept_while_unchanged(
        f"commentable-statement:{get_language()}:{slug}",
        lambda: published_statement_or_404(slug, defer=Statement.LONG_FIELDS),
    )
    if statement.comment_mode == Statement.CommentMode.HIDDEN:
        raise Http404("Comments are not shown for this statement.")
    return statement


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment_page(request, year, month, slug):
    """The comment form on a page of its own: the no-JavaScript path, and where every post goes."""
    statement = commentable_statement(slug)
    if "new_image" in request.POST:
        # "New image" without JavaScript: the form again, as the reader filled it in, with a
        # new challenge. Nothing is checked or counted: it is what reloading the page does.
        form = CommentForm.filled_in(request.POST, statement=statement)
        return render_comment_page(request, statement, form)
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        statement=statement,
        ip_address=client_ip(request),
        reply_to=request.GET.get("reply_to"),
    )
    if request.method != "POST" or not form.is_valid():
        return render_comment_page(request, statement, form)
    comment = moderation.receive(form, request.user)
    token = signing.dumps(comment.pk, salt=_PENDING_SALT)
    url = statement.get_comment_posted_url()
    return redirect(f"{url}?{urlencode({'token': token})}#comment-{comment.pk}")


def render_comment_page(request, statement, form):
    closed = statement.comment_mode != Statement.CommentMode.OPEN
    status = 200
    if form.is_bound:
        status = 403 if closed else 429 if form.retry_after else 400
    response = render(
        request,
        "comments/comment_page.html",
        {"statement": statement, "form": form, "closed": closed},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(form.retry_after)
    return response


# Rendered comment forms with the reader's own parts taken out, per statement version and
# language, in this process (a deploy starts afresh); see form_fragment.
_FORM_SHELLS = {}
_FORM_SHELLS_LIMIT = 256
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@never_cache
@require_safe
def form_fragment(request, pk):
    """The per-visitor part of the statement page: the form with its CSRF token and challenge.

    In a spike every reader who comments asks for it, and drawing the form's widgets was half
    its cost (3 of 6 ms of CPU, issue 17). So the plain form (not a reply) is rendered once
    per statement version and language in each process; every later reader gets that HTML
    with their own three parts put in: the CSRF token, the challenge's key (in the hidden
    field and the image's and recording's addresses) and the form's signed start time. The
    statement itself comes from the cache while its pages are unchanged: its query was the
    other half (make spike).
    """
    statement = kept_while_unchanged(
        f"form-statement:{pk}",
        lambda: get_object_or_404(
            Statement.objects.published().defer(*Statement.LONG_FIELDS), pk=pk
        ),
    )
    if statement.comment_mode != Statement.CommentMode.OPEN:
        raise Http404("Comments are closed.")
    version = (statement.pk, statement.updated_at, get_language())
    reply_to = request.GET.get("reply_to")
    shell = _FORM_SHELLS.get(version) if reply_to is None else None
    if shell is not None:
        parts, key, started = shell
        html = get_token(request).join(parts)
        html = html.replace(key, captcha_pool.take()).replace(started, CommentForm.started_now())
        return HttpResponse(html)
    form = CommentForm(statement=statement, reply_to=reply_to)
    response = render(request, "comments/form.html", {"statement": statement, "form": form})
    if form.replying_to is None:
        html = response.content.decode()
        own = (
            _CSRF_FIELD.search(html).group(1),
            form.fields["captcha"].widget._key,
            form.initial["started"],
        )
        if len(_FORM_SHELLS) >= _FORM_SHELLS_LIMIT:
            _FORM_SHELLS.clear()
        _FORM_SHELLS[version] = html.split(own[0]), own[1], own[2]
    return response


@never_cache
@require_safe
def posted(request, year, month, slug):
    """The statement page as the author sees it right after commenting.

    The signed, expiring token names the comment; only its holder sees it in place, marked
    as awaiting moderation. A tampered or expired token shows the plain page.
    """
    statement = published_statement_or_404(slug)
    posted_comment = None
    try:
        pk = signing.loads(
            request.GET.get("token", ""),
            salt=_PENDING_SALT,
            max_age=settings.COMMENTS_PENDING_TOKEN_MAX_AGE,
        )
        posted_comment = (
            Comment.objects.filter(pk=pk, statement=statement)
            .filter(status__in=[Comment.Status.PENDING, Comment.Status.APPROVED])
            .first()
        )
    except signing.BadSignature:
        pass
    response = render_statement_page(request, statement, posted_comment=posted_comment)
    response["X-Robots-Tag"] = "noindex"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def report(request, pk):
    """Report an approved comment: a page of its own, the same with or without JavaScript."""
    comment = get_object_or_404(
        Comment.objects.approved()
        .filter(statement__in=Statement.objects.published())
        .select_related("statement"),
        pk=pk,
    )
    form = ReportForm(request.POST if request.method == "POST" else None, comment=comment)
    status = 200
    if form.is_valid():
        try:
            reports.receive(
                comment,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                ip_address=client_ip(request),
                nonce=form.cleaned_data["token"],
            )
        except reports.Refused as refusal:
            status = refusal.status
            form.add_error(None, ReportForm.MESSAGES[refusal.message])
        else:
            return render(request, "comments/reported.html", {"comment": comment})
    elif form.is_bound:
        refusal = getattr(form, "refusal", None)
        status = refusal.status if refusal else 400
    context = {
        "comment": comment,
        "form": form,
        "reports_to_hide": settings.COMMENTS_REPORTS_TO_HIDE,
    }
    return render(request, "comments/report.html", context, status=status)


def _subscription_page(request, template, token, read, act, done_message):
    """The confirm and unsubscribe pages: GET shows a button, POST does it (and so does the
    one-click POST of a mail program, RFC 8058). A bad token is a clear 4xx, changing nothing."""
    try:
        subscriber = read(token)
    except subscriptions.Refused as refusal:
        return render(
            request,
            template,
            {"refused": SUBSCRIPTION_MESSAGES[refusal.code]},
            status=refusal.status,
        )
    if request.method == "POST":
        act(subscriber)
        return render(request, template, {"done": done_message, "email": subscriber.email})
    return render(request, template, {"email": subscriber.email, "token": token})


SUBSCRIPTION_MESSAGES = {
    "expired": _("This link has expired. Nothing was changed."),
    "forged": _("This link is not valid. Nothing was changed."),
    "used": _("This link was already used or has been replaced. Nothing was changed."),
    "already-confirmed": _("This address is already confirmed. Nothing was changed."),
}


@never_cache
@require_http_methods(["GET", "POST"])
def confirm_address(request, token):
    return _subscription_page(
        request,
        "comments/confirm.html",
        token,
        subscriptions.read_confirm_token,
        subscriptions.confirm,
        _(
            "Thank you: your address is confirmed. We will write when your comment is "
            "published or answered."
        ),
    )


@csrf_exempt  # the one-click POST comes from a mail program; the signed token is the proof
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    return _subscription_page(
        request,
        "comments/unsubscribe.html",
        token,
        subscriptions.read_unsubscribe_token,
        subscriptions.unsubscribe,
        _("Done: we will not e-mail this address again."),
    )


@public_page
@require_safe
def transparency(request):
    """How moderation works, in figures and plain words, and how to appeal: public, cacheable."""
    return render(
        request,
        "comments/transparency.html",
        {
            "months": monthly_counts(),
            "flood_limit": LocalNumber(settings.COMMENTS_FLOOD_LIMIT),
            "flood_minutes": LocalNumber(max(1, settings.COMMENTS_FLOOD_WINDOW // 60)),
            "max_links": LocalNumber(settings.COMMENTS_MAX_LINKS),
            "reports_to_hide": LocalNumber(settings.COMMENTS_REPORTS_TO_HIDE),
            "trusted_after": LocalNumber(settings.COMMENTS_TRUSTED_AFTER),
            "campaign_addresses": LocalNumber(settings.COMMENTS_CAMPAIGN_MIN_ADDRESSES),
            "ip_days": LocalNumber(settings.COMMENTS_IP_RETENTION_DAYS),
            "appeal_email": settings.MODERATION_CONTACT_EMAIL,
        },
    )
