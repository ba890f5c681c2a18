from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.template.loader import render_to_string

from comments.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_section(context, statement):
    """The comments under a statement: approved ones, and the form's entry point.

    Everything here is the same for every anonymous reader, so the page stays cacheable.
    Only the author's own pending comment (`posted_comment`, from comments.views.posted) is
    personal; that page is never cached.
    """
    if statement.comment_mode == statement.CommentMode.HIDDEN:
        return ""
    # Top-level comments page by page, each with its approved replies (one more query).
    # Through the statement's own manager, so that each comment knows its statement.
    comments = (
        statement.comments.approved()
        .filter(parent=None)
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.approved().order_by("created_at", "pk"),
                to_attr="approved_replies",
            )
        )
    )
    page = Paginator(comments, settings.COMMENTS_PER_PAGE).get_page(
        context["request"].GET.get("page")
    )
    return render_to_string(
        "comments/section.html",
        {
            "statement": statement,
            "page": page,
            "posted_comment": context.get("posted_comment"),
            "open": statement.comment_mode == statement.CommentMode.OPEN,
            "mirror_copy": context.get("mirror_copy"),
            "origin_url": context.get("origin_url"),
        },
    )


@register.simple_tag
def pending_comment_count():
    return Comment.objects.pending().count()
