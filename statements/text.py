"""Fold text so that the ways a reader may type the same Persian word compare equal.

``fold`` is pure (text in, text out; no Django) and is the one definition of "the same word
whatever keyboard typed it": search uses it on both the stored text and the query, and campaign
and duplicate detection are meant to use it too. Folding is lossy on purpose; store it beside
the text, never instead of it.

What folds together, in this order:

1. Case: ``str.casefold`` with compatibility decomposition (NFKD) before and after, Unicode's
   compatibility caseless match (D145). NFKD also turns Arabic presentation forms, copied from
   PDFs ("ﺳﻼﻡ"), into plain letters, and full-width or styled letters and digits into plain ones.
2. Marks: every non-spacing mark goes, so harakat (fatha, kasra, damma, tanwin, shadda, sukun),
   the superscript alef and the hamza and madda written above or below a letter are ignored.
   Decomposition has split "آ", "أ", "إ", "ؤ", "ئ" and "ۂ" into a letter and such a mark, so they
   match "ا", "و" and "ی": Persian writers often leave the hamza and the madda out
   ("ازادی" for "آزادی", "مسئله" and "مسأله"), and Arabic keyboards put them where Persian
   spelling has none ("إسلام"). An occasional extra match is better than a missed statement.
   Latin accents go the same way ("Erklarung" finds "Erklärung").
3. Letters: Arabic yeh "ي" and alef maksura "ى" become Persian yeh "ی"; Arabic kaf "ك" becomes
   Persian keheh "ک"; teh marbuta "ة", heh with yeh above "ۀ" and the Kurdish/Urdu hehs "ە",
   "ہ" become "ه" (Persian writes "ة" as "ه" in most borrowed words: "علاقه"/"علاقة").
4. Digits: Arabic-Indic "٠-٩" and Persian "۰-۹" become ASCII "0-9"; the Arabic decimal and
   thousands separators become "." and ",".
5. Joiners and spaces: the zero-width non-joiner (the half-space of "می‌خواهم") is a word
   boundary typed either as it or as a space, so it becomes a space; tatweel (kashida), the
   zero-width joiner, soft hyphen, direction marks and the byte-order mark are removed; every
   run of whitespace becomes one space, and the ends are trimmed.

Time is linear in the length of the text: each step is one pass.
"""

import re
import unicodedata

__all__ = ["fold"]

_LETTERS = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي Arabic yeh → ی
        "\u0649": "\u06cc",  # ى alef maksura → ی
        "\u0643": "\u06a9",  # ك Arabic kaf → ک
        "\u0629": "\u0647",  # ة teh marbuta → ه
        "\u06c0": "\u0647",  # ۀ heh with yeh above (when not decomposed) → ه
        "\u06d5": "\u0647",  # ە ae (ۀ decomposes to it) → ه
        "\u06c1": "\u0647",  # ہ heh goal → ه
        "\u066b": ".",  # ٫ Arabic decimal separator
        "\u066c": ",",  # ٬ Arabic thousands separator
        "\u200c": " ",  # zero-width non-joiner: a word boundary, as a space is
        "\u0640": None,  # tatweel
        "\u200d": None,  # zero-width joiner
        "\u00ad": None,  # soft hyphen
        "\u200e": None,  # left-to-right mark
        "\u200f": None,  # right-to-left mark
        "\u061c": None,  # Arabic letter mark
        "\ufeff": None,  # byte-order mark, zero-width no-break space
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Persian digits
    }
)
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Return ``text`` folded for comparison: see the module's docstring for what folds.

    ``fold(fold(text)) == fold(text)``, and time is linear in ``len(text)``.
    """
    text = unicodedata.normalize("NFKD", text.casefold())
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(char for char in text if unicodedata.category(char) != "Mn")
    return _SPACES.sub(" ", text.translate(_LETTERS)).strip()
