from django import template
from django.conf import settings
from django.core.paginator import Paginator

from comments.models import Comment

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, statement):
    """The comments under a statement: approved ones, and the form's entry point.

    Everything here is the same for every anonymous reader, so the page stays cacheable.
    Only the author's own pending comment (`posted_comment`, from comments.views.posted)
    is personal, and that page is never cached.
    """
    request = context["request"]
    comments = Comment.objects.approved().filter(statement=statement)
    page = Paginator(comments, settings.COMMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "statement": statement,
        "page": page,
        "posted_comment": context.get("posted_comment"),
        "open": statement.comment_mode == statement.CommentMode.OPEN,
        "hidden": statement.comment_mode == statement.CommentMode.HIDDEN,
    }


@register.simple_tag
def pending_comment_count():
    return Comment.objects.pending().count()
