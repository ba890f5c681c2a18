"""A reader's way in: the comment form, its CAPTCHA and its refusals, with nothing lost."""

import re

import pytest
from captcha.models import CaptchaStore
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment
from statements.caching import statement_pages_changed
from statements.models import Statement
from tests.builders import (
    make_draft,
    make_organization,
    solved_comment_data,
)

pytestmark = pytest.mark.django_db


def post(client, statement, data, **extra):
    return client.post(statement.get_comment_url(), data, **extra)


def test_comment_page_shows_the_form_with_captcha_and_format_help(client, statement):
    content = client.get(statement.get_comment_url()).content.decode()
    assert "<legend>CAPTCHA</legend>" in content
    assert "This question is for testing whether or not you are a human visitor" in content
    assert "Enter the characters shown in the image." in content
    assert "Plain text — No HTML tags allowed." in content
    assert re.search(r'<img src="/en/captcha/image/[0-9a-f]+/"', content)


def test_valid_comment_is_stored_pending_and_the_author_is_redirected(client, statement):
    response = post(
        client, statement, solved_comment_data(client, statement, text="Hi www.example.org")
    )
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.text == "Hi www.example.org"
    assert '<a href="https://www.example.org"' in comment.html
    assert comment.ip_address == "127.0.0.1"
    assert response["Location"].startswith(statement.get_comment_posted_url())
    assert response["Location"].endswith(f"#comment-{comment.pk}")


def test_author_sees_own_pending_comment_marked_awaiting_moderation(client, statement):
    data = solved_comment_data(client, statement, text="Mine: https://example.org/x")
    response = post(client, statement, data, follow=True)
    content = response.content.decode()
    assert "queued for review" in content
    assert "Awaiting moderation" in content
    assert 'Mine: <span class="inert-link" dir="ltr">https://example.org/x</span>' in content
    assert 'href="https://example.org/x"' not in content  # links stay inert until approved
    assert "no-store" in response["Cache-Control"]


def test_pending_comment_shows_its_addresses_as_they_will_read_but_not_as_links(client, statement):
    text = "See https://example.org/x,\nwww.example.net or write to ada@example.org"
    response = post(
        client, statement, solved_comment_data(client, statement, text=text), follow=True
    )
    content = response.content.decode()
    pending = re.search(r'<article class="comment pending".*?</article>', content, re.S).group()
    for address in ("https://example.org/x", "www.example.net", "ada@example.org"):
        assert f'<span class="inert-link" dir="ltr">{address}</span>' in pending
    assert "href=" not in pending
    assert "<br>" in pending  # the same pipeline: lines and paragraphs as they will be
    assert "Addresses become links once the comment is published." in pending


def test_other_readers_do_not_see_a_pending_comment(client, statement):
    post(client, statement, solved_comment_data(client, statement, text="Secret pending text"))
    assert "Secret pending text" not in client.get(statement.get_absolute_url()).content.decode()


def test_tampered_pending_token_shows_nothing(client, statement):
    post(client, statement, solved_comment_data(client, statement, text="Secret pending text"))
    comment = Comment.objects.get()
    url = statement.get_comment_posted_url()
    forged = signing.dumps(comment.pk, salt="another.salt")
    for token in (forged, "garbage", str(comment.pk)):
        content = client.get(url, {"token": token}).content.decode()
        assert "Secret pending text" not in content


def test_expired_pending_token_shows_nothing(client, statement, settings):
    response = post(
        client, statement, solved_comment_data(client, statement, text="Secret pending text")
    )
    settings.COMMENTS_PENDING_TOKEN_MAX_AGE = -1
    assert "Secret pending text" not in client.get(response["Location"]).content.decode()


def assert_refused_with_input_kept(response, status=400):
    content = response.content.decode()
    assert response.status_code == status
    assert "Ada Reader" in content
    assert "A thoughtful comment." in content
    assert Comment.objects.count() == 0
    return content


def test_wrong_captcha_is_refused_with_input_kept_and_a_new_challenge(client, statement):
    data = solved_comment_data(client, statement, captcha_1="wrong")
    content = assert_refused_with_input_kept(post(client, statement, data))
    assert "The characters did not match" in content
    new_key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', content).group(1)
    assert new_key != data["captcha_0"]
    assert 'value="wrong"' not in content


def test_missing_captcha_is_refused_with_input_kept(client, statement):
    data = solved_comment_data(client, statement)
    del data["captcha_0"], data["captcha_1"]
    content = assert_refused_with_input_kept(post(client, statement, data))
    assert "Please type the characters shown in the image." in content


