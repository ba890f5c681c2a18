"""Word-level comparison of two texts, marked up with <ins> and <del>.

Pure: text in, HTML fragments out; no models, no request, no Django. Every piece of text is
escaped with `html.escape` as it is written out; the markup around it comes from a closed set
(`<ins>`, `<del>`, `<span>`, `<br>`), so the fragments are safe to mark safe.

Texts arrive as blocks (paragraphs, or one signatory per block); a line break inside a block
is kept. The comparison runs in two steps, both with the standard library's difflib:

1. Blocks are matched whole (`SequenceMatcher` over the blocks, no junk heuristic), so an
   unchanged paragraph costs one hash and a changed one is looked at closely only where it
   changed.
2. Within each run of changed blocks, words are matched (`SequenceMatcher` over word tokens,
   after the common beginning and end are set aside): block by block when the run has as
   many blocks on each side (paragraphs edited in place), else over the whole run, where a
   paragraph break is a token too, so that a split or joined paragraph shows as one. Above
   `JUNK_HEURISTIC_ABOVE` token pairs, difflib's "autojunk" heuristic is switched on: it
   keeps the worst case (a 50,000-character text edited or rewritten as one paragraph)
   within the benchmark's 200 ms, at the price of a less minimal diff in that rare case.
   `python -m bench.history` measures both.

Why not a diff library: difflib is in the standard library, well tested, and fast enough with
the two steps above; a character-level library (diff-match-patch) marks parts of words, which
reads badly in Persian, where letters join.

Readable without colour: each change carries visible brackets (`[+ … ]` for additions, a
minus sign instead of the plus for removals; hidden from screen readers) and, for screen
readers, words such as "Added:" and "End of addition"
(hidden on screen; the caller passes them in the reader's language). Those words carry their
own `dir="auto"`, so that a block's `dir="auto"` is decided by the compared text alone.
Underline and strike-through come from the elements themselves.
"""

import difflib
import html
import re
from dataclasses import dataclass, field

# Raise when the markup written here changes: cached comparisons are keyed by it.
MARKUP_VERSION = 2
PARAGRAPH_BREAK = "\n\n"
LINE_BREAK = "\n"
REMOVED_PARAGRAPH_BREAK = "¶"
JUNK_HEURISTIC_ABOVE = 2_000_000
_TOKENS = re.compile(r"\n|[^\s]+")


@dataclass(frozen=True)
class Labels:
    """What screen readers hear around a change, in the reader's language."""

    added: str = "Added:"
    added_end: str = "End of addition."
    removed: str = "Removed:"
    removed_end: str = "End of removal."


@dataclass
class Block:
    """One block of the comparison: `html` is escaped text with <ins>/<del> marks."""

    html: str = ""
    changed: bool = False
    parts: list = field(default_factory=list, repr=False)


@dataclass(frozen=True)
class Comparison:
    blocks: tuple
    additions: int
    removals: int

    @property
    def changed(self):
        return bool(self.additions or self.removals)


def tokens(text):
    return _TOKENS.findall(text)


def compare(old_blocks, new_blocks, labels=Labels()):
    """Compare two sequences of text blocks; return a `Comparison` laid out as the new text."""
    writer = _Writer(labels)
    matcher = difflib.SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for block in new_blocks[j1:j2]:
                writer.start_block()
                writer.write("equal", tokens(block))
        elif tag == "insert" or tag == "delete":
            kind = "insert" if tag == "insert" else "delete"
            for block in new_blocks[j1:j2] if tag == "insert" else old_blocks[i1:i2]:
                writer.start_block()
                writer.write(kind, tokens(block))
        elif i2 - i1 == j2 - j1:
            # As many blocks changed on each side: each was edited in place.
            for old_block, new_block in zip(old_blocks[i1:i2], new_blocks[j1:j2], strict=True):
                writer.start_block()
                _compare_words(writer, [old_block], [new_block])
        else:
            writer.start_block()
            _compare_words(writer, old_blocks[i1:i2], new_blocks[j1:j2])
    return writer.result()


