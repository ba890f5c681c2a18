"""render_comment against public corpora: XSS payloads and linkify edge cases.

tests/data/xss_payloads.txt holds payloads from the OWASP and PortSwigger cheat sheets,
published polyglots and mXSS patterns; tests/data/linkify_cases.json holds the documented
behaviour of Django's urlize, bleach's linkify and Drupal's URL filter, as this spec reads it.
"""

import json
import re
from pathlib import Path

import pytest

from comments.formatting import render_comment
from tests.test_formatting_properties import (
    FRAGMENT_GRAMMAR,
    allow_list_pass,
    assert_inert,
    assert_no_link,
    with_inert_links,
)

DATA = Path(__file__).resolve().parent / "data"
_ESCAPE = re.compile(r"\{(LF|CR|TAB|NUL|U\+([0-9A-Fa-f]{4,6}))\}")
_NAMED = {"LF": "\n", "CR": "\r", "TAB": "\t", "NUL": "\x00"}


def load_payloads():
    """Return (line number, payload) pairs, decoding the escapes the file header describes."""
    payloads = []
    text = (DATA / "xss_payloads.txt").read_text(encoding="utf-8")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line or line == "#" or line.startswith("# "):
            continue
        payload = _ESCAPE.sub(lambda m: _NAMED.get(m[1]) or chr(int(m[2], 16)), line)
        payloads.append((number, payload))
    return payloads


def load_linkify_cases():
    return json.loads((DATA / "linkify_cases.json").read_text(encoding="utf-8"))["cases"]


PAYLOADS = load_payloads()
LINKIFY_CASES = load_linkify_cases()


def test_corpora_are_large_enough():
    assert len(PAYLOADS) >= 150
    assert len(LINKIFY_CASES) >= 60


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=[f"line{n}" for n, _ in PAYLOADS])
def test_xss_payload_renders_as_inert_text(payload):
    output = render_comment(payload)
    assert FRAGMENT_GRAMMAR.fullmatch(output)
    assert_inert(payload, output)


@pytest.mark.parametrize(
    "case",
    LINKIFY_CASES,
    ids=[f"{i:03d}-{c['from'].split()[0]}" for i, c in enumerate(LINKIFY_CASES)],
)
def test_linkify_case_renders_as_documented(case):
    output = render_comment(case["input"])
    assert output == case["expected"], case.get("note", "")
    assert_inert(case["input"], output)


def test_allow_list_pass_leaves_the_whole_corpus_unchanged():
    inputs = [p for _, p in PAYLOADS] + [case["input"] for case in LINKIFY_CASES]
    changed = [
        text for text in inputs if allow_list_pass(render_comment(text)) != render_comment(text)
    ]
    assert changed == []


@pytest.mark.parametrize("payload", [p for _, p in PAYLOADS], ids=[f"line{n}" for n, _ in PAYLOADS])
def test_xss_payload_rendered_inert_has_no_link_at_all(payload):
    inert = render_comment(payload, links=False)
    assert inert == with_inert_links(render_comment(payload))
    assert_no_link(inert)
