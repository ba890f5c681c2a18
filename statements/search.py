"""Search over published statements in one language, whatever keyboard typed the query.

Both sides are folded by ``statements.text.fold``: each statement's title, summary and body are
stored folded in ``Statement.search_text`` when it is saved, and the query is folded the same way
here, so Arabic and Persian yeh and kaf, the zero-width non-joiner and a space, the three kinds of
digits and short vowel marks all match each other.

PostgreSQL (production): two stored generated columns, and a GIN index, that the migration
``0007_archive_indexes`` adds on PostgreSQL only. ``search_vector`` is ``to_tsvector`` of the
whole folded text; ``search_head`` of its first SEARCH_HEAD_CHARACTERS characters (title,
summary, opening).
Generated, not filled by ``save()``: the database computes them from ``language`` and
``search_text`` on every write, whatever wrote (``save()``, ``update()``, ``bulk_create``, a data
migration), so they cannot fall behind, and saving costs no second query. The text search
configuration follows the statement's language (``SEARCH_CONFIGS``): English is stemmed as
English ("governments" finds "government"); Persian and any other language use ``simple``
(words as they are: stemming Persian with English rules would mangle it). A query is matched
with ``websearch_to_tsquery`` (never a syntax error, whatever the reader typed: quotes, ``-``,
``or``) against ``search_vector`` through the GIN index, and ranked by ``ts_rank`` over
``search_head``, then newest first: a match in the title, summary or opening counts most, and
ranking reads a small vector rather than every matching statement's whole one (measured:
ranking 5,000 matches over the whole vectors took 57-99 ms, over the heads 28 ms). Past
SEARCH_MAX_RESULTS matches (a word in most statements, which ranking tells little about)
they come newest first, unranked, only the first SEARCH_MAX_RESULTS are listed, and the reader
is told: ranking 5,000 matches still took 40-100 ms on the loaded bench machine. Matches are
counted only up to that limit, once (``Found``, ``FoundPaginator``). The shown excerpt is
``ts_headline`` over the body of the statements on the page only.

SQLite (``make run``, a simple fallback): every word of the query (letters and digits only; not
those excluded with "-") must appear in ``search_text``; newest first, no ranking; the excerpt
is the words around the first match, found in Python (``plain_excerpt``).
"""

import html
import re
from contextlib import contextmanager
from typing import NamedTuple

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorField,
)
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import Expression, F, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from psycopg.errors import QueryCanceled

from cms.client import client_ip
from cms.flood import count_attempt
from statements.languages import current_language
from statements.markup import plain_text
from statements.models import Statement
from statements.text import fold

# The text search configuration of each language; every other language uses "simple". The
# generated columns' SQL (migration 0007_archive_indexes) spells the same mapping.
SEARCH_CONFIGS = {"en": "english"}
DEFAULT_CONFIG = "simple"
SEARCH_HEAD_CHARACTERS = 600

# Around each highlighted word: characters no statement has (Unicode private use), turned
# into <mark> after the excerpt is escaped.
_START, _STOP = "\ue000", "\ue001"
_EXCERPT_WORDS = 30
_WORD = re.compile(r"\w+")


class Terms(NamedTuple):
    """A reader's query within the limits: `text` to search and show, `shortened` if cut."""

    text: str
    shortened: bool


def limit_terms(raw):
    """The query cut to SEARCH_MAX_LENGTH characters and SEARCH_MAX_WORDS words.

    A cut falls between words (a word longer than the whole limit is cut itself).
    """
    text = " ".join(raw.split())
    shortened = False
    if len(text) > settings.SEARCH_MAX_LENGTH:
        cut = text[: settings.SEARCH_MAX_LENGTH + 1]
        text = cut.rsplit(" ", 1)[0] if " " in cut else cut[: settings.SEARCH_MAX_LENGTH]
        shortened = True
    words = text.split()
    if len(words) > settings.SEARCH_MAX_WORDS:
        text = " ".join(words[: settings.SEARCH_MAX_WORDS])
        shortened = True
    return Terms(text, shortened)