def _joined_tokens(blocks):
    result = []
    for n, block in enumerate(blocks):
        if n:
            result.append(PARAGRAPH_BREAK)
        result.extend(tokens(block))
    return result


def _compare_words(writer, old_blocks, new_blocks):
    old, new = _joined_tokens(old_blocks), _joined_tokens(new_blocks)
    # The common beginning and end cost nothing to find and are often most of the text.
    start = 0
    while start < len(old) and start < len(new) and old[start] == new[start]:
        start += 1
    end = 0
    while end < len(old) - start and end < len(new) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    writer.write("equal", new[:start])
    old_middle, new_middle = old[start : len(old) - end], new[start : len(new) - end]
    autojunk = len(old_middle) * len(new_middle) > JUNK_HEURISTIC_ABOVE
    matcher = difflib.SequenceMatcher(None, old_middle, new_middle, autojunk=autojunk)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            writer.write("equal", new_middle[j1:j2])
        else:
            # Removed words first, then the words that replace them, as people read edits.
            writer.write("delete", old_middle[i1:i2])
            writer.write("insert", new_middle[j1:j2])
    writer.write("equal", new[len(new) - end :])


class _Writer:
    """Assembles blocks from runs of tokens; each piece of text is escaped exactly once."""

    def __init__(self, labels):
        self.labels = labels
        self.blocks = []
        self.additions = self.removals = 0

    def start_block(self):
        self.blocks.append(Block())

    def write(self, kind, run):
        if not run:
            return
        if kind == "equal":
            for words in _split_paragraphs(run):
                if words is None:
                    self.start_block()
                else:
                    self._append(_text(words))
        elif kind == "insert":
            self.additions += 1
            for words in _split_paragraphs(run):
                if words is None:
                    self.start_block()
                else:
                    self._append(self._mark("ins", _text(words)), changed=True)
        else:
            self.removals += 1
            text = " ".join(
                REMOVED_PARAGRAPH_BREAK if words is None else _text(words)
                for words in _split_paragraphs(run)
            )
            self._append(self._mark("del", text), changed=True)

    def _append(self, piece, changed=False):
        block = self.blocks[-1]
        block.parts.append(piece)
        block.changed = block.changed or changed

    def _mark(self, element, text):
        if element == "ins":
            sign, before, after = "+", self.labels.added, self.labels.added_end
        else:
            sign, before, after = "\u2212", self.labels.removed, self.labels.removed_end
        return (
            f'<{element}><span class="diff-mark" aria-hidden="true">[{sign}</span>'
            f'<span class="visually-hidden" dir="auto">{html.escape(before)} </span>{text}'
            f'<span class="visually-hidden" dir="auto"> {html.escape(after)}</span>'
            f'<span class="diff-mark" aria-hidden="true">]</span></{element}>'
        )

    def result(self):
        blocks = []
        for block in self.blocks:
            if block.parts:
                block.html = _join(block.parts)
                blocks.append(block)
        return Comparison(tuple(blocks), self.additions, self.removals)


def _split_paragraphs(run):
    """Yield lists of tokens, with None where a paragraph break stood."""
    words = []
    for token in run:
        if token == PARAGRAPH_BREAK:
            if words:
                yield words
            words = []
            yield None
        else:
            words.append(token)
    if words:
        yield words


def _text(words):
    out = []
    for word in words:
        if word == LINE_BREAK:
            out.append("<br>")
        else:
            if out and out[-1] != "<br>":
                out.append(" ")
            out.append(html.escape(word))
    return "".join(out)


def _join(parts):
    """Pieces of one block, separated by a space unless a line break already separates them."""
    out = []
    for piece in parts:
        if out and not out[-1].endswith("<br>") and not piece.startswith("<br>"):
            out.append(" ")
        out.append(piece)
    return "".join(out)
