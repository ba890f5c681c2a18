"""Search over published statements, whatever keyboard typed the query.

Both sides are folded by ``statements.text.fold``: each statement's title, summary and body are
stored folded in ``Statement.search_text`` when it is saved, and the query is folded the same way
here, so Arabic and Persian yeh and kaf, the zero-width non-joiner and a space, the three kinds of
digits and short vowel marks all match each other. PostgreSQL ranks with full-text search over
the folded column; SQLite requires every word of the query to appear in it.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection

from statements.models import Statement
from statements.text import fold

MAX_WORDS = 10


def search_statements(query):
    """Published statements matching `query`, best first; none for an empty query."""
    statements = Statement.objects.published()
    query = fold(query)
    if not query:
        return statements.none()
    if connection.vendor == "postgresql":
        # The "english" configuration stems English words and leaves Persian ones whole.
        vector = SearchVector("search_text", config="english")
        search = SearchQuery(query, search_type="websearch", config="english")
        return (
            statements.annotate(rank=SearchRank(vector, search))
            .filter(rank__gt=0)
            .order_by("-rank", "-published_at")
        )
    # SQLite: every word must appear in the folded text (both sides are already case-folded).
    for word in query.split()[:MAX_WORDS]:
        statements = statements.filter(search_text__contains=word)
    return statements