def test_expired_captcha_is_refused_with_input_kept(client, statement):
    data = solved_comment_data(client, statement)
    CaptchaStore.objects.filter(hashkey=data["captcha_0"]).update(expiration=timezone.now())
    assert_refused_with_input_kept(post(client, statement, data))


def test_reused_captcha_is_rejected(client, statement):
    data = solved_comment_data(client, statement)
    assert post(client, statement, data).status_code == 302
    again = post(client, statement, {**data, "text": "A second comment."})
    assert again.status_code == 400
    assert Comment.objects.count() == 1


def test_the_answer_is_read_in_any_case_and_without_surrounding_spaces(client, statement):
    data = solved_comment_data(client, statement)
    data["captcha_1"] = f"  {data['captcha_1'].upper()} "
    assert post(client, statement, data).status_code == 302
    assert not CaptchaStore.objects.filter(hashkey=data["captcha_0"]).exists()


def test_a_wrong_guess_uses_up_the_challenge(client, statement):
    data = solved_comment_data(client, statement)
    post(client, statement, {**data, "captcha_1": "nope"})
    assert post(client, statement, data).status_code == 400


def test_filled_honeypot_is_refused(client, statement):
    data = solved_comment_data(client, statement, url="http://spam.example")
    content = assert_refused_with_input_kept(post(client, statement, data))
    assert "could not be accepted" in content


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "This field is required."),
        ("text", "   ", "This field is required."),
        ("text", "x" * 5001, "Ensure this value has at most 5000 characters"),
        ("email", "not-an-address", "Enter a valid email address."),
        ("homepage", "javascript:alert(1)", "Enter a web address starting with http"),
        ("homepage", "ftp://example.org/", "Enter a web address starting with http"),
    ],
)
def test_invalid_fields_are_refused_with_a_clear_message(client, statement, field, value, message):
    response = post(client, statement, solved_comment_data(client, statement, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Comment.objects.count() == 0


def test_nul_and_control_characters_are_dropped_not_fatal(client, statement):
    data = solved_comment_data(client, statement, name="Ada\x00 Reader", text="Hel\x00lo\x07 there")
    assert post(client, statement, data).status_code == 302
    comment = Comment.objects.get()
    assert (comment.name, comment.text) == ("Ada Reader", "Hello there")


def test_invalid_utf8_body_is_not_a_server_error(client, statement):
    response = client.post(
        statement.get_comment_url(),
        b"name=\xff\xfe&text=\xc3\x28&captcha_0=x&captcha_1=y",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_huge_body_is_refused_with_400(client, statement):
    response = post(client, statement, {"name": "x", "text": "y" * 3_000_000})
    assert response.status_code == 400
    assert Comment.objects.count() == 0


def test_unknown_or_unpublished_statement_is_404(client, statement):
    draft = make_draft()
    data = solved_comment_data(client, statement)
    assert client.post(draft.get_comment_url(), data).status_code == 404
    assert client.post("/en/statements/2020/01/nope/comment/", data).status_code == 404
    assert client.get(reverse("comments:form", args=[999999])).status_code == 404
    assert Comment.objects.count() == 0


def test_rate_limit_answers_429_with_when_to_try_again_and_keeps_the_text(
    client, statement, settings
):
    settings.COMMENTS_FLOOD_LIMIT = 2
    for _ in range(2):
        assert post(client, statement, solved_comment_data(client, statement)).status_code == 302
    response = post(client, statement, solved_comment_data(client, statement, text="Third try."))
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= settings.COMMENTS_FLOOD_WINDOW
    content = response.content.decode()
    assert "Please try again in 10 minutes" in content
    assert "Third try." in content
    assert Comment.objects.count() == 2


def test_rate_limit_is_per_ip_and_shared_between_clients(
    client, statement, settings, django_user_model
):
    from django.test import Client

    settings.COMMENTS_FLOOD_LIMIT = 1
    other_browser = Client()
    assert post(client, statement, solved_comment_data(client, statement)).status_code == 302
    same_ip = post(other_browser, statement, solved_comment_data(other_browser, statement))
    assert same_ip.status_code == 429
    other_ip = post(
        other_browser,
        statement,
        solved_comment_data(other_browser, statement),
        REMOTE_ADDR="203.0.113.9",
    )
    assert other_ip.status_code == 302


def test_closed_statement_shows_comments_but_refuses_new_ones(client, statement):
    data = solved_comment_data(client, statement)
    Statement.objects.filter(pk=statement.pk).update(comment_mode=Statement.CommentMode.CLOSED)
    statement_pages_changed([statement.pk])  # as the admin does after every save
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Comments are closed" in page
    assert "Add new comment" not in page
    response = post(client, statement, data)
    assert response.status_code == 403
    assert "A thoughtful comment." in response.content.decode()  # kept for the reader to copy
    assert Comment.objects.count() == 0


def test_hidden_statement_has_no_comment_section_and_refuses_posts(client, statement):
    data = solved_comment_data(client, statement)
    Statement.objects.filter(pk=statement.pk).update(comment_mode=Statement.CommentMode.HIDDEN)
    statement_pages_changed([statement.pk])  # as the admin does after every save
    page = client.get(statement.get_absolute_url()).content.decode()
    assert 'id="comments"' not in page
    assert post(client, statement, data).status_code == 404
    assert Comment.objects.count() == 0


def test_form_fragment_is_never_cached_and_carries_csrf(client, statement):
    response = client.get(reverse("comments:form", args=[statement.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert 'name="csrfmiddlewaretoken"' in response.content.decode()
    assert "csrftoken" in response.cookies


def test_statement_page_sends_no_cookie_and_no_vary_cookie(client, statement):
    from tests.builders import make_comment

    make_comment(statement)
    response = client.get(statement.get_absolute_url())
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_csrf_is_enforced_on_comment_posts(statement):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    data = solved_comment_data(strict, statement)
    assert strict.post(statement.get_comment_url(), data).status_code == 403
    assert Comment.objects.count() == 0


def test_trusted_account_comments_are_published_at_once(client, editor, statement):
    assert post(client, statement, solved_comment_data(client, statement)).status_code == 302
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.APPROVED
    statement.refresh_from_db()
    assert statement.comment_count == 1


def test_author_sees_the_same_statement_page_as_readers_plus_their_comment(client, statement):
    statement.signatures.create(organization=make_organization(name="Peace Union"))
    reader_page = client.get(statement.get_absolute_url()).content.decode()
    data = solved_comment_data(client, statement, text="My own words")
    author_page = post(client, statement, data, follow=True).content.decode()
    parts = ("Peace Union", '<link rel="canonical"', "application/ld+json", "<h1>On peace</h1>")
    for part in parts:
        assert part in reader_page and part in author_page
    assert "My own words" in author_page


def test_each_reader_gets_the_form_with_their_own_token_challenge_and_start(client, statement):
    """The fragment's form is drawn once and reused (comments.views.form_fragment): every
    copy still carries its reader's own CSRF token, challenge and start time, and works."""
    url = reverse("comments:form", args=[statement.pk])
    names = ("csrfmiddlewaretoken", "captcha_0", "started")

    def own(html):
        return [re.search(rf'name="{name}" value="([^"]+)"', html).group(1) for name in names]

    first, second = (client.get(url).content.decode() for _ in range(2))
    mine, theirs = own(first), own(second)
    assert all(a != b for a, b in zip(mine, theirs, strict=True))
    key = theirs[1]
    assert reverse("captcha-image", args=[key]) in second
    for a, b in zip(mine, theirs, strict=True):
        first, second = first.replace(a, "·"), second.replace(b, "·")
    assert first == second  # the rest is the same form
    assert client.get(reverse("captcha-image", args=[key])).status_code == 200
    data = {
        "name": "Ada Reader",
        "text": "Posted from the second copy.",
        "captcha_0": key,
        "captcha_1": CaptchaStore.objects.get(hashkey=key).response,
        "started": theirs[2],
    }
    assert post(client, statement, data).status_code == 302
    assert signing.loads(theirs[2], salt="comments.form-started", max_age=60)


def test_the_form_is_made_from_kept_parts_but_closes_with_its_statement(
    client, statement, django_assert_num_queries
):
    url = reverse("comments:form", args=[statement.pk])
    assert client.get(url).status_code == 200
    with django_assert_num_queries(1):  # its challenge's row (the tests draw no pool)
        assert client.get(url).status_code == 200
    statement.comment_mode = statement.CommentMode.CLOSED  # an editor's save in the admin
    statement.save()
    statement_pages_changed([statement.pk])
    assert client.get(url).status_code == 404


def test_a_comment_costs_few_queries(client, statement, django_assert_num_queries):
    """A spike's submissions are bound by their queries (make spike)."""
    client.post(statement.get_comment_url(), solved_comment_data(client, statement))  # warm
    data = solved_comment_data(client, statement, text="Another view.")
    # the challenge used up (one query); what other comments tell (one query); in one
    # transaction (a savepoint here): the comment and the task that does the rest
    with django_assert_num_queries(6):
        assert client.post(statement.get_comment_url(), data).status_code == 302