def seconds_to_wait(request):
    """Count one search from the request's address: 0, or the seconds until it may search again."""
    return count_attempt(
        "search", client_ip(request), settings.SEARCH_RATE_LIMIT, settings.SEARCH_RATE_WINDOW
    )


def config_for(language):
    return SEARCH_CONFIGS.get(language, DEFAULT_CONFIG)


class StoredColumn(Expression):
    """A column of the statements table that the model does not declare: the generated search
    vectors exist on PostgreSQL only (``0007_archive_indexes``), so they are named here."""

    def __init__(self, column, output_field):
        super().__init__(output_field=output_field)
        self.column = column

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return (
            f"{compiler.quote_name_unless_alias(alias)}.{connection.ops.quote_name(self.column)}",
            [],
        )


class Found(NamedTuple):
    """A search's statements (a QuerySet, in order) and how many match, counted up to
    SEARCH_MAX_RESULTS + 1: past that many, only the first SEARCH_MAX_RESULTS are listed."""

    statements: QuerySet
    count: int

    @property
    def more(self):
        return self.count > settings.SEARCH_MAX_RESULTS

    @property
    def by_date(self):
        """Whether they come newest first rather than ranked: past SEARCH_MAX_RESULTS matches
        on PostgreSQL; always on SQLite, which does not rank."""
        return self.more or connection.vendor != "postgresql"


def search(query, language=None):
    """Published statements in `language` (default: the page's) matching `query`, best first
    (newest first past SEARCH_MAX_RESULTS matches), as `Found`; none for a query without a
    word to look for."""
    language = language or current_language()
    statements = Statement.objects.published().in_language(language)
    query = fold(query)
    if not wanted_words(query):
        return Found(statements.none(), 0)
    if connection.vendor != "postgresql":
        # SQLite: every word must appear in the folded text (both sides are case-folded).
        for word in wanted_words(query)[: settings.SEARCH_MAX_WORDS]:
            statements = statements.filter(search_text__contains=word)
        return Found(statements, _count(statements))
    search = SearchQuery(query, search_type="websearch", config=config_for(language))
    matches = statements.alias(matched=StoredColumn("search_vector", SearchVectorField()))
    matches = matches.filter(matched=search).defer("body", "search_text")
    count = _count(matches)
    if count > settings.SEARCH_MAX_RESULTS:
        _walk_by_date()
        return Found(matches.order_by("-published_at", "-pk"), count)
    rank = SearchRank(StoredColumn("search_head", SearchVectorField()), search)
    ranked = matches.annotate(rank=rank).order_by("-rank", "-published_at", "-pk")
    return Found(ranked, count)


def search_statements(query, language=None):
    """The statements of `search(query, language)`, in their order."""
    return search(query, language).statements


def _count(statements):
    """How many of `statements` there are, counting no further than SEARCH_MAX_RESULTS + 1
    (the database stops reading matches there)."""
    return statements[: settings.SEARCH_MAX_RESULTS + 1].count()


class FoundPaginator(Paginator):
    """Pages of a `Found`: its count is known (no second count), and pages end at
    SEARCH_MAX_RESULTS results."""

    def __init__(self, object_list, per_page, count, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.__dict__["count"] = min(count, settings.SEARCH_MAX_RESULTS)  # cached_property


def wanted_words(query):
    """The words a statement must (or may) contain: not those after "-" (excluded), not "or".

    A query of exclusions only ("-word") would list nearly every statement by reading every
    one of them; it finds nothing instead.
    """
    return [
        word
        for token in query.split()
        if not token.startswith("-") and token.casefold() != "or"
        for word in _WORD.findall(token)
    ]


@contextmanager
def time_limit():
    """Run the search's queries through the GIN index and under a time limit (PostgreSQL).

    Past SEARCH_TIMEOUT_MS the database cancels the query and `SearchTookTooLong` is raised:
    whatever a reader types, a search holds a database connection that long at most.
    Only bitmap scans (the GIN index, then the rows it found) for these queries: the planner
    does not count the cost of reading each statement's whole vector out of TOAST storage.
    With sequential scans it read all 10,000 for a query of common words ("human rights"
    -trump or sanctions: 86-274 ms) where the GIN index answers in 4.5 ms; with the date
    index it walked every statement newest first, reading each one's vector (150-330 ms).
    """
    if connection.vendor != "postgresql":
        yield
        return
    inside_a_transaction = connection.in_atomic_block
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # SET LOCAL, in one round trip: until the end of this transaction.
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true),"
                    " set_config('enable_seqscan', 'off', true),"
                    " set_config('enable_indexscan', 'off', true)",
                    [str(int(settings.SEARCH_TIMEOUT_MS))],
                )
            yield
            if inside_a_transaction:
                # Here atomic() is a savepoint, and SET LOCAL outlives it until the outer
                # transaction ends (a cancelled search rolls the savepoint back, and them with
                # it): put them back for what follows.
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config(name, reset_val, true) FROM pg_settings WHERE name IN"
                        " ('statement_timeout', 'enable_seqscan', 'enable_indexscan')"
                    )
    except OperationalError as error:
        if isinstance(error.__cause__, QueryCanceled):
            raise SearchTookTooLong from error
        raise


