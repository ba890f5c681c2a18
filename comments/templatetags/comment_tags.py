import hashlib

from django import template
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.translation import get_language

from comments.models import Comment
from statements.caching import release

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
    # Not what readers never see, nor the text (its HTML is what shows): most of a row.
    unseen = ("text", "email", "ip_address", "spam_reasons", "reason_for_author")
    comments = (
        statement.comments.approved()
        .filter(parent=None)
        .defer(*unseen)
        .prefetch_related(
            Prefetch(
                "replies",
                queryset=Comment.objects.approved().defer(*unseen).order_by("created_at", "pk"),
                to_attr="approved_replies",
            )
        )
    )
    page = Paginator(comments, settings.COMMENTS_PER_PAGE).get_page(
        context["request"].GET.get("page")
    )
    shown = {
        "open": statement.comment_mode == statement.CommentMode.OPEN,
        "mirror_copy": context.get("mirror_copy"),
    }
    articles = []
    for comment in page.object_list:
        # A reply is answered in its thread (replies nest one level).
        reply_url = comment.get_reply_url()
        articles += [(c, reply_url) for c in (comment, *comment.approved_replies)]
    render_articles(articles, **shown)
    return render_to_string(
        "comments/section.html",
        {
            "statement": statement,
            "page": page,
            "posted_comment": context.get("posted_comment"),
            "origin_url": context.get("origin_url"),
            **shown,
        },
    )


COMMENT_TEMPLATE = "comments/comment.html"


def render_articles(articles, **shown):
    """Give each comment of `articles`, (comment, its thread's reply address) pairs, its HTML
    (COMMENT_TEMPLATE) as `article`, from the cache when it holds it.

    Fifty comments made three quarters of the time of rendering a statement page, and the
    first reader after every approval waits for it, though all but one of those comments are
    as they were. So each one's HTML is kept, under a digest of everything it shows (text,
    name, homepage, time, addresses, the page's language and time zone, whether replies are
    open) and of the code it is made with (statements.caching.release): an edited or
    re-rendered comment, a closed thread, a deploy of a new template or translation gets a new
    key, and nothing needs to be told to forget. Keys no page asks for expire
    (COMMENT_ARTICLE_CACHE_SECONDS).
    """
    language = get_language()
    keys = {}
    for comment, reply_url in articles:
        shows = (
            release(), settings.TIME_ZONE, language, shown["open"], shown["mirror_copy"],
            comment.pk, comment.parent_id, comment.name, comment.homepage, comment.html,
            comment.created_at.isoformat(), reply_url,
        )  # fmt: skip
        digest = hashlib.blake2b(repr(shows).encode(), digest_size=16).hexdigest()
        keys[f"comment-article:{digest}"] = (comment, reply_url)
    kept = cache.get_many(keys)
    rendered = {}
    for key, (comment, reply_url) in keys.items():
        if key not in kept:
            rendered[key] = kept[key] = render_to_string(
                COMMENT_TEMPLATE, {"comment": comment, "reply_url": reply_url, **shown}
            )
        comment.article = kept[key]
    if rendered:
        cache.set_many(rendered, settings.COMMENT_ARTICLE_CACHE_SECONDS)


@register.simple_tag
def pending_comment_count():
    return Comment.objects.pending().count()
