"""The one definition of a text no encoder can write."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from careshift.domain.text import lone_surrogate


def test_a_lone_surrogate_is_found_where_it_is() -> None:
    assert lone_surrogate("nurse \ud800 x") == 6
    assert lone_surrogate("a\udfffb\ud800") == 1
    assert lone_surrogate("helsesekretær 🩺 blodprøver") is None
    assert lone_surrogate("") is None


@given(st.text())
def test_it_agrees_with_what_utf8_can_encode(text: str) -> None:
    try:
        text.encode("utf-8")
        expected = None
    except UnicodeEncodeError as exc:
        expected = exc.start
    assert lone_surrogate(text) == expected
