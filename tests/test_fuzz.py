"""Generated hostile submissions: never a 5xx, never a lost or doubled comment.

The comment endpoint gets 2,000 generated submissions (random and malformed values, missing
and duplicated fields, huge values, wrong content types, invalid UTF-8, forged addresses,
stale and replayed challenges); public pages get junk query parameters.
"""

import json
import time
from datetime import UTC, datetime
from urllib.parse import quote_from_bytes

import pytest
from captcha.models import CaptchaStore
from django.core import signing
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments.models import Comment
from statements.models import Statement
from tests.builders import make_statement

pytestmark = pytest.mark.django_db

FUZZ = hypothesis_settings(
    max_examples=2000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

junk_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=300),
    st.sampled_from(
        ["", " ", "\x00", "<script>alert(1)</script>", "javascript:alert(1)", "x" * 6000]
    ),
)
EXPIRED = datetime(2000, 1, 1, tzinfo=UTC)
FIELDS = ["name", "email", "homepage", "text", "url", "started", "captcha_0", "captcha_1"]


@st.composite
def submissions(draw):
    """A (path, body, content_type, extra headers) to POST, and whether it could be valid."""
    challenge = draw(st.sampled_from(["fresh", "fresh", "fresh", "used", "expired", "forged"]))
    fields = {
        "name": draw(st.one_of(st.just("Ada"), junk_text)),
        "email": draw(st.one_of(st.just(""), st.emails(), junk_text)),
        "homepage": draw(st.one_of(st.just(""), st.just("https://example.org/"), junk_text)),
        "text": draw(st.one_of(st.just("A fine comment."), junk_text)),
        "url": draw(st.one_of(st.just(""), st.just(""), junk_text)),
        "started": draw(st.one_of(st.just("stamp"), junk_text)),
        "captcha_0": challenge,
        "captcha_1": draw(st.one_of(st.just("answer"), junk_text)),
    }
    for name in draw(st.sets(st.sampled_from(FIELDS), max_size=3)):
        del fields[name]
    duplicated = draw(st.sets(st.sampled_from(FIELDS), max_size=2))
    shape = draw(st.sampled_from(["form", "form", "form", "json", "multipart", "bytes", "text"]))
    target = draw(st.sampled_from(["statement", "statement", "statement", "draft", "forged"]))
    remote = draw(st.sampled_from(["127.0.0.1", "203.0.113.7", "2001:db8::1", "not-an-ip", ""]))
    raw = draw(st.binary(max_size=200))
    return fields, duplicated, shape, target, remote, raw


def encode(fields, duplicated, shape, raw):
    pairs = [(k, v) for k, v in fields.items()] + [
        (k, fields[k]) for k in duplicated if k in fields
    ]
    if shape == "json":
        return json.dumps(dict(pairs)).encode(), "application/json"
    if shape == "text":
        return raw, "text/plain"
    if shape == "bytes":
        body = b"&".join(
            quote_from_bytes(k.encode()).encode() + b"=" + raw + v.encode("utf-8", "surrogatepass")
            for k, v in pairs
        )
        return body, "application/x-www-form-urlencoded"
    if shape == "multipart":
        boundary = "fuzzboundary"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n'.encode()
            + v.encode("utf-8", "surrogatepass")
            + b"\r\n"
            for k, v in pairs
        ]
        return b"".join(
            parts
        ) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"
    body = "&".join(f"{k}={quote_from_bytes(v.encode('utf-8', 'surrogatepass'))}" for k, v in pairs)
    return body.encode(), "application/x-www-form-urlencoded"


def resolve_challenge(fields, used):
    """Turn the symbolic challenge into a real key and (for "answer") its real answer."""
    kind = fields.get("captcha_0")
    if kind in ("fresh", "expired"):
        key = CaptchaStore.generate_key()
        if kind == "expired":
            CaptchaStore.objects.filter(hashkey=key).update(expiration=EXPIRED)
    elif kind == "used" and used:
        key = used[-1]
    else:
        key = "f" * 40
    if "captcha_0" in fields:
        fields["captcha_0"] = key
    store = CaptchaStore.objects.filter(hashkey=key).first()
    if fields.get("captcha_1") == "answer":
        fields["captcha_1"] = store.response if store else "nope"
    if fields.get("started") == "stamp":
        fields["started"] = signing.dumps(time.time() - 60, salt="comments.form-started")
    return key


@pytest.fixture
def targets():
    statement = make_statement(slug="fuzzed")
    draft = make_statement(slug="fuzzed-draft", status=Statement.Status.DRAFT)
    return {
        "statement": statement.get_comment_url(),
        "draft": draft.get_comment_url(),
        "forged": "/en/statements/2020/13/%00forged/comment/",
    }


def test_generated_comment_submissions_never_fail_or_lose_anything(client, targets, settings):
    settings.COMMENTS_FLOOD_LIMIT = 10_000  # the flood limit has tests of its own
    used = []
    outcomes = {"accepted": 0, "refused": 0}

    @FUZZ
    @given(submissions())
    def post_one(submission):
        fields, duplicated, shape, target, remote, raw = submission
        key = resolve_challenge(fields, used)
        body, content_type = encode(fields, duplicated, shape, raw)
        before = Comment.objects.count()
        response = client.generic(
            "POST", targets[target], body, content_type=content_type, REMOTE_ADDR=remote
        )
        after = Comment.objects.count()
        used.append(key)
        assert response.status_code < 500, response.content[:500]
        if response.status_code == 302:
            outcomes["accepted"] += 1
            assert after == before + 1
        else:
            outcomes["refused"] += 1
            assert 400 <= response.status_code < 500
            assert after == before
            if target == "statement" and response.status_code != 405:
                page = response.content.decode()
                assert 'class="comment-form"' in page or "could not be read" in page

    post_one()
    # Both outcomes must have been exercised, or the test proves little.
    assert outcomes["accepted"] > 20 and outcomes["refused"] > 1000, outcomes


@hypothesis_settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(
        ["/fa/", "/en/statements/", "/fa/search/", "/en/statements/2020/", "/fa/feeds/rss/"]
    ),
    name=st.sampled_from(["page", "q", "year", "x"]),
    value=st.text(max_size=40) | st.sampled_from(["-1", "0", "99999999999999999999", "1e9"]),
)
def test_junk_query_parameters_give_a_normal_page_or_404(client, path, name, value):
    # A fresh slug each time: Hypothesis may draw the same value twice (sampled "0", typed "0").
    make_statement()
    response = client.get(path, {name: value})
    # A NUL in the query string is refused outright (cms.middleware).
    expected = (400,) if "\x00" in value else (200, 404)
    assert response.status_code in expected, (path, name, value, response.status_code)


def test_junk_years_and_slugs_are_404_not_errors(client):
    for path in (
        "/en/statements/0/",
        "/en/statements/99999999999/",
        "/en/statements/2020/00/x/",
        "/en/statements/2020/aa/x/",
        "/en/organizations/%00/",
        "/en/comments/form/0/",
        "/en/comments/form/99999999999999999999/",
    ):
        assert client.get(path).status_code == 404, path
