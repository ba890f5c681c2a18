"""Approved comments under a statement: who, when, what, in order, and safely."""

import importlib
import re

import pytest
from django.apps import apps
from django.urls import reverse

from comments import moderation
from comments.models import Comment
from tests.builders import make_comment, make_organization

pytestmark = pytest.mark.django_db


def page(client, statement, **params):
    return client.get(statement.get_absolute_url(), params).content.decode()


def test_only_approved_comments_are_shown(client, statement):
    for status in ("approved", "pending", "rejected", "spam"):
        make_comment(statement, status=status, text=f"I am {status}.")
    content = page(client, statement)
    assert "I am approved." in content
    for status in ("pending", "rejected", "spam"):
        assert f"I am {status}." not in content


def test_comments_are_shown_oldest_first_with_anchor_and_direction(client, statement):
    first = make_comment(statement, text="First words.")
    make_comment(statement, text="Later words.")
    content = page(client, statement)
    assert content.index("First words.") < content.index("Later words.")
    assert f'id="comment-{first.pk}"' in content
    assert '<div class="comment-body" dir="auto">' in content
    assert '<span class="author" dir="auto">' in content
    assert f'href="#comment-{first.pk}"' in content


def test_author_links_to_homepage_with_nofollow_ugc(client, statement):
    make_comment(statement, name="Ada", homepage="https://ada.example.org/")
    assert '<a href="https://ada.example.org/" rel="nofollow ugc noopener">Ada</a>' in page(
        client, statement
    )


def test_email_is_never_shown(client, statement):
    make_comment(statement, email="secret@example.org")
    assert "secret@example.org" not in page(client, statement)


def test_markup_in_comment_is_shown_as_text(client, statement):
    make_comment(statement, name="<script>alert(1)</script>", text="<img src=x onerror=alert(1)>")
    content = page(client, statement)
    assert "<img src=x" not in content and "<script>alert" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_approved_count_is_shown_on_the_statement_and_in_lists(client, statement):
    statement.signatures.create(organization=make_organization(), order=1)
    for _ in range(3):
        make_comment(statement)
    moderation.refresh_comment_counts([statement.pk])
    assert "3 comments" in page(client, statement)
    assert "3 comments" in client.get(reverse("statements:list")).content.decode()


def test_more_than_fifty_comments_are_paginated(client, statement):
    for i in range(55):
        make_comment(statement, text=f"Numbered comment {i:02d}.")
    moderation.refresh_comment_counts([statement.pk])
    first = page(client, statement)
    assert "Numbered comment 49." in first and "Numbered comment 50." not in first
    second = page(client, statement, page=2)
    assert "Numbered comment 50." in second and "Numbered comment 49." not in second
    assert "Numbered comment 00." in page(client, statement, page="junk")


@pytest.mark.parametrize("comments", [10, 150])
def test_statement_page_queries_do_not_grow_with_comments(
    client, django_assert_num_queries, statement, comments
):
    for _ in range(comments):
        make_comment(statement)
    moderation.refresh_comment_counts([statement.pk])
    # statement, signatures, its editions (language links), comment count, comment page, the
    # replies of that page, the site's identity (pages.identity: once, then from the cache)
    with django_assert_num_queries(7):
        client.get(statement.get_absolute_url())
    with django_assert_num_queries(0):  # kept whole: not even the statement
        client.get(statement.get_absolute_url())


def test_approval_shows_at_once_despite_the_cached_section(client, statement):
    from comments.models import Comment
    from tests.builders import make_user

    make_comment(statement, text="Old news.")
    assert "Old news." in page(client, statement)  # now cached
    fresh = make_comment(statement, status="pending", text="Fresh approval.")
    assert "Fresh approval." not in page(client, statement)
    moderation.decide(Comment.objects.filter(pk=fresh.pk), "approved", make_user("mod"))
    assert "Fresh approval." in page(client, statement)
    moderation.decide(Comment.objects.filter(pk=fresh.pk), "spam", make_user("mod2"))
    assert "Fresh approval." not in page(client, statement)


