"""Text normalisation for the classifiers.

Feedback arrives typed on different keyboards (NFC or NFD, Telex or VNI, sometimes without any
diacritics). The classifier sees two views of every text:

* ``normalise``: NFC, lower case, collapsed whitespace; the accented view carries the most
  information ("bàn" and "bán" are different words);
* ``fold``: the same without diacritics and with ``đ`` written as ``d``, so that a text typed
  without marks still shares features with the accented training data.
"""

import re
import unicodedata

from digitalfront.core.text import fold as _core_fold

# Split punctuation off words so that "tốt." and "tốt" are the same token; keep letters, digits
# and the underscore that word segmenters use to join syllables ("giảng_viên").
_PUNCT = re.compile(r"([^\w\s])")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """NFC, lower-cased ``text`` with punctuation separated from words and whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).lower()
    text = _PUNCT.sub(r" \1 ", text)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """The diacritic-free view of ``text``: ``"Đường Hà Nội"`` -> ``"duong ha noi"``."""
    return _core_fold(normalise(text))


def has_diacritics(text: str) -> bool:
    """True when ``text`` carries Vietnamese diacritics (or ``đ``), i.e. folding changes it."""
    lowered = unicodedata.normalize("NFC", text).lower()
    return _core_fold(lowered) != _SPACES.sub(" ", lowered).strip()
