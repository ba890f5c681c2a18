"""Benchmark comments.formatting.render_comment against the naive escape + bleach.linkify.

Run from the project root:  python -m bench.formatting

Prints throughput on a realistic mix of comments and the worst time over pathological
5,000-character inputs, for render_comment and for html.escape + bleach.linkify(parse_email=True)
measured in the same run, and whether each target is met (exit status 1 if one is not):
throughput at least the baseline's, and every pathological input under 50 ms.
"""

import html
import platform
import random
import statistics
import sys
import time

import bleach

from comments.formatting import render_comment

SEED = 20240601
COMMENTS = 10_000
WORST_CASE_TARGET_MS = 50.0
MAX_LENGTH = 5_000

VOCABULARY = (
    "we the undersigned organisations call on council to publish the budget and open every "
    "meeting to the public because transparency matters for trust in local democracy our "
    "members have asked for clear answers on housing transport climate schools and water "
    "thank you for this statement I agree disagree strongly with point three but support the "
    "rest see also the report minutes petition signatures draft amendment vote next week "
    "müssen wir die Stadtverwaltung fragen où est la réponse du conseil municipal además "
    "queremos participación ciudadana déjà vu naïve coöperation smørrebrød"
)
WORDS = VOCABULARY.split()
LINKS = [
    "https://example.org/reports/2024/budget.pdf",
    "https://www.example.org/news/open-meetings?utm_source=newsletter&utm_medium=email",
    "http://council.example.gov/minutes/2024-03-12#item-7",
    "https://en.wikipedia.org/wiki/Participatory_budgeting_(Porto_Alegre)",
    "www.example.net/petition",
    "www.stadt-beispiel.de/rathaus/sitzungen",
    "contact@example.org",
    "first.last+statements@example.co.uk",
    "https://bücher.example/straße?q=1",
    "https://example.org/a/very/long/path/that/goes/on/and/on/for/readers/who/paste/everything",
    "ftp://ftp.example.org/pub/data.csv",
]
DECORATIONS = [
    ("", ""),
    ("", "."),
    ("(", ")"),
    ("", ","),
    ("<", ">"),
    ('"', '"'),
    ("", "!"),
    ("[", "]"),
]


def realistic_comments(count, seed=SEED):
    """Return `count` comments of 200-2,000 characters, most with one to three addresses."""
    rng = random.Random(seed)
    comments = []
    for _ in range(count):
        length = rng.randint(200, 2_000)
        links = rng.choice([0, 1, 1, 1, 2, 2, 3]) if rng.random() < 0.85 else 0
        parts = []
        while sum(map(len, parts)) < length:
            sentence = " ".join(rng.choices(WORDS, k=rng.randint(5, 20))).capitalize() + "."
            if links and rng.random() < 0.5:
                before, after = rng.choice(DECORATIONS)
                sentence += f" {before}{rng.choice(LINKS)}{after}"
                links -= 1
            if rng.random() < 0.05:
                sentence += ' <b>Note</b> & "quote" it\'s'
            parts.append(sentence + rng.choice([" ", " ", " ", "\n", "\n\n"]))
        comments.append("".join(parts)[:length].strip())
    return comments


def pathological_inputs():
    """Inputs shaped to make regular-expression linkers backtrack, each MAX_LENGTH long."""
    shapes = {
        "one 5,000-character word": "a",
        "URL then letters": "http://example.com/" + "a" * MAX_LENGTH,
        "URL glued to letters": "http://example.com" + "a" * MAX_LENGTH,
        "dots": ".",
        "word-dot repeated": "a.",
        "long labels with dots": "a" * 50 + ".",
        "a- repeated": "a-",
        "parentheses": "(" * 2_500 + ")" * 2_500,
        "URL then parentheses": "http://example.org/" + "(" * 2_490 + ")" * 2_491,
        "closing parentheses": ")",
        "nested brackets": "[(" * 1_250 + ")]" * 1_250,
        "@ repeated": "@",
        "a@ repeated": "a@",
        "e-mail local part 4,990 long": "a" * 4_990 + "@b.org",
        "x@ then dotted labels": "x@" + "a." * 2_500,
        "www. repeated": "www.",
        "www.a repeated": "www.a",
        "http:// repeated": "http://",
        "user-info scan": "http://" + "a:" * 2_500,
        "ampersands": "&",
        "&amp; repeated": "&amp;",
        "angle brackets": "<",
        "quotes": "\"'",
        "newlines": "a\n \n",
        "IDN host": "http://" + "ü" * MAX_LENGTH,
        "combining marks": "http://" + "e\u0301" * 2_500,
        "addresses back to back": "http://a.bc/ www.a.bc x@a.bc ",
        "query of ampersands": "https://example.org/?q=" + "&a=1" * 1_250,
    }
    inputs = {}
    for name, shape in shapes.items():
        text = shape * (MAX_LENGTH // len(shape) + 1) if len(shape) < 100 else shape
        inputs[name] = text[:MAX_LENGTH]
    return inputs


def naive(text):
    """The baseline: escape, then bleach's linkify with e-mail addresses on."""
    return bleach.linkify(html.escape(text), parse_email=True)


def throughput(render, comments):
    started = time.perf_counter()
    for text in comments:
        render(text)
    return len(comments) / (time.perf_counter() - started)


def milliseconds(render, text, runs):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render(text)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    print(
        f"comments.formatting benchmark (Python {platform.python_version()}, bleach "
        f"{bleach.__version__})\n"
    )
    comments = realistic_comments(COMMENTS)
    with_links = sum("<a " in render_comment(text) for text in comments)
    print(
        f"Realistic mix: {len(comments):,} comments of 200-2,000 characters, "
        f"{with_links:,} with links (seed {SEED})"
    )
    render_comment(comments[0])  # warm up caches outside the timed runs
    ours = throughput(render_comment, comments)
    theirs = throughput(naive, comments)
    print(f"  render_comment                  {ours:10,.0f} comments/s")
    print(f"  html.escape + bleach.linkify    {theirs:10,.0f} comments/s   (naive baseline)")
    throughput_met = ours >= theirs
    print(
        f"  target: at least the baseline ({ours / theirs:.1f}x): "
        f"{'MET' if throughput_met else 'NOT MET'}\n"
    )

    print(
        f"Pathological inputs, {MAX_LENGTH:,} characters each "
        "(render_comment: median of 5 runs; baseline: one run)"
    )
    print(f"  {'input':32} {'render_comment':>15} {'baseline':>12}")
    worst_ours = worst_theirs = 0.0
    for name, text in pathological_inputs().items():
        ours_ms = milliseconds(render_comment, text, runs=5)
        theirs_ms = milliseconds(naive, text, runs=1)
        worst_ours, worst_theirs = max(worst_ours, ours_ms), max(worst_theirs, theirs_ms)
        print(f"  {name:32} {ours_ms:12.2f} ms {theirs_ms:9.1f} ms")
    print(f"  {'worst case':32} {worst_ours:12.2f} ms {worst_theirs:9.1f} ms")
    worst_met = worst_ours < WORST_CASE_TARGET_MS
    print(
        f"  target: worst case under {WORST_CASE_TARGET_MS:.0f} ms: "
        f"{'MET' if worst_met else 'NOT MET'}"
    )
    return 0 if throughput_met and worst_met else 1


if __name__ == "__main__":
    sys.exit(main())
