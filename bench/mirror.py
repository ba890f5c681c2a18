"""`python -m bench.mirror`: how long `export_site` takes for a site of realistic size.

Seeds the demo plus 200 statements with 150 approved comments each (a database of its own:
`cms_bench_mirror` beside DATABASE_URL's, or a SQLite file), then times a full export into an
empty directory, an export with nothing changed, and an export after one comment is approved.
Without REDIS_URL the cache is per-process memory; the export never uses it for pages.
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench import stack

STATEMENTS, COMMENTS = 200, 150


def seed():
    from django.core.management import call_command

    from comments import moderation
    from comments.formatting import render_comment
    from comments.models import Comment
    from statements.models import Organization, Signature, Statement

    call_command("load_demo", verbosity=0)
    organizations = [
        Organization.objects.create(name=f"Bench organization {i}", slug=f"bench-org-{i}")
        for i in range(10)
    ]
    body = "\n".join(
        f"<p>Paragraph {i} of the statement, long enough to be real. " * 4 + "</p>"
        for i in range(12)
    )
    statements = Statement.objects.bulk_create(
        Statement(
            title=f"Bench statement {n}",
            slug=f"bench-statement-{n}",
            summary="One or two sentences for lists and feeds.",
            body=body,
            status=Statement.Status.PUBLISHED,
            published_at=f"202{n % 6}-0{1 + n % 9}-1{n % 10}T12:00:00Z",
        )
        for n in range(STATEMENTS)
    )
    Signature.objects.bulk_create(
        Signature(statement=s, organization=organizations[(s.pk + k) % 10], order=k)
        for s in statements
        for k in range(3)
    )
    texts = [
        f"Comment {i}: I read https://example.org/item/{i} and agree.\n\nSecond paragraph "
        "with a mail address reader@example.org and more words."
        for i in range(COMMENTS)
    ]
    rendered = [render_comment(text) for text in texts]
    for statement in statements:
        Comment.objects.bulk_create(
            Comment(
                statement=statement,
                name=f"Reader {i}",
                text=texts[i],
                html=rendered[i],
                status=Comment.Status.APPROVED,
            )
            for i in range(COMMENTS)
        )
    moderation.refresh_comment_counts([s.pk for s in statements])
    return statements[STATEMENTS // 2]


def main():
    env = stack.bench_environment(database="cms_bench_mirror")
    env["DJANGO_ORIGIN_URL"] = "http://127.0.0.1"
    print("Preparing the bench database ...", flush=True)
    stack.manage(env, "migrate", "--no-input", "-v0")
    stack.use_environment(env)
    from django.contrib.auth.models import User

    from comments import moderation
    from comments.models import Comment
    from mirror.export import export_site

    start = time.perf_counter()
    statement = seed()
    print(
        f"Seeded {STATEMENTS} statements x {COMMENTS} comments in "
        f"{time.perf_counter() - start:.0f} s",
        flush=True,
    )
    folder = Path(tempfile.mkdtemp(prefix="cms-bench-mirror-"))
    try:
        target = folder / "site"
        full = export_site(target)
        unchanged = export_site(target)
        pending = Comment.objects.create(
            statement=statement, name="Late", text="A comment approved after the export"
        )
        moderation.decide(
            Comment.objects.filter(pk=pending.pk), "approved", User.objects.create(username="m")
        )
        incremental = export_site(target)
        files = sum(1 for p in target.rglob("*") if p.is_file())
        size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\nexport_site, demo + {STATEMENTS} statements x {COMMENTS} approved comments "
        f"({files} files, {size / 1e6:.1f} MB):\n"
    )
    print(f"{'export':<34}{'seconds':>9}{'rendered':>10}{'kept':>7}")
    for name, report in (
        ("full (empty directory)", full),
        ("nothing changed", unchanged),
        ("one comment approved", incremental),
    ):
        print(f"{name:<34}{report.seconds:>9.1f}{report.rendered:>10}{report.kept:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
