"""Benchmark campaign detection: a new comment checked against the last 10,000.

Run from the project root:  python -m bench.campaigns
(PostgreSQL when DATABASE_URL points at it, in a database of its own, `cms_bench_campaigns`;
otherwise a temporary SQLite file.)

Stores 10,000 comments of 200-1,500 characters sent within the campaign window, with their
fingerprints, among them five campaigns of 200 comments with small variations; then times
`comments.campaigns.check` (fingerprint the text, one indexed lookup, group the matches) for
400 new comments, half of them variants of a campaign, half unrelated, and
`comments.campaigns.record` (the same plus the writes) for 100 more. Target: a check costs at
most 20 ms at the 95th percentile. Prints the figures and MET or MISSED (exit status 1).
"""

import random
import statistics
import sys
import time
from datetime import timedelta

from bench import stack

STORED, CHECKS, RECORDS = 10_000, 400, 100
TARGET_MS = 20.0
SEED = 15

LATIN, ARABIC = "bcdfghjklmnprstvwz", "بپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
VOWELS, ARABIC_VOWELS = "aeiou", "اوی"


def vocabulary(rng, consonants, vowels, size=5_000):
    """Made-up words, so that unrelated texts share as little as real ones do."""
    words = set()
    while len(words) < size:
        syllables = rng.randint(1, 4)
        words.add("".join(rng.choice(consonants) + rng.choice(vowels) for _ in range(syllables)))
    return sorted(words)


def sentence_maker(rng, words):
    """Words drawn with Zipf-like frequencies, as in natural language."""
    weights = [1 / rank for rank in range(1, len(words) + 1)]

    def text(length):
        out = []
        while sum(map(len, out)) + len(out) < length:
            out.append(" ".join(rng.choices(words, weights, k=rng.randint(5, 15))) + ".")
        return " ".join(out)[:length]

    return text


def campaign_text(rng, template, words):
    """A campaign message with the small changes a sender makes to slip past filters."""
    parts = template.split()
    for _ in range(rng.randint(1, 3)):
        parts[rng.randrange(len(parts))] = rng.choice(words)
    text = " ".join(parts)
    return rng.choice(["", "سلام، ", "Hello! "]) + text + rng.choice(["", "!", " 🙏", " ۱۲"])


def unrelated(rng, make, count):
    """Ordinary comments of 200-1,500 characters, some linking a site of their own."""
    texts = []
    for i in range(count):
        text = make(rng.randint(200, 1_500))
        if rng.random() < 0.3:
            text += f" https://site{rng.randrange(10**9)}.example/page{i}"
        texts.append(text)
    return texts


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    env = stack.bench_environment(database="cms_bench_campaigns")
    stack.manage(env, "migrate", "--no-input", "-v0")
    stack.use_environment(env)
    from django.db import connection
    from django.utils import timezone

    from comments import campaigns
    from comments.models import Comment, Fingerprint
    from tests.builders import make_statement

    rng = random.Random(SEED)
    statement = make_statement(title="Campaign bench", slug="campaign-bench")
    persian = vocabulary(rng, ARABIC, ARABIC_VOWELS)
    make_persian, make_latin = (
        sentence_maker(rng, persian),
        sentence_maker(rng, vocabulary(rng, LATIN, VOWELS)),
    )
    templates = [make_persian(rng.randint(150, 400)) for _ in range(5)]
    texts = [campaign_text(rng, templates[i % 5], persian) for i in range(1_000)]
    texts += unrelated(rng, make_persian, (STORED - len(texts)) // 2)
    texts += unrelated(rng, make_latin, STORED - len(texts))
    rng.shuffle(texts)
    now = timezone.now()
    print(f"Storing {STORED:,} comments with their fingerprints ({connection.vendor}) ...")
    comments = Comment.objects.bulk_create(
        Comment(
            statement=statement,
            name=f"Reader {i}",
            text=text,
            html="",
            ip_address=f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}",
            created_at=now - timedelta(seconds=STORED - i),
        )
        for i, text in enumerate(texts)
    )
    Fingerprint.objects.bulk_create(
        (
            Fingerprint(comment=c, kind=kind, value=value, created_at=c.created_at)
            for c in comments
            for kind, value in campaigns.comment_fingerprints(c.text)
        ),
        batch_size=5_000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  {Fingerprint.objects.count():,} fingerprints stored\n")

    new_texts = [campaign_text(rng, rng.choice(templates), persian) for _ in range(CHECKS // 2)]
    new_texts += unrelated(rng, make_persian, CHECKS // 4)
    new_texts += unrelated(rng, make_latin, CHECKS // 4)
    rng.shuffle(new_texts)
    campaigns.check(new_texts[0])  # warm up
    timings, matched = [], 0
    for text in new_texts:
        started = time.perf_counter()
        found = campaigns.check(text)
        timings.append((time.perf_counter() - started) * 1000)
        matched += bool(found)
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    print(f"campaigns.check, {CHECKS} new comments against the last {STORED:,}:")
    print(f"  median {median:.2f} ms, 95th percentile {p95:.2f} ms, max {max(timings):.2f} ms")
    print(f"  {matched} of {CHECKS} related to earlier comments (expected about {CHECKS // 2})")

    record_timings = []
    for i, text in enumerate(new_texts[:RECORDS]):
        comment = Comment.objects.create(
            statement=statement, name="New", text=text, ip_address=f"172.16.0.{i}"
        )
        started = time.perf_counter()
        campaigns.record(comment)
        record_timings.append((time.perf_counter() - started) * 1000)
    print(
        f"campaigns.record (check and writes), {RECORDS} comments: median "
        f"{statistics.median(record_timings):.2f} ms, 95th percentile "
        f"{percentile(record_timings, 0.95):.2f} ms"
    )
    met = p95 <= TARGET_MS
    print(
        f"\nTarget: checking a new comment against the last {STORED:,} costs at most "
        f"{TARGET_MS:.0f} ms (95th percentile {p95:.2f} ms): {'MET' if met else 'MISSED'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
