"""What is an address and where it ends: the exact rules and limits, one rule per test.

These hold the behaviours that mutation testing (``make mutate``) found unguarded: each test
fails if the rule it names is weakened, including the same rule met with the Persian and Arabic
punctuation (``، ؛ ؟ « »``). No database: comments.formatting is a pure function.
"""

import unicodedata

import pytest

from comments import formatting
from comments.formatting import render_comment
from tests.test_formatting import link, para


def code_point(char):
    """A test id for a character, "U+00A0": pytest escapes others and then cannot select them."""
    return "".join(f"U+{ord(c):04X}" for c in char)


def plain(text):
    """The rendering of text that holds no address."""
    return para(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def mailto(address):
    return link(f"mailto:{address}", address)


def links_whole(text, href):
    """Whether ``text`` renders as one link to ``href`` and nothing else (long text shortened)."""
    output = render_comment(text)
    return (
        output.count("<a ") == 1
        and output.startswith(f'<p dir="auto"><a href="{href}"')
        and (output.endswith("</a></p>"))
    )


# --- E-mail addresses ---------------------------------------------------------------------------


def test_email_host_must_follow_the_at_sign_directly():
    assert render_comment("a@ b.example.org") == plain("a@ b.example.org")


def test_email_followed_by_another_at_sign_is_not_linked_in_part():
    assert render_comment("a@b.org@c.org") == plain("a@b.org@c.org")


@pytest.mark.parametrize("text", ["a.@example.org", "a..b@example.org", "...@example.org"])
def test_email_local_part_ending_in_a_dot_or_with_two_dots_in_a_row_is_not_linked(text):
    assert render_comment(text) == plain(text)


def test_email_local_part_after_leading_dots_is_linked_without_them():
    assert render_comment(".a@example.org") == para("." + mailto("a@example.org"))


def test_address_right_after_a_failed_email_at_sign_is_linked():
    # Scanning resumes right after the "@" of what was not an e-mail address.
    assert render_comment("a@http://example.org/") == para("a@" + link("http://example.org/"))


def test_email_host_is_never_an_ip_address():
    assert render_comment("a@1.2.3.4") == plain("a@1.2.3.4")
    assert render_comment("a@192.0.2.1") == plain("a@192.0.2.1")


@pytest.mark.parametrize(
    "local", ["कि", "e\u0300", "x\U000e0100"], ids=["devanagari", "u0300", "vs17"]
)
def test_email_local_part_with_combining_marks_is_linked_whole(local):
    assert render_comment(f"{local}@example.org") == para(mailto(f"{local}@example.org"))


def test_email_local_part_of_64_characters_is_linked_and_65_is_not():
    assert links_whole("a" * 64 + "@example.org", "mailto:" + "a" * 64 + "@example.org")
    assert render_comment("a" * 65 + "@example.org") == plain("a" * 65 + "@example.org")


# --- Host names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["http://setup.py1/", "a@example.c0m", "www.example.c0m", "http://example.1a/"]
)
def test_top_level_domain_with_a_digit_is_not_linked(text):
    assert render_comment(text) == plain(text)


@pytest.mark.parametrize(
    "text",
    ["http://-a.example.org/", "http://a-.example.org/", "www.-a.org", "a@b-.example.org"],
)
def test_label_starting_or_ending_with_a_dash_is_not_linked(text):
    assert "<a " not in render_comment(text)


def test_label_with_a_dash_inside_is_linked():
    assert render_comment("http://a-b.example.org/") == para(link("http://a-b.example.org/"))


def test_empty_label_is_not_linked():
    assert render_comment("http://a..example.org/") == plain("http://a..example.org/")


@pytest.mark.parametrize("tld", ["xn--p1ai", "XN--P1AI", "Xn--P1ai"])
def test_punycode_top_level_domain_is_linked_in_any_case(tld):
    assert render_comment(f"http://example.{tld}/") == para(link(f"http://example.{tld}/"))


def test_trailing_dashes_are_not_part_of_a_host():
    assert render_comment("http://example.xn--/") == para(link("http://example.xn") + "--/")


@pytest.mark.parametrize("address", ["http://EXAMPLE.MX", "WWW.EXAMPLE.MX", "A@EXAMPLE.MX"])
def test_host_keeps_its_last_letter(address):
    output = render_comment(address)
    assert f">{address}</a>" in output


