"""The public history: revisions with dates and notes, comparisons, canonical texts."""

import hashlib
import json
import re
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from statements.models import Statement
from tests.builders import (
    make_draft,
    make_organization,
    make_scheduled,
    make_statement,
    make_user,
    save_in_admin,
    statement_form_data,
)
from tests.test_http_caching import assert_never_stored, assert_shared_cacheable

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_user("boss", is_staff=True, is_superuser=True)


@pytest.fixture
def statement(client, staff):
    statement = make_statement(
        title="Clean air now",
        body="<p>We call for clean air.</p><p>Every city must measure it.</p>",
        signatories=[make_organization(name="Union A")],
    )
    client.force_login(staff)
    save_in_admin(
        client,
        statement,
        body="<p>We call for clean air today.</p><p>Every city must measure it.</p>",
        note="Added a word.",
    )
    client.logout()
    statement.refresh_from_db()
    return statement


def test_statement_page_links_to_the_changes(client, statement):
    content = client.get(statement.get_absolute_url()).content.decode()
    assert "Updated on" in content
    assert f'href="{statement.get_history_url()}"' in content


def test_statement_page_with_one_revision_links_to_its_fingerprint_only(client):
    statement = make_statement()
    content = client.get(statement.get_absolute_url()).content.decode()
    assert "see changes" not in content
    assert f'href="{statement.get_history_url()}"' in content


def test_history_lists_revisions_newest_first_with_dates_notes_and_fingerprints(client, statement):
    response = client.get(statement.get_history_url())
    assert response.status_code == 200
    content = response.content.decode()
    second, first = statement.public_revisions.all()
    assert content.index("Revision 2") < content.index("Revision 1")
    assert "Added a word." in content and "Changed: text" in content
    assert "First published." in content
    assert first.fingerprint in content and second.fingerprint in content
    assert f'href="{second.get_text_url()}"' in content
    assert f'href="{statement.get_comparison_url(1, 2)}"' in content


def test_history_documents_the_command_that_checks_a_copy(client, statement):
    content = client.get(statement.get_history_url()).content.decode()
    latest = statement.public_revisions.first()
    assert f"curl -s http://testserver{latest.get_text_url()} | sha256sum" in content


def test_canonical_text_hashes_to_the_fingerprint_shown(client, statement):
    for revision in statement.public_revisions.all():
        response = client.get(revision.get_text_url())
        assert response.status_code == 200
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        assert hashlib.sha256(response.content).hexdigest() == revision.fingerprint
    text = client.get(statement.get_revision_text_url(2)).content.decode()
    assert text.startswith("Clean air now\n")
    assert "We call for clean air today." in text and text.endswith("--\nUnion A\n")


def test_comparison_marks_added_and_removed_words(client, statement):
    response = client.get(statement.get_comparison_url(1, 2))
    assert response.status_code == 200
    content = response.content.decode()
    assert re.search(r"<ins>.*today\..*</ins>", content)
    assert re.search(r"<del>.*air\..*</del>", content)
    assert "Added:" in content and "Removed:" in content  # heard by screen readers
    assert "Unchanged." in content  # the title, the date, the signatories


def test_comparison_in_the_other_order_redirects(client, statement):
    response = client.get(statement.get_comparison_url(2, 1))
    assert response.status_code == 301
    assert response["Location"] == statement.get_comparison_url(1, 2)


def test_compare_form_leads_to_the_comparison(client, statement):
    response = client.get(statement.get_history_url(), {"older": "2", "newer": "1"})
    assert response.status_code == 302
    assert response["Location"] == statement.get_comparison_url(1, 2)


@pytest.mark.parametrize(
    "query",
    [{"older": "1", "newer": "1"}, {"older": "x", "newer": "2"}, {"older": "9", "newer": "1"}],
)
def test_bad_compare_form_input_is_explained(client, statement, query):
    response = client.get(statement.get_history_url(), query)
    assert response.status_code == 200
    assert "Choose two different revisions to compare." in response.content.decode()


def test_note_is_plain_text_shown_escaped(client):
    statement = make_statement()
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    save_in_admin(client, statement, body="<p>Other.</p>", note='<script>alert("x")</script> & <b>')
    client.logout()
    content = client.get(statement.get_history_url()).content.decode()
    assert "<script>alert" not in content
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;" in content


