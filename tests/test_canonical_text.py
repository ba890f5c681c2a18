"""The canonical plain-text form that fingerprints cover: fixed, documented, stable."""

import hashlib
from datetime import date

from statements import canonical

PARTS = canonical.Parts(
    title="  A  joint   statement ",
    date=date(2020, 11, 11),
    body="First paragraph.\n\nSecond paragraph.",
    signatories=("United Republicans of Iran", "Union X (2020-12-01)"),
)


def test_canonical_form_is_title_date_body_then_signatories():
    assert canonical.canonical_text(PARTS) == (
        "A joint statement\n"
        "2020-11-11\n"
        "\n"
        "First paragraph.\n"
        "\n"
        "Second paragraph.\n"
        "\n"
        "--\n"
        "United Republicans of Iran\n"
        "Union X (2020-12-01)\n"
    )


def test_fingerprint_is_sha256_of_the_utf8_bytes_as_sha256sum_prints_it():
    text = canonical.canonical_text(PARTS)
    assert canonical.fingerprint(text) == hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert len(canonical.fingerprint(text)) == 64


def test_body_blocks_become_paragraphs_and_markup_is_dropped():
    body = (
        "<h2>Heading</h2>\n<p>One <strong>bold</strong>\n word &amp; "
        '<a href="https://example.org/">a link</a>.<br>Next line.</p>'
        "<ul><li>first</li><li>second</li></ul><ol><li>one</li><li>two</li></ol>"
        "<blockquote><p>Quoted.</p></blockquote>"
    )
    assert canonical.plain_text(body) == (
        "Heading\n\nOne bold word & a link.\nNext line.\n\n- first\n\n- second\n\n"
        "1. one\n\n2. two\n\nQuoted."
    )


def test_white_space_is_collapsed_but_persian_zero_width_non_joiner_is_kept():
    body = "<p>می\u200cخواهیم\u00a0\u00a0  آزادی\t</p>"
    assert canonical.plain_text(body) == "می\u200cخواهیم آزادی"


def test_text_is_nfc_normalised():
    decomposed = "Cafe\u0301"
    assert canonical.plain_text(f"<p>{decomposed}</p>") == "Caf\u00e9"
    parts = canonical.Parts(decomposed, date(2020, 1, 1), "", ())
    assert canonical.canonical_text(parts).startswith("Caf\u00e9\n")


def test_signatory_line_has_signed_as_words_and_a_late_joining_date():
    early = canonical.Signatory("Union X", signed_as="Political-Executive Boards of")
    late = canonical.Signatory("Union Y", joined_on=date(2021, 1, 2))
    assert early.line() == "Political-Executive Boards of Union X"
    assert late.line() == "Union Y (2021-01-02)"


def test_statement_without_signatories_still_ends_with_the_mark():
    parts = canonical.Parts("T", date(2020, 1, 1), "Body.", ())
    assert canonical.canonical_text(parts) == "T\n2020-01-01\n\nBody.\n\n--\n"
