"""A concept's description vector mixed into its label vectors (the static skill model)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from careshift.engine.linking import Calibration, Fusion, LinkParameters, with_descriptions


def _unit(rows: np.ndarray) -> np.ndarray:
    return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def test_a_label_vector_leans_towards_its_description_and_stays_of_unit_length() -> None:
    label, about, other = np.eye(3, dtype=np.float32)
    [mixed] = with_descriptions(label[None, :], about[None, :], 0.2)
    assert np.linalg.norm(mixed) == pytest.approx(1.0, abs=1e-6)
    assert mixed @ about > label @ about  # nearer the description than the bare label
    assert mixed @ label > mixed @ about  # but still mostly the label
    assert mixed @ other == pytest.approx(0.0, abs=1e-6)
    assert np.allclose(mixed, _unit((label + 0.2 * about)[None, :])[0], atol=1e-6)


def test_a_concept_without_a_description_keeps_its_label_vector() -> None:
    labels = _unit(np.arange(1, 13, dtype=np.float32).reshape(3, 4))
    described = np.zeros_like(labels)
    assert np.allclose(with_descriptions(labels, described, 0.2), labels, atol=1e-7)


@given(
    arrays(np.float32, (4, 8), elements=st.floats(-1, 1, width=32)),
    arrays(np.float32, (4, 8), elements=st.floats(-1, 1, width=32)),
    st.floats(0.0, 2.0),
)
@settings(max_examples=50, deadline=None)
def test_mixed_rows_are_of_unit_length_or_zero(
    labels: np.ndarray, about: np.ndarray, weight: float
) -> None:
    norms = np.linalg.norm(with_descriptions(labels, about, weight), axis=1)
    assert np.all((np.abs(norms - 1.0) < 1e-4) | (norms == 0.0))


def test_descriptions_must_match_the_label_vectors_row_for_row() -> None:
    with pytest.raises(ValueError, match="descriptions"):
        with_descriptions(np.eye(3, dtype=np.float32), np.eye(2, 3, dtype=np.float32), 0.2)


def test_a_negative_description_weight_is_refused() -> None:
    with pytest.raises(ValueError, match="description_weight"):
        LinkParameters(Fusion(0.7), Calibration(1.0, 0.0), description_weight=-0.1)
