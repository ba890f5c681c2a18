"""statements.text.fold: the ways of typing one Persian word compare equal, one rule per test.

No database: fold is a pure function.
"""

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statements.text import fold

ZWNJ = "\u200c"


def test_arabic_yeh_and_alef_maksura_fold_to_persian_yeh():
    assert fold("علي") == fold("علی") == fold("على") == "علی"


def test_arabic_kaf_folds_to_persian_keheh():
    assert fold("كتاب") == fold("کتاب") == "کتاب"


def test_teh_marbuta_and_heh_variants_fold_to_heh():
    assert fold("علاقة") == fold("علاقه") == "علاقه"
    assert fold("خانۀ") == fold("خانهٔ") == fold("خانه") == "خانه"
    assert fold("\u06d5") == fold("\u06c1") == "ه"


def test_hamza_and_madda_on_alef_waw_and_yeh_are_ignored():
    assert fold("آزادی") == fold("ازادی") == "ازادی"
    assert fold("أحمد") == fold("إحمد") == fold("احمد") == "احمد"
    assert fold("مسئله") == fold("مسیله") == "مسیله"
    assert fold("مؤمن") == fold("مومن") == "مومن"


def test_zero_width_non_joiner_and_space_match():
    assert fold(f"می{ZWNJ}خواهم") == fold("می خواهم") == "می خواهم"
    assert fold(f"کتاب{ZWNJ}ها") == "کتاب ها"


def test_arabic_indic_persian_and_ascii_digits_match():
    assert fold("۱۳۹۹") == fold("١٣٩٩") == fold("1399") == "1399"
    assert fold("۰۱۲۳۴۵۶۷۸۹") == fold("٠١٢٣٤٥٦٧٨٩") == "0123456789"


def test_arabic_decimal_and_thousands_separators_become_ascii():
    assert fold("۳٫۵") == "3.5"
    assert fold("۱٬۰۰۰") == "1,000"


@pytest.mark.parametrize(
    "mark",
    ["\u064b", "\u064c", "\u064d", "\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0670"],
    ids=["fathatan", "dammatan", "kasratan", "fatha", "damma", "kasra", "shadda", "sukun", "alef"],
)
def test_harakat_are_ignored(mark):
    assert fold(f"ک{mark}تاب") == "کتاب"


def test_tatweel_is_removed():
    assert fold("کـــتاب") == "کتاب"


@pytest.mark.parametrize(
    "invisible",
    ["\u200d", "\u00ad", "\u200e", "\u200f", "\u061c", "\ufeff"],
    ids=["zwj", "soft-hyphen", "lrm", "rlm", "alm", "bom"],
)
def test_joiners_and_direction_marks_are_removed(invisible):
    assert fold(f"کتا{invisible}ب") == "کتاب"


def test_arabic_presentation_forms_fold_to_letters():
    assert fold("\ufeb3\ufefc\ufee1") == fold("سلام") == "سلام"


def test_case_and_latin_accents_are_ignored():
    assert fold("STATEMENT Straße Erklärung") == fold("statement strasse erklarung")
    assert fold("ＡＢＣ１２") == "abc12"  # full-width letters and digits


def test_runs_of_whitespace_become_one_space_and_ends_are_trimmed():
    assert fold("  حقوق \n\t بشر  ") == "حقوق بشر"


def test_one_sentence_typed_on_arabic_and_persian_keyboards_folds_the_same():
    arabic_keyboard = "بيانية مشترك ١٣٩٩ مي خواهيم"
    persian_keyboard = f"بیانیه مشترک ۱۳۹۹ می{ZWNJ}خواهیم"
    assert fold(arabic_keyboard) == fold(persian_keyboard)


# --- Properties ---------------------------------------------------------------------------------

PERSIAN_PIECES = [
    "ي", "ی", "ى", "ك", "ک", "ة", "ه", "ۀ", "هٔ", "آ", "أ", "إ", "ا", "ؤ", "ئ", ZWNJ, " ", "ـ",
    "\u064e", "\u0650", "\u0651", "۱", "١", "1", "٫", "ﻻ", "ﺳ", "ß", "İ", "ℌ", "ᾳ", "\u0345",
    "\u200d", "\u200f", "\t", "\n", "\u3000", "Ａ",
]  # fmt: skip
persian_text = st.lists(st.one_of(st.sampled_from(PERSIAN_PIECES), st.text(max_size=3))).map(
    "".join
)
any_text = st.one_of(persian_text, st.text())


@settings(max_examples=500, deadline=None)
@given(any_text)
def test_folding_twice_is_folding_once(text):
    assert fold(fold(text)) == fold(text)


@settings(max_examples=300, deadline=None)
@given(any_text)
def test_folded_text_has_no_marks_digits_or_letters_that_fold(text):
    folded = fold(text)
    for old in "يىكةۀ\u200c\u0640\u064e٠٩۰۹":
        assert old not in folded
    assert folded == folded.strip()
    assert "  " not in folded


@settings(max_examples=200, deadline=None)
@given(any_text, any_text)
def test_folding_respects_the_space_between_two_words(first, second):
    # Folding never glues two words together: a space stays a word boundary.
    assert fold(f"{first} {second}").split() == fold(first).split() + fold(second).split()


# A long text of a few pieces repeated: the shape of inputs that make a non-linear step blow up.
long_text = st.builds(
    lambda parts, times: ("".join(parts) * times)[:100_000],
    st.lists(st.sampled_from(PERSIAN_PIECES), min_size=1, max_size=4),
    st.integers(min_value=1, max_value=100_000),
)


@settings(max_examples=30, deadline=None)
@given(long_text)
def test_long_text_folds_in_linear_time(text):
    # 100,000 characters fold in about 0.15 s (about 1.5 microseconds each); a step that were
    # quadratic would take minutes. Loose bound, and the thread's CPU time: the machine is shared.
    started = time.thread_time()
    fold(text)
    assert time.thread_time() - started < 2.0
