from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from cms.client import client_ip
from comments import moderation
from comments.forms import CommentForm
from comments.models import Comment
from statements.models import Statement
from statements.views import published_statement_or_404, render_statement_page

_PENDING_SALT = "comments.pending"


def commentable_statement(slug):
    statement = published_statement_or_404(slug)
    if statement.comment_mode == Statement.CommentMode.HIDDEN:
        raise Http404("Comments are not shown for this statement.")
    return statement


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def comment_page(request, year, month, slug):
    """The comment form on a page of its own: the no-JavaScript path, and where every post goes."""
    statement = commentable_statement(slug)
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        statement=statement,
        ip_address=client_ip(request),
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


@never_cache
@require_safe
def form_fragment(request, pk):
    """The per-visitor part of the statement page: the form with its CSRF token and challenge."""
    statement = get_object_or_404(Statement.objects.published(), pk=pk)
    if statement.comment_mode != Statement.CommentMode.OPEN:
        raise Http404("Comments are closed.")
    form = CommentForm(statement=statement)
    return render(request, "comments/form.html", {"statement": statement, "form": form})


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
