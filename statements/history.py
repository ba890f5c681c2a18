"""The comparison of two revisions, section by section, as the history pages show it.

Shared by the public comparison page (two `PublicRevision` rows) and the admin's comparison
of staff revisions. The one `mark_safe` for compared text is here: statements.comparison
escapes every piece of text it writes and adds only its own fixed markup.
"""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from statements import canonical, comparison
from statements.formats import format_date
from statements.languages import current_language

# Compared revisions never change, so their comparison is kept a long time.
COMPARISON_CACHE_SECONDS = 7 * 24 * 3600


# Unchanged blocks shown around a change; longer unchanged runs are summed up as a gap.
CONTEXT_BLOCKS = 1


@dataclass(frozen=True)
class Block:
    html: str
    changed: bool


@dataclass(frozen=True)
class Gap:
    """A run of unchanged blocks left out of the comparison."""

    count: int


@dataclass(frozen=True)
class Section:
    name: str  # title, date, summary, text or signatories
    label: str
    items: tuple  # of Block and Gap
    additions: int
    removals: int

    @property
    def changed(self):
        return bool(self.additions or self.removals)


def with_gaps(blocks, context=CONTEXT_BLOCKS):
    """The changed blocks and `context` blocks around each; each other run becomes a Gap."""
    changed = [n for n, block in enumerate(blocks) if block.changed]
    keep = {m for n in changed for m in range(n - context, n + context + 1)}
    items, skipped = [], 0
    for n, block in enumerate(blocks):
        if n in keep:
            if skipped:
                items.append(Gap(skipped))
                skipped = 0
            items.append(block)
        else:
            skipped += 1
    if skipped:
        items.append(Gap(skipped))
    return tuple(items)


def parts_of_revision(revision):
    """The canonical parts stored in a `PublicRevision`."""
    return canonical.Parts(
        title=revision.title,
        date=timezone.localtime(revision.published_at).date(),
        body=revision.body_text,
        signatories=tuple(revision.signatories),
    )


def _blocks(text, separator):
    return [block for block in text.split(separator) if block] if text else []


def comparison_sections(old, old_summary, new, new_summary):
    """Sections (title, date, summary, text, signatories) comparing two `canonical.Parts`,
    the dates as the page's language writes them."""
    language = current_language()
    labels = comparison.Labels(
        added=_("Added:"),
        added_end=_("End of addition."),
        removed=_("Removed:"),
        removed_end=_("End of removal."),
    )
    pairs = [
        ("title", _("Title"), [old.title], [new.title]),
        ("date", _("Date"), [format_date(old.date, language)], [format_date(new.date, language)]),
        ("summary", _("Summary"), _blocks(old_summary, "\n\n"), _blocks(new_summary, "\n\n")),
        ("text", _("Text"), _blocks(old.body, "\n\n"), _blocks(new.body, "\n\n")),
        ("signatories", _("Signatories"), list(old.signatories), list(new.signatories)),
    ]
    sections = []
    for name, label, old_blocks, new_blocks in pairs:
        result = comparison.compare(old_blocks, new_blocks, labels)
        blocks = [Block(mark_safe(b.html), b.changed) for b in result.blocks]  # noqa: S308
        sections.append(Section(name, label, with_gaps(blocks), result.additions, result.removals))
    return sections


def compare_public_revisions(older, newer):
    """The sections comparing two public revisions, from the cache when compared before."""
    markup, language = comparison.MARKUP_VERSION, current_language()
    key = f"revision-comparison:{markup}:{older.pk}:{newer.pk}:{language}"
    sections = cache.get(key)
    if sections is None:
        sections = comparison_sections(
            parts_of_revision(older), older.summary, parts_of_revision(newer), newer.summary
        )
        cache.set(key, sections, COMPARISON_CACHE_SECONDS)
    return sections