def test_host_of_253_characters_is_linked_and_254_is_not():
    labels = "a" * 63 + "." + "b" * 63 + "." + "c" * 63 + "."
    host = labels + "d" * 61
    assert len(host) == 253
    assert links_whole(f"http://{host}/", f"http://{host}/")
    longer = labels + "d" * 62
    assert render_comment(f"http://{longer}/") == plain(f"http://{longer}/")


def test_label_of_63_characters_is_linked_and_64_is_not():
    assert links_whole("http://" + "a" * 63 + ".org/", "http://" + "a" * 63 + ".org/")
    assert "<a " not in render_comment("http://" + "a" * 64 + ".org/")


def test_top_level_domain_of_63_letters_is_linked_and_64_is_not():
    assert links_whole("http://example." + "a" * 63, "http://example." + "a" * 63)
    assert "<a " not in render_comment("http://example." + "a" * 64)


def test_top_level_domain_of_one_letter_is_not_linked_and_two_is():
    assert "<a " not in render_comment("http://example.a/")
    assert render_comment("http://example.ab/") == para(link("http://example.ab/"))


def test_combining_marks_join_a_host_first_mark_and_variation_selectors_included():
    for address in ["http://e\u0300xample.org/", "http://example.org\U000e0100/x"]:
        assert render_comment(address) == para(link(address))
    address = "http://example.or\U000e01efg"
    assert render_comment(address) == para(link(address))


def test_combining_mark_table_holds_every_mark_and_nothing_else():
    # The table is built once at import; building it again here lets mutation testing reach
    # the function that builds it. It must agree with the whole Unicode database.
    ranges = formatting._mark_ranges()
    assert len(ranges) % 3 == 0 and all(ranges[i + 1] == "-" for i in range(0, len(ranges), 3))
    listed = set()
    for i in range(0, len(ranges), 3):
        first, last = ord(ranges[i]), ord(ranges[i + 2])
        assert first <= last
        listed.update(range(first, last + 1))
    marks = {cp for cp in range(0x110000) if unicodedata.category(chr(cp))[0] == "M"}
    assert listed == marks
    assert ranges == formatting._MARKS


# --- Where an address ends ----------------------------------------------------------------------

