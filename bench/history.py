"""Benchmark the word-level comparison of two revisions (statements.comparison.compare).

Run from the project root:  python -m bench.history

Every case compares two bodies of 50,000 characters, the way the comparison page does (blocks
of plain text in, marked-up HTML out), from an everyday correction to texts that share
nothing. Prints the median of 5 runs per case and whether the worst case meets the target:
at most 200 ms (exit status 1 if not).
"""

import platform
import random
import statistics
import sys
import time

from statements.comparison import compare

SEED = 20261128
LENGTH = 50_000
RUNS = 5
TARGET_MS = 200.0

# Vocabularies the texts are drawn from (split into words below).
ENGLISH_TEXT = (
    "we the undersigned organizations call on the government to lift the sanctions that harm "
    "the livelihood and health of the people return to the agreement change regional policies "
    "and reduce tension human rights political pluralism national interest independence "
    "international community negotiation dignity democracy environment peace stability"
)
PERSIAN_TEXT = (
    "ما سازمان\u200cهای امضاکننده از دولت می\u200cخواهیم تحریم\u200cهایی را که به معیشت و "
    "سلامت مردم آسیب می\u200cزنند لغو کند به توافق بازگردد سیاست\u200cهای منطقه\u200cای را "
    "تغییر دهد و از تنش بکاهد حقوق بشر کثرت\u200cگرایی سیاسی منافع ملی استقلال جامعه جهانی "
    "مذاکره کرامت دموکراسی محیط زیست صلح ثبات"
)
ENGLISH = ENGLISH_TEXT.split()
PERSIAN = PERSIAN_TEXT.split()


def paragraphs(rng, words, length=LENGTH, sizes=(40, 120)):
    """Blocks of random words adding up to `length` characters (with blank lines)."""
    blocks, total = [], 0
    while total < length:
        block = " ".join(rng.choices(words, k=rng.randint(*sizes))).capitalize() + "."
        blocks.append(block)
        total += len(block) + 2
    text = "\n\n".join(blocks)[:length]
    return text.split("\n\n")


def edit_words(rng, blocks, words, edits):
    """`edits` random word insertions, deletions and replacements spread over the blocks."""
    blocks = [block.split(" ") for block in blocks]
    for _ in range(edits):
        block = rng.choice(blocks)
        i = rng.randrange(len(block))
        action = rng.choice("idr")
        if action == "i":
            block.insert(i, rng.choice(words))
        elif action == "d" and len(block) > 1:
            del block[i]
        else:
            block[i] = rng.choice(words)
    return [" ".join(block) for block in blocks]


def cases():
    rng = random.Random(SEED)
    english = paragraphs(rng, ENGLISH)
    persian = paragraphs(rng, PERSIAN)
    one_paragraph = [" ".join(english)[:LENGTH]]
    corrected = list(english)
    corrected[len(corrected) // 2] = corrected[len(corrected) // 2].replace(" the ", " teh ", 1)
    grown = edit_words(rng, english, ENGLISH, 60)
    grown.insert(10, "A paragraph added in the second revision.")
    del grown[30]
    rewritten = [edit_words(rng, [block], ENGLISH, 8)[0] for block in english]
    return {
        "a typo corrected": (english, corrected),
        "60 word edits, a paragraph added, one removed": (english, grown),
        "every paragraph edited": (english, rewritten),
        "Persian, 60 word edits": (persian, edit_words(rng, persian, PERSIAN, 60)),
        "one 50,000-character paragraph, 60 edits": (
            one_paragraph,
            edit_words(rng, one_paragraph, ENGLISH, 60),
        ),
        "two unrelated texts": (english, paragraphs(rng, ENGLISH)),
        "one paragraph, two unrelated texts": (
            one_paragraph,
            [" ".join(paragraphs(rng, ENGLISH))[:LENGTH]],
        ),
    }


def milliseconds(old, new):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        compare(old, new)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    print(f"statements.comparison benchmark (Python {platform.python_version()})")
    print(f"Two bodies of {LENGTH:,} characters each; median of {RUNS} runs (seed {SEED})\n")
    worst = 0.0
    for name, (old, new) in cases().items():
        ms = milliseconds(old, new)
        worst = max(worst, ms)
        size = sum(map(len, new)) + 2 * (len(new) - 1)
        print(f"  {name:48} {ms:8.1f} ms   ({len(old)} → {len(new)} blocks, {size:,} chars)")
    met = worst <= TARGET_MS
    print(f"\n  worst case {worst:.1f} ms; target at most {TARGET_MS:.0f} ms: ", end="")
    print("MET" if met else "MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