def _walk_by_date():
    """Inside `time_limit`, let the next queries walk the date index: with more matches than
    SEARCH_MAX_RESULTS, the newest ten are among the first statements in date order (23 ms
    through the GIN index and a sort of every match, 2 ms walking the dates, make archive)."""
    if connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('enable_indexscan', 'on', true)")


class SearchTookTooLong(Exception):
    """The database cancelled a search at SEARCH_TIMEOUT_MS."""


def attach_excerpts(statements, query, language=None):
    """Give each of `statements` (one page of results) an `excerpt`: a few dozen words of its
    body around the match, the matching words in <mark>, everything else escaped."""
    statements = list(statements)
    if not statements:
        return statements
    language = language or current_language()
    query = fold(query)
    if connection.vendor == "postgresql":
        search = SearchQuery(query, search_type="websearch", config=config_for(language))
        headlines = dict(
            Statement.objects.filter(pk__in=[s.pk for s in statements])
            .annotate(
                headline=SearchHeadline(
                    F("body"),
                    search,
                    config=config_for(language),
                    start_sel=_START,
                    stop_sel=_STOP,
                    # Up to two passages, so that words far apart each show.
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    max_words=_EXCERPT_WORDS // 2,
                    min_words=_EXCERPT_WORDS // 4,
                )
            )
            .values_list("pk", "headline")
        )
        for statement in statements:
            # ts_headline drops the tags but keeps entities: decode them, then escape all.
            statement.excerpt = marked(html.unescape(headlines.get(statement.pk, "")))
    else:
        words = _WORD.findall(query)
        for statement in statements:
            statement.excerpt = marked(plain_excerpt(plain_text(statement.body), words))
    return statements


def plain_excerpt(text, words):
    """The SQLite fallback's excerpt: about _EXCERPT_WORDS words of `text` from a little before
    the first of `words` found (compared case-insensitively, not folded), each found word
    between the highlight marks; the opening words if none is found."""
    wanted = {word.casefold() for word in words}

    def highlight(match):
        return f"{_START}{match[0]}{_STOP}" if match[0].casefold() in wanted else match[0]

    tokens = text.split()
    first = next(
        (
            i
            for i, token in enumerate(tokens)
            if wanted & {w.casefold() for w in _WORD.findall(token)}
        ),
        None,
    )
    start = 0 if first is None else max(0, first - 5)
    shown = " ".join(
        _WORD.sub(highlight, token) for token in tokens[start : start + _EXCERPT_WORDS]
    )
    before = "… " if start else ""
    after = " …" if start + _EXCERPT_WORDS < len(tokens) else ""
    return f"{before}{shown}{after}"


def marked(excerpt) -> SafeString:
    """`excerpt` escaped, its highlight marks turned into <mark> elements: the one place where
    search output becomes HTML."""
    escaped = escape(excerpt.strip())
    # Safe: every character of the excerpt was escaped above; only our own tags are added.
    return mark_safe(escaped.replace(_START, "<mark>").replace(_STOP, "</mark>"))  # noqa: S308
