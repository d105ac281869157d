"""What makes a text impossible to encode, for every layer that must refuse it."""

from __future__ import annotations

import re

__all__ = ["lone_surrogate"]

# A Python string holds no surrogate pairs (a character beyond U+FFFF is one code point), so
# any surrogate in it is lone.
_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(text: str) -> int | None:
    """Index of the first unpaired UTF-16 surrogate in ``text`` (JSON's "\\ud800" decodes to
    one), which no encoder can write (UTF-8, either database driver, the embedding models);
    None when the text is valid Unicode."""
    found = _SURROGATE.search(text)
    return found.start() if found else None
