"""Readers answer approved comments; replies are moderated like comments and nest one level."""

import re

import pytest
from django.urls import reverse

from comments import moderation
from comments.models import Comment
from tests.builders import make_comment, make_statement, solved_comment_data

pytestmark = pytest.mark.django_db


def reply(client, statement, parent_pk, **fields):
    fields.setdefault("text", "I agree.")
    data = solved_comment_data(client, statement, parent=parent_pk, **fields)
    return client.post(statement.get_comment_url(), data)


def test_each_comment_has_a_plain_reply_link_to_the_comment_page(client, statement, comment):
    response = client.get(statement.get_absolute_url())
    content = response.content.decode()
    url = comment.get_reply_url()
    assert url == f"{statement.get_comment_url()}?reply_to={comment.pk}"
    assert f'href="{url}"' in content
    assert "public" in response["Cache-Control"]


def test_reply_form_names_the_comment_answered(client, statement, comment):
    for url in [comment.get_reply_url(), reverse("comments:form", args=[statement.pk])]:
        response = client.get(url, {"reply_to": comment.pk})
        content = response.content.decode()
        assert "Reply to Ada" in content
        assert f'name="parent" value="{comment.pk}"' in content
        assert "no-store" in response["Cache-Control"]


def test_reply_is_moderated_and_then_shown_under_its_comment(client, statement, comment):
    response = reply(client, statement, comment.pk)
    assert response.status_code == 302
    answer = Comment.objects.latest("pk")
    assert (answer.parent, answer.status) == (comment, Comment.Status.PENDING)
    assert "I agree." not in client.get(statement.get_absolute_url()).content.decode()
    moderation.decide(Comment.objects.filter(pk=answer.pk), "approved", None)
    content = client.get(statement.get_absolute_url()).content.decode()
    replies = content[content.index('class="replies"') :]
    assert f'id="comment-{answer.pk}"' in replies and "I agree." in replies
    assert f'href="#comment-{answer.pk}"' in content  # its own permalink


def test_reply_to_a_reply_joins_the_same_thread(client, statement, comment):
    first = make_comment(statement, status="approved", parent=comment, text="Second thought.")
    reply(client, statement, first.pk)
    assert Comment.objects.latest("pk").parent == comment
    assert first.get_reply_url().endswith(f"?reply_to={comment.pk}")


@pytest.mark.parametrize("target", ["pending", "other-statement", "missing"])
def test_reply_to_a_comment_not_shown_is_refused_and_the_text_kept(client, statement, target):
    parent = {
        "pending": lambda: make_comment(statement, status="pending").pk,
        "other-statement": lambda: make_comment(make_statement(), status="approved").pk,
        "missing": lambda: 999999,
    }[target]()
    response = reply(client, statement, parent, text="My careful answer.")
    assert response.status_code == 400
    content = response.content.decode()
    assert "The comment you are answering is no longer shown." in content
    assert "My careful answer." in content
    assert 'name="parent"' not in content  # sent again, it becomes a comment of its own
    assert not Comment.objects.filter(text="My careful answer.").exists()


def test_forged_parent_value_is_a_form_error_not_a_500(client, statement):
    response = reply(client, statement, "not-a-number")
    assert response.status_code == 400


def test_replies_stay_out_of_the_top_level_pages(client, statement, comment, settings):
    settings.COMMENTS_PER_PAGE = 1
    make_comment(statement, status="approved", parent=comment, text="Nested.")
    content = client.get(statement.get_absolute_url()).content.decode()
    assert "Comments page" not in content  # one top-level comment: one page
    assert "Nested." in content
    assert len(re.findall(r'<article class="comment"', content)) == 2


def test_replies_cost_one_query_for_the_whole_page(client, statement, django_assert_num_queries):
    for i in range(5):
        parent = make_comment(statement, status="approved", text=f"Top {i}")
        make_comment(statement, status="approved", parent=parent, text=f"Reply {i}")
    moderation.refresh_comment_counts([statement.pk])
    from django.core.cache import cache

    cache.clear()
    # statement, signatures, its editions (language links), comment count, top-level comments,
    # all their replies, the site's identity (pages.identity: once, then from the cache)
    with django_assert_num_queries(7):
        content = client.get(statement.get_absolute_url()).content.decode()
    assert "Reply 4" in content