SPACES = ["\u00a0", "\u1680", "\u2000", "\u2005", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f"]
# Invisible and format characters, quotes and punctuation that end an address wherever they are
# (the ends of each range the module lists, and the single characters).
STOPS = [
    "\u00ab", "\u00ad", "\u00bb", "\u0600", "\u0605", "\u061c", "\u06dd", "\u070f", "\u180e",
    "\u200b", "\u200d", "\u200f", "\u2018", "\u201f", "\u2026", "\u2039", "\u203a",
    "\u2060", "\u2064", "\u206a", "\u206f", "\u3000", "\u3001", "\u303f", "\ufeff", "\ufff9",
    "\ufffb", "\uff01", "\uff08", "\uff09", "\uff0c", "\uff0e", "\uff1a", "\uff1b", "\uff1f",
    "\uff3b", "\uff3d", "\uff5b", "\uff5d", "\uff61", "\uff64", "\U000e0000", "\U000e0001",
    "\U000e0020", "\U000e007f",
]  # fmt: skip
NOT_IN_ADDRESSES = ["<", ">", '"', "`", "{", "}", "|", "\\", "^", " ", "\t"]


@pytest.mark.parametrize("char", SPACES + STOPS + NOT_IN_ADDRESSES, ids=code_point)
def test_character_ends_an_address_in_its_path(char):
    output = render_comment(f"https://example.org/a{char}b")
    assert output.startswith(para(link("https://example.org/a"))[:-4])
    assert "b</a>" not in output


@pytest.mark.parametrize(
    "char", ["\u2060", "\u206f", "\U000e0001", "\U000e007f", "`", "\u00a0"], ids=code_point
)
def test_character_ends_an_email_address_and_a_www_address(char):
    assert render_comment(f"www.example.org{char}b").startswith(
        para(link("https://www.example.org", "www.example.org"))[:-4]
    )
    assert render_comment(f"a@example.org{char}b").startswith(para(mailto("a@example.org"))[:-4])


def test_characters_outside_the_stop_ranges_stay_in_the_path():
    for char in ["\u2017", "\u2027", "\u205e", "\u2070", "\ue000", "\U000e0080", "~", "*"]:
        address = f"https://example.org/a{char}b"
        assert render_comment(address) == para(link(address)), ascii(char)


@pytest.mark.parametrize("rest", ["#top", "?q=1", "/"])
def test_fragment_query_or_path_right_after_the_host_stays_in_the_link(rest):
    assert render_comment(f"http://example.org{rest}") == para(link(f"http://example.org{rest}"))
    assert render_comment(f"www.example.org{rest}") == para(
        link(f"https://www.example.org{rest}", f"www.example.org{rest}")
    )


def test_balanced_square_brackets_at_the_end_stay_in_the_link():
    assert render_comment("https://example.org/a[1]") == para(link("https://example.org/a[1]"))


def test_unbalanced_closing_brackets_are_trimmed_one_by_one():
    assert render_comment("https://example.org/a(b))]") == para(
        link("https://example.org/a(b)") + ")]"
    )


def test_all_trailing_punctuation_is_trimmed_not_only_the_last():
    assert render_comment("https://example.org/a!?.:;,'") == para(
        link("https://example.org/a") + "!?.:;,&#x27;"
    )


# --- Ports --------------------------------------------------------------------------------------


@pytest.mark.parametrize("port", ["1", "8080", "65535", "00080"])
def test_port_up_to_65535_is_part_of_the_link(port):
    address = f"http://example.org:{port}/a"
    assert render_comment(address) == para(link(address))


@pytest.mark.parametrize("port", ["65536", "99999", "123456", "000080"])
def test_port_above_65535_or_longer_than_five_digits_is_not_part_of_the_link(port):
    assert render_comment(f"http://example.org:{port}/a") == para(
        link("http://example.org") + f":{port}/a"
    )


def test_port_at_the_end_of_an_address_is_kept():
    assert render_comment("http://example.org:8080") == para(link("http://example.org:8080"))


# --- The same rules met with Persian and Arabic punctuation ---------------------------------------

PERSIAN_MARKS = ["\u060c", "\u061b", "\u061f"]  # ، ؛ ؟


@pytest.mark.parametrize("mark", PERSIAN_MARKS, ids=["comma", "semicolon", "question"])
def test_persian_punctuation_after_an_address_stays_outside(mark):
    assert render_comment(f"https://example.org/page{mark}") == para(
        link("https://example.org/page") + mark
    )
    assert render_comment(f"www.example.org{mark}") == para(
        link("https://www.example.org", "www.example.org") + mark
    )
    assert render_comment(f"a@example.org{mark}") == para(mailto("a@example.org") + mark)
    assert render_comment(f"http://example.org:8080{mark}") == para(
        link("http://example.org:8080") + mark
    )
    assert render_comment(f"http://example.org#top{mark}") == para(
        link("http://example.org#top") + mark
    )


@pytest.mark.parametrize("mark", PERSIAN_MARKS, ids=["comma", "semicolon", "question"])
def test_persian_punctuation_inside_a_path_stays_like_its_latin_counterpart(mark):
    address = f"https://example.org/a{mark}b"
    assert render_comment(address) == para(link(address))


def test_several_persian_and_latin_marks_after_an_address_are_all_trimmed():
    assert render_comment("https://example.org/a؟!،.") == para(
        link("https://example.org/a") + "؟!،."
    )


@pytest.mark.parametrize(
    "address, rendered",
    [
        ("https://example.org/", link("https://example.org/")),
        ("www.example.org", link("https://www.example.org", "www.example.org")),
        ("a@example.org", mailto("a@example.org")),
    ],
    ids=["url", "www", "email"],
)
def test_guillemets_around_an_address_stay_outside(address, rendered):
    assert render_comment(f"«{address}»") == para(f"«{rendered}»")


def test_guillemets_end_an_address_inside_its_path_as_a_double_quote_does():
    assert render_comment("https://example.org/a«b»") == para(link("https://example.org/a") + "«b»")
    assert render_comment('https://example.org/a"b"') == para(
        link("https://example.org/a") + "&quot;b&quot;"
    )


def test_persian_punctuation_does_not_glue_two_email_addresses():
    assert render_comment("a@example.org،b@example.org") == para(
        mailto("a@example.org") + "،" + mailto("b@example.org")
    )


def test_port_of_more_than_five_digits_followed_by_persian_punctuation_is_not_linked():
    assert render_comment("http://example.org:123456،") == para(
        link("http://example.org") + ":123456،"
    )
