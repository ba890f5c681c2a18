"""Comments in both directions: Persian and English paragraphs, left-to-right addresses inside.

No database: comments.formatting is a pure function.
"""

from comments.formatting import normalise, render_comment
from tests.test_formatting import link, para

ZWNJ = "\u200c"


def test_each_paragraph_takes_its_own_direction():
    assert render_comment("سلام دوستان\n\nHello friends") == (
        '<p dir="auto">سلام دوستان</p>\n<p dir="auto">Hello friends</p>'
    )


def test_lines_of_one_paragraph_share_its_direction():
    assert render_comment("سلام\nHello") == '<p dir="auto">سلام<br>\nHello</p>'


def test_every_link_reads_left_to_right_isolated_from_the_text_around_it():
    address = "https://example.org/fa/بیانیه"
    output = render_comment(f"متن بیانیه را در {address} بخوانید")
    assert output == para(f"متن بیانیه را در {link(address)} بخوانید")
    assert f'dir="ltr">{address}</a>' in output


def test_email_and_www_links_are_isolated_too():
    output = render_comment("با info@example.org یا www.example.org تماس بگیرید")
    assert output.count('dir="ltr"') == 2


def test_zero_width_non_joiner_inside_persian_words_stays():
    text = f"ما می{ZWNJ}خواهیم که کتاب{ZWNJ}ها منتشر شوند"
    assert normalise(text) == text
    assert render_comment(text) == para(text)


def test_zero_width_non_joiner_in_the_path_of_an_address_stays_in_the_link():
    address = f"https://fa.example.org/wiki/می{ZWNJ}خواهیم"
    assert render_comment(f"{address} را ببینید") == para(f"{link(address)} را ببینید")


def test_zero_width_non_joiner_right_after_an_address_stays_outside():
    assert render_comment(f"https://example.org/a{ZWNJ} و") == para(
        f"{link('https://example.org/a')}{ZWNJ} و"
    )
    assert render_comment(f"www.example.org{ZWNJ}ها") == para(
        f"{link('https://www.example.org', 'www.example.org')}{ZWNJ}ها"
    )


def test_persian_comment_with_an_address_and_an_email_in_punctuation():
    text = "نشانی «https://example.org/fa/بیانیه»، ایمیل: info@example.org؛ پرسشی دارید؟"
    assert render_comment(text) == para(
        "نشانی «"
        + link("https://example.org/fa/بیانیه")
        + "»، ایمیل: "
        + link("mailto:info@example.org", "info@example.org")
        + "؛ پرسشی دارید؟"
    )
