"""The rendered comment section of each statement, cached until the statement changes.

Rendering 50 comments is most of the cost of a statement page. The HTML is cached under a key
made of the statement's id, its `updated_at` and the page number. Whenever the approved comments
of a statement change, `moderation.refresh_comment_counts` sets its `updated_at`, so the next
reader gets a freshly rendered section. The key comes from the row already loaded for the page:
no extra lookup, and it holds across processes even with a per-process cache.
"""

from django.core.cache import cache

SECTION_TIMEOUT = 600


def cached_section(statement, page_number, render):
    """The section's HTML from the cache, or `render()`ed and kept; `None` page: not kept."""
    if page_number is None:
        return render()
    key = f"comments:section:{statement.pk}:{statement.updated_at.timestamp()}:{page_number}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, SECTION_TIMEOUT)
    return html
