"""Search over published statements: PostgreSQL full-text search, or a plain fallback."""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q

from statements.models import Statement


def search_statements(query):
    """Published statements matching `query`, best first; none for an empty query."""
    statements = Statement.objects.published()
    if not query:
        return statements.none()
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("summary", weight="B", config="english")
            + SearchVector("body", weight="C", config="english")
        )
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            statements.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "-published_at")
        )
    # SQLite: every word must appear somewhere in the title, summary or body.
    for word in query.split()[:10]:
        statements = statements.filter(
            Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        )
    return statements
