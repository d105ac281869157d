"""Excerpts that explain a linked concept: the supporting spans in a little of their context."""

from __future__ import annotations

from careshift.entrypoints.web.pages.linking import excerpts

TEXT = "I take blood samples every day. " * 4 + "I also record ECGs for the cardiologist."


def _plain(excerpt: tuple[tuple[str, bool], ...]) -> str:
    return "".join(f"[{piece}]" if marked else piece for piece, marked in excerpt)


def test_a_short_text_is_shown_whole_with_its_span_marked() -> None:
    assert [_plain(e) for e in excerpts("I take blood samples.", ((2, 20),))] == [
        "I [take blood samples]."
    ]


def test_context_is_cut_at_whole_words_and_far_spans_get_their_own_excerpt() -> None:
    start = TEXT.index("record ECGs")
    shown = [_plain(e) for e in excerpts(TEXT, ((7, 20), (start, start + 11)), context=20)]
    assert shown == [
        "I take [blood samples] every day. I take…",
        "…every day. I also [record ECGs] for the…",
    ]


def test_overlapping_and_out_of_range_spans_are_merged_and_clamped() -> None:
    [excerpt] = excerpts("blood samples", ((0, 5), (3, 13), (10, 99), (5, 5)))
    assert _plain(excerpt) == "[blood samples]"
    assert excerpts("blood", ()) == ()


def test_at_most_three_excerpts_are_shown() -> None:
    spans = tuple((i, i + 5) for i in range(0, len(TEXT) - 5, 32))
    assert len(excerpts(TEXT, spans, context=5)) == 3
