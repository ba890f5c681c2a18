"""Word-level comparison: what changed is marked with <ins>/<del>, readable without colour."""

import re

import bleach

from statements.comparison import Labels, compare


def visible(html):
    """The text a sighted reader sees (visually hidden words removed, marks kept)."""
    html = re.sub(r'<span class="visually-hidden" dir="auto">.*?</span>', "", html)
    return re.sub(r"<[^>]+>", "", html)


def test_unchanged_text_has_no_marks():
    result = compare(["One two three."], ["One two three."])
    assert not result.changed
    assert result.blocks[0].html == "One two three."


def test_added_and_removed_words_are_marked_with_ins_and_del():
    result = compare(["We call for peace now"], ["We call for lasting peace"])
    html = result.blocks[0].html
    assert "<ins>" in html and "<del>" in html
    assert visible(html) == "We call for [+lasting] peace [\u2212now]"
    assert (result.additions, result.removals) == (1, 1)


def test_changes_are_announced_to_screen_readers_in_the_given_language():
    labels = Labels(added="افزوده:", added_end="پایان.", removed="حذف:", removed_end="پایان.")
    html = compare(["سلام دنیا"], ["سلام دنیای آزاد"], labels).blocks[0].html
    assert '<span class="visually-hidden" dir="auto">افزوده: </span>' in html
    assert '<span class="visually-hidden" dir="auto">حذف: </span>' in html
    assert 'aria-hidden="true">[+</span>' in html


def test_persian_words_are_compared_whole_with_zero_width_non_joiner():
    html = compare(["ما می\u200cخواهیم صلح"], ["ما می\u200cخواهیم آزادی"]).blocks[0].html
    assert "می\u200cخواهیم" in visible(html).split("[")[0]
    assert "صلح" in html and "آزادی" in html


def test_text_is_escaped_and_only_the_marks_are_markup():
    html = compare(['<script>alert("x")</script> & friends'], ["<b>bold</b> & friends"])
    markup = "".join(block.html for block in html.blocks)
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;" in markup and "&amp;" in markup
    allowed = bleach.clean(
        markup,
        tags={"ins", "del", "span", "br"},
        attributes={"span": ["class", "aria-hidden", "dir"]},
    )
    assert allowed == markup


def test_an_added_paragraph_is_a_block_of_its_own():
    result = compare(["First.", "Third."], ["First.", "Second.", "Third."])
    assert [block.changed for block in result.blocks] == [False, True, False]
    assert visible(result.blocks[1].html) == "[+Second.]"


def test_a_removed_paragraph_break_is_shown():
    result = compare(["One two.", "Three four."], ["One two. Three four."])
    assert "\u00b6" in visible("".join(b.html for b in result.blocks))


def test_line_breaks_inside_a_block_are_kept():
    result = compare(["Line one\nLine two"], ["Line one\nLine 2"])
    assert "<br>" in result.blocks[0].html


def test_long_rewritten_text_is_still_compared_correctly():
    old = [" ".join(f"w{i}" for i in range(6000))]
    new = [" ".join(f"x{i}" for i in range(6000))]
    result = compare(old, new)
    text = visible(result.blocks[0].html)
    assert "w0" in text and "x5999" in text
