"""Fitted scikit-learn estimators in one ``.npz`` file: JSON for their structure, NumPy arrays for their
numbers, no pickle and no code.

:func:`dump` writes a tree of dicts, lists and tuples whose leaves are strings, numbers, booleans,
``None``, NumPy arrays and scalars, SciPy sparse matrices, NumPy dtypes and estimators of the classes in
:data:`ESTIMATOR_CLASSES`; anything else raises ``TypeError`` when the file is written (at training), not
when it is read. An estimator is stored as its class name and its instance attributes (its parameters
and what fitting learnt), which is what pickling a scikit-learn estimator stores too; TF-IDF's
``stop_words_`` is left out (scikit-learn documents it as introspection only and safe to delete; it
would keep discarded training words in the model file).

:func:`load` reads the file with ``allow_pickle=False`` and rebuilds only the listed classes and types:
a file naming anything else raises ``ValueError`` before any object is made. The file is written by
``rasa train`` and read when the model loads (``nlu_components.urgent_help``); reading it takes tens
of milliseconds where skops' audited format took about two seconds of the server's cold start.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "all-pdq-estimators/1"
_TREE = "__tree__"
# The estimator classes a file may hold (import path -> loader of the class, imported only when used).
ESTIMATOR_CLASSES: Mapping[str, Callable[[], Any]] = {
    "sklearn.feature_extraction.text.TfidfVectorizer": lambda: _sklearn_text().TfidfVectorizer,
    "sklearn.feature_extraction.text.TfidfTransformer": lambda: _sklearn_text().TfidfTransformer,
    "sklearn.feature_extraction.text.CountVectorizer": lambda: _sklearn_text().CountVectorizer,
    "sklearn.linear_model.LogisticRegression": lambda: _sklearn_linear().LogisticRegression,
}
_DROPPED_ATTRIBUTES = frozenset({"stop_words_"})
_SPARSE_FORMATS = ("csr", "csc", "dia", "coo")


def _sklearn_text() -> Any:
    import sklearn.feature_extraction.text

    return sklearn.feature_extraction.text


def _sklearn_linear() -> Any:
    import sklearn.linear_model

    return sklearn.linear_model


def _class_path(cls: type) -> str:
    return f"{cls.__module__.split('._')[0]}.{cls.__qualname__}"


class _Writer:
    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray[Any, Any]] = {}

    def _array(self, value: np.ndarray[Any, Any]) -> str:
        if value.dtype.hasobject:
            raise TypeError("an array of Python objects cannot be stored without pickle")
        key = f"a{len(self.arrays)}"
        self.arrays[key] = value
        return key

    def encode(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | str):
            return value
        if isinstance(value, int | float) and not isinstance(value, np.generic):
            return value
        if isinstance(value, np.generic):
            return {"scalar": self._array(np.asarray(value))}
        if isinstance(value, np.ndarray):
            return {"array": self._array(value)}
        if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
            return {"dtype": np.dtype(value).str, "as_type": isinstance(value, type)}
        if isinstance(value, list | tuple):
            return {"list" if isinstance(value, list) else "tuple": [self.encode(v) for v in value]}
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise TypeError("only dicts with string keys can be stored")
            return {"dict": {k: self.encode(v) for k, v in value.items()}}
        sparse_format = getattr(value, "format", None)
        if sparse_format in _SPARSE_FORMATS and hasattr(value, "tocsr"):
            csr = value.tocsr()
            return {
                "sparse": sparse_format,
                "shape": list(csr.shape),
                "data": self._array(csr.data),
                "indices": self._array(csr.indices),
                "indptr": self._array(csr.indptr),
            }
        path = _class_path(type(value))
        if path in ESTIMATOR_CLASSES:
            attributes = {k: v for k, v in vars(value).items() if k not in _DROPPED_ATTRIBUTES}
            return {"estimator": path, "attributes": self.encode(attributes)}
        raise TypeError(f"cannot store a {type(value).__module__}.{type(value).__qualname__} without pickle")


class _Reader:
    def __init__(self, arrays: Mapping[str, np.ndarray[Any, Any]]) -> None:
        self.arrays = arrays

    def _array(self, key: Any) -> np.ndarray[Any, Any]:
        if not isinstance(key, str) or key not in self.arrays:
            raise ValueError(f"missing array {key!r}")
        return self.arrays[key]

    def decode(self, node: Any) -> Any:
        if node is None or isinstance(node, bool | int | float | str):
            return node
        if not isinstance(node, dict) or len(node) == 0:
            raise ValueError(f"not a stored value: {node!r:.80}")
        if "scalar" in node:
            return self._array(node["scalar"])[()]
        if "array" in node:
            return self._array(node["array"])
        if "dtype" in node:
            dtype = np.dtype(str(node["dtype"]))
            return dtype.type if node.get("as_type") else dtype
        if "list" in node:
            return [self.decode(v) for v in node["list"]]
        if "tuple" in node:
            return tuple(self.decode(v) for v in node["tuple"])
        if "dict" in node:
            return {str(k): self.decode(v) for k, v in node["dict"].items()}
        if "sparse" in node:
            from scipy.sparse import csr_matrix

            if node["sparse"] not in _SPARSE_FORMATS:
                raise ValueError(f"unknown sparse format {node['sparse']!r}")
            matrix = csr_matrix(
                (self._array(node["data"]), self._array(node["indices"]), self._array(node["indptr"])),
                shape=tuple(int(n) for n in node["shape"]),
            )
            return matrix.asformat(node["sparse"])
        if "estimator" in node:
            loader = ESTIMATOR_CLASSES.get(node["estimator"])
            if loader is None:
                raise ValueError(f"not an allowed estimator class: {node['estimator']!r}")
            attributes = self.decode(node["attributes"])
            if not isinstance(attributes, dict):
                raise ValueError("an estimator's attributes must be a dict")
            cls = loader()
            estimator = cls.__new__(cls)
            estimator.__dict__.update(attributes)
            return estimator
        raise ValueError(f"not a stored value: {sorted(node)!r}")


def dump(value: Any, path: Path) -> None:
    """Write ``value`` (see the module's docstring for what it may hold) to ``path``."""
    writer = _Writer()
    tree = json.dumps({"format": FORMAT, "value": writer.encode(value)}, separators=(",", ":"))
    with path.open("wb") as file:
        np.savez_compressed(file, **{_TREE: np.array(tree)}, **writer.arrays)


def load(path: Path) -> Any:
    """The value :func:`dump` wrote to ``path``. ``ValueError`` when the file is not one (or names a class
    or type that is not allowed); ``OSError`` when it cannot be read."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except (ValueError, EOFError, zipfile.BadZipFile) as exc:  # not an .npz, or an array that needs pickle
        raise ValueError(f"{path.name}: not an estimator file: {exc}") from None
    if _TREE not in arrays:
        raise ValueError(f"{path.name}: not an estimator file (no {_TREE})")
    try:
        tree = json.loads(str(arrays.pop(_TREE)))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path.name}: unreadable structure: {exc}") from None
    if not isinstance(tree, dict) or tree.get("format") != FORMAT:
        raise ValueError(f"{path.name}: not in the format {FORMAT}")
    return _Reader(arrays).decode(tree.get("value"))