def test_persian_comment_and_its_author_each_take_their_own_direction(client, statement):
    make_comment(statement, name="مریم", text="سلام\n\nببینید https://example.org/fa/بیانیه")
    content = page(client, statement)
    assert '<span class="author" dir="auto">مریم</span>' in content
    assert '<p dir="auto">سلام</p>' in content
    assert (
        '<a href="https://example.org/fa/بیانیه" rel="nofollow ugc noopener" dir="ltr">'
        "https://example.org/fa/بیانیه</a>"
    ) in content


def test_comments_stored_before_the_direction_rules_are_rendered_again_by_a_migration(statement):
    comment = make_comment(statement, text="Hello")
    Comment.objects.filter(pk=comment.pk).update(html="<p>Hello</p>")
    importlib.import_module("comments.migrations.0005_rerender_for_both_directions").rerender(
        apps, None
    )
    comment.refresh_from_db()
    assert comment.html == '<p dir="auto">Hello</p>'


@pytest.fixture
def articles_rendered():
    """How many comments' HTML was rendered from the template (not taken from the cache)."""
    from django.test.signals import template_rendered

    rendered = []

    def count(sender, template, **kwargs):
        if template.name == "comments/comment.html":
            rendered.append(template)

    template_rendered.connect(count)
    yield rendered
    template_rendered.disconnect(count)


def test_after_an_approval_only_the_new_comment_is_rendered(client, statement, articles_rendered):
    from tests.builders import make_user

    for n in range(3):
        make_comment(statement, text=f"Kept comment {n}.")
    page(client, statement)
    assert len(articles_rendered) == 3
    fresh = make_comment(statement, status="pending", text="Fresh approval.")
    moderation.decide(Comment.objects.filter(pk=fresh.pk), "approved", make_user("mod"))
    content = page(client, statement)
    assert len(articles_rendered) == 4
    assert all(f"Kept comment {n}." in content for n in range(3))
    assert "Fresh approval." in content


def test_a_kept_comment_shows_what_changed_in_it_and_around_it(client, statement):
    from statements.caching import statement_pages_changed

    comment = make_comment(statement, text="Read https://example.org/a first.")
    assert 'class="reply"' in page(client, statement)
    statement.comment_mode = statement.CommentMode.CLOSED  # by an editor
    statement.save()
    statement_pages_changed([statement.pk])
    content = page(client, statement)
    assert 'class="reply"' not in content
    assert 'class="report"' in content
    # Rendered again by rerender_comments, after a change of the rules.
    Comment.objects.filter(pk=comment.pk).update(html='<p dir="auto">Re-rendered words.</p>')
    statement_pages_changed([statement.pk])
    assert "Re-rendered words." in page(client, statement)


def test_a_deploy_with_new_translations_or_time_zone_draws_kept_comments_again(
    client, settings, tmp_path, request, articles_rendered
):
    """What a comment's HTML is made with besides the comment (the code, translations, the
    time zone) is part of its key: kept comments do not show the old words or times."""
    import shutil

    from statements.caching import release, statement_pages_changed
    from tests.builders import make_statement

    statement = make_statement(language="fa", title="دربارهٔ صلح")
    make_comment(statement, text="نظری کوتاه.")
    page(client, statement)
    assert len(articles_rendered) == 1
    # New translations: the same catalogue with bytes past its end that change nothing
    # (a catalogue is read by its offsets), as a deploy with new words brings new bytes.
    (folder,) = settings.LOCALE_PATHS
    shutil.copytree(folder, tmp_path / "locale")
    with (tmp_path / "locale" / "fa" / "LC_MESSAGES" / "django.mo").open("ab") as catalogue:
        catalogue.write(b"\0")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    release.cache_clear()  # the deploy's new processes
    request.addfinalizer(release.cache_clear)
    shown = page(type(client)(), statement)
    assert len(articles_rendered) == 2
    settings.TIME_ZONE = "UTC" if settings.TIME_ZONE != "UTC" else "Asia/Tehran"
    statement_pages_changed([statement.pk])
    moved = page(client, statement)
    assert len(articles_rendered) == 3
    assert re.search(r'<time datetime="([^"]+)"', moved).group(1) != re.search(
        r'<time datetime="([^"]+)"', shown
    ).group(1)