def test_missing_revisions_and_comparisons_are_404(client, statement):
    for url in (
        statement.get_comparison_url(1, 3),
        statement.get_comparison_url(2, 2),
        statement.get_revision_text_url(3),
        statement.get_revision_text_url(0),
        statement.get_history_url().replace(statement.slug, "no-such-statement"),
    ):
        response = client.get(url)
        assert response.status_code == 404, url


@pytest.mark.parametrize("builder", [make_draft, make_scheduled])
def test_history_of_a_statement_readers_cannot_see_is_404(client, builder):
    hidden = builder()
    for url in (
        hidden.get_history_url(),
        hidden.get_revision_text_url(1),
        hidden.get_comparison_url(1, 2),
    ):
        assert client.get(url).status_code == 404, url


def test_unpublished_statement_keeps_its_history_hidden_until_republished(client, statement):
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.DRAFT)
    assert client.get(statement.get_history_url()).status_code == 404
    assert client.get(statement.get_revision_text_url(1)).status_code == 404
    assert statement.public_revisions.count() == 2
    Statement.objects.filter(pk=statement.pk).update(status=Statement.Status.PUBLISHED)
    assert client.get(statement.get_history_url()).status_code == 200


def test_wrong_date_in_history_address_redirects(client, statement):
    wrong = statement.get_history_url().replace(f"/{statement.published_at.year}/", "/1999/")
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == statement.get_history_url()


def test_history_pages_follow_the_public_caching_rules(client, statement):
    urls = [
        statement.get_history_url(),
        statement.get_comparison_url(1, 2),
        statement.get_revision_text_url(2),
    ]
    for url in urls:
        assert_shared_cacheable(client.get(url))
    client.force_login(make_user("reader"))
    for url in urls:
        assert_never_stored(client.get(url))


def test_a_new_revision_is_on_the_history_page_at_once(client, staff, statement):
    assert "Revision 3" not in client.get(statement.get_history_url()).content.decode()
    client.force_login(staff)
    save_in_admin(client, statement, title="Clean air, now")
    client.logout()
    content = client.get(statement.get_history_url()).content.decode()
    assert "Revision 3" in content and "Changed: title" in content


def test_json_ld_carries_date_modified_and_version(client, statement):
    content = client.get(statement.get_absolute_url()).content.decode()
    data = json.loads(re.search(r'application/ld\+json">(.*?)</script>', content).group(1))
    assert data["version"] == "2"
    assert data["dateModified"] == statement.revised_at.isoformat()


def test_right_to_left_text_is_compared_word_by_word(client):
    statement = make_statement(title="بیانیه", body="<p>ما خواهان صلح هستیم.</p>")
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    save_in_admin(client, statement, body="<p>ما خواهان صلح و آزادی هستیم.</p>")
    client.logout()
    content = client.get(statement.get_comparison_url(1, 2)).content.decode()
    assert re.search(r'<p dir="auto" class="changed">ما خواهان صلح <ins>.*و آزادی.*</ins>', content)


def test_history_page_queries_do_not_grow_with_revisions(
    client, staff, statement, django_assert_num_queries
):
    # the statement, its revisions, its editions (languages), the site's identity (once)
    with django_assert_num_queries(4):
        client.get(statement.get_history_url())
    client.force_login(staff)
    for n in range(3):
        statement.refresh_from_db()
        save_in_admin(client, statement, title=f"Clean air {n}")
    client.logout()
    with django_assert_num_queries(3):
        client.get(statement.get_history_url())


def test_comparison_of_two_revisions_is_kept_in_the_cache(
    client, statement, django_assert_num_queries
):
    client.get(statement.get_comparison_url(1, 2))
    # The statement, the two revisions and its editions (languages); no comparison work.
    with django_assert_num_queries(4):
        client.get(statement.get_comparison_url(1, 2))
    assert timezone.now()


def test_comparison_shows_dates_as_the_page_language_writes_them(client, staff):
    eleventh = datetime(2020, 11, 11, 12, tzinfo=UTC)
    statement = make_statement(language="fa", title="بیانیه", published_at=eleventh)
    client.force_login(staff)
    data = statement_form_data(statement, published_at_0="2020-11-12")
    save_in_admin(client, statement, data=data, note="تاریخ درست شد.")
    client.logout()
    statement.refresh_from_db()
    content = client.get(statement.get_comparison_url(1, 2)).content.decode()
    assert "2020-11-1" not in content
    assert re.search(r"<del>.*۲۱.*</del> <ins>.*۲۲.*</ins> آبان ۱۳۹۹", content)
