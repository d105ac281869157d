"""Label text normalisation for search (text linking shares its Norwegian letters).

Users type without accents, in any case, and Nordic keyboards are not everywhere: a query
"helsesekretaer" must find "helsesekretær" and "sjukskoterska" must find "sjuksköterska". One
function, :func:`normalise`, folds a label and a query the same way, so the index and the
query can never disagree about what a character means. Text linking's lexical index has its
own normaliser (it keeps accents and "c++") and folds only :data:`NORWEGIAN_LETTERS` alike.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["NORWEGIAN_LETTERS", "normalise", "tokens", "trigrams"]

#: The letters Norwegian writes and Swedish does not, folded to what a person without the key
#: types (æ -> ae as in "helsesekretaer", ø -> o). Text linking's lexical index folds these
#: two only: "blodprøver" then meets ESCO's Swedish "ta blodprover", and Swedish and English
#: labels keep every gram they had.
NORWEGIAN_LETTERS = {"ø": "o", "æ": "ae"}

# Letters NFKD does not decompose (å, ä and ö it does), and apostrophes: search folds every
# Nordic letter, so Swedish and Norwegian spellings of the same stem meet ("skoterska",
# "sykepleier").
_LETTERS = str.maketrans(
    {
        **NORWEGIAN_LETTERS,
        "œ": "oe",
        "đ": "d",
        "ð": "d",
        "ł": "l",
        "þ": "th",
        "\u0131": "i",  # dotless i
        # apostrophes join ("children's" -> "childrens") instead of splitting a word
        "'": "",
        "\u2019": "",
    }
)
_NOT_WORD = re.compile(r"[^0-9a-z]+")
# combining diacritical marks left by NFKD (é -> e + U+0301); a regex is ten times faster
# than testing unicodedata.combining() per character, which matters over 150k labels
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def normalise(text: str) -> str:
    """Casefolded, accent-free, ASCII-letter text with single spaces between words."""
    folded = text.casefold()
    if not folded.isascii():
        decomposed = unicodedata.normalize("NFKD", folded.translate(_LETTERS))
        folded = _MARKS.sub("", decomposed)
    return _NOT_WORD.sub(" ", folded.replace("'", "")).strip()


def tokens(text: str) -> list[str]:
    """The words of ``text`` after :func:`normalise`."""
    return normalise(text).split()


def trigrams(token: str) -> set[str]:
    """Character trigrams of a word padded with ``$`` so word starts and ends count."""
    padded = f"${token}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}
