from math import ceil

from django import template
from django.conf import settings
from django.core.paginator import Paginator
from django.template.loader import render_to_string

from comments.caching import cached_section
from comments.models import Comment

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_section(context, statement):
    """The comments under a statement: approved ones, and the form's entry point.

    Everything here is the same for every anonymous reader, so the page stays cacheable and
    the HTML is cached (comments.caching). Only the author's own pending comment
    (`posted_comment`, from comments.views.posted) is personal; that page is never cached.
    """
    if statement.comment_mode == statement.CommentMode.HIDDEN:
        return ""
    posted_comment = context.get("posted_comment")
    number = _page_number(context["request"].GET.get("page"), statement.comment_count)

    def render():
        comments = Comment.objects.approved().filter(statement=statement)
        page = Paginator(comments, settings.COMMENTS_PER_PAGE).get_page(number or 1)
        return render_to_string(
            "comments/section.html",
            {
                "statement": statement,
                "page": page,
                "posted_comment": posted_comment,
                "open": statement.comment_mode == statement.CommentMode.OPEN,
            },
        )

    return render() if posted_comment else cached_section(statement, number, render)


def _page_number(raw, count):
    """The requested page if it exists, else None (rendered as the nearest page, not cached)."""
    if raw is None:
        return 1
    pages = max(1, ceil(count / settings.COMMENTS_PER_PAGE))
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= pages else None


@register.simple_tag
def pending_comment_count():
    return Comment.objects.pending().count()
