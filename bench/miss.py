"""The first reader after an approval: how long the statement page takes to render when a
moderator has just approved a comment on it, so that no copy of the page can be used.

`make bench` prints it beside the warm figure. Run by itself, it measures one checkout, so
that two commits can be compared on one machine with the same comments (bench/readers.py):

    DATABASE_URL=postgresql://postgres@127.0.0.1/cms_miss REDIS_URL=redis://127.0.0.1:6379/13 \
    DJANGO_SECRET_KEY=<50+ random characters> DJANGO_DEBUG=0 DJANGO_ALLOWED_HOSTS=127.0.0.1 \
    python -m bench.miss

on an empty database (it migrates it and collects the static files) and a Redis database it
may empty. It uses only what older commits also have (the test client,
comments.moderation.decide), so a copy of this file and bench/readers.py runs in an older
checkout too.
"""

import os
import statistics
import sys
import time

ROUNDS = 40


def after_approval(statement, rounds=ROUNDS):
    """(median ms of the first render after an approval, median ms of the render after it),
    the statement page's first page of comments, in-process (Django's test client)."""
    from django.contrib.auth.models import User
    from django.test import Client

    from comments import moderation
    from comments.models import Comment

    client = Client(HTTP_HOST="127.0.0.1")
    url = statement.get_absolute_url()
    moderator, _ = User.objects.get_or_create(username="bench-moderator")

    def timed():
        start = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.status_code
        return elapsed, response.content.decode()

    timed()
    first, then = [], []
    for n in range(rounds):
        late = Comment.objects.create(
            statement=statement, name="Late reader", text=f"Approved late, number {n}"
        )
        moderation.decide(Comment.objects.filter(pk=late.pk), "approved", moderator)
        elapsed, page = timed()
        # The page counts the new comment: it was rendered again, not served from a copy.
        statement.refresh_from_db()
        assert str(statement.comment_count) in page, "the page did not change"
        first.append(elapsed)
        then.append(timed()[0])
    return statistics.median(first), statistics.median(then)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    from bench import readers

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    cache.clear()
    statement = readers.seed(slug="miss")
    first, then = after_approval(statement)
    print(
        f"Statement page, 150 comments [en], after an approval: median {first:.1f} ms, "
        f"the next reader {then:.1f} ms ({ROUNDS} approvals)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
