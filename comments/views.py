import ipaddress

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from comments import moderation
from comments.forms import CommentForm
from comments.models import Comment
from statements.models import Statement

_PENDING_SALT = "comments.pending"


def client_ip(request):
    """The reader's IP address: REMOTE_ADDR, or X-Real-IP as set by our own nginx."""
    raw = request.META.get("HTTP_X_REAL_IP" if settings.BEHIND_PROXY else "REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def commentable_statement(slug):
    statement = get_object_or_404(Statement.objects.published(), slug=slug)
    if statement.comment_mode == Statement.CommentMode.HIDDEN:
        raise Http404("Comments are not shown for this statement.")
    return statement


@never_cache
@require_http_methods(["GET", "POST"])
def comment_page(request, year, month, slug):
    """The comment form on a page of its own: the no-JavaScript path, and where every post goes."""
    statement = commentable_statement(slug)
    form = CommentForm(
        request.POST if request.method == "POST" else None,
        statement=statement,
        ip_address=client_ip(request),
    )
    if request.method == "GET" or not form.is_valid():
        return render_comment_page(request, statement, form)
    comment = submit(form, request)
    token = signing.dumps(comment.pk, salt=_PENDING_SALT)
    url = reverse("comments:posted", args=[year, month, slug])
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


def submit(form, request):
    """Store a valid comment (pending unless its author is trusted) and tell the moderators."""
    comment = form.save(commit=False)
    comment.statement = form.statement
    comment.ip_address = form.ip_address
    user = request.user if request.user.is_authenticated else None
    comment.user = user
    if user and user.has_perm("comments.post_without_moderation"):
        comment.status = Comment.Status.APPROVED
        comment.decided_by = user
        comment.decided_at = timezone.now()
    moderation.assess(comment, form.seconds_taken)
    with transaction.atomic():
        comment.save()
        if comment.status == Comment.Status.APPROVED:
            moderation.refresh_comment_counts([comment.statement_id])
    if comment.status == Comment.Status.PENDING:
        moderation.notify_moderators(comment)
    return comment


@never_cache
@require_GET
def form_fragment(request, pk):
    """The per-visitor part of the statement page: the form with its CSRF token and challenge."""
    statement = get_object_or_404(Statement.objects.published(), pk=pk)
    if statement.comment_mode != Statement.CommentMode.OPEN:
        raise Http404("Comments are closed.")
    form = CommentForm(statement=statement)
    return render(request, "comments/form.html", {"statement": statement, "form": form})


@never_cache
@require_GET
def posted(request, year, month, slug):
    """The statement page as the author sees it right after commenting.

    The signed, expiring token names the comment; only its holder sees it in place, marked
    as awaiting moderation. A tampered or expired token shows the plain page.
    """
    statement = get_object_or_404(Statement.objects.published().with_signatories(), slug=slug)
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
    response = render(
        request,
        "statements/statement_detail.html",
        {"statement": statement, "object": statement, "posted_comment": posted_comment},
    )
    response["X-Robots-Tag"] = "noindex"
    return response
