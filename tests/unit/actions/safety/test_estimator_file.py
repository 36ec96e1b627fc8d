"""actions.safety.estimator_file: fitted estimators stored without pickle, read back identical, and a file
that names anything else refused before anything is built."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from actions.safety import estimator_file
from actions.safety.classifier import Example, SafetyClassifier

_EXAMPLES = [
    Example("his temperature is 39.2 and he is on chemo", "urgent", "fever"),
    Example("she is shaking and burning hot during induction", "urgent", "fever"),
    Example("her lips are grey and she is gasping", "urgent", "breathing"),
    Example("he is wheezing and cannot finish a sentence", "urgent", "breathing"),
    Example("what does the consolidation phase do", "not_urgent", None),
    Example("who is on the treatment team", "not_urgent", None),
    Example("how is a bone marrow sample taken", "not_urgent", None),
    Example("should we skip her next dose of dex", "personal_advice", "dose"),
    Example("how much mercaptopurine should my son take", "personal_advice", "dose"),
    Example("will my daughter be cured", "personal_advice", "prognosis"),
    Example("what are my boy's chances of beating this", "personal_advice", "prognosis"),
]
_FRESH = [
    "the thermometer reads 38.8 and she had vincristine today",
    "why do children get a lumbar puncture",
    "is 50 mg of methotrexate too much for him",
    "his breathing sounds like a whistle",
    "",
]


@pytest.fixture(scope="module")
def small_classifier() -> SafetyClassifier:
    return SafetyClassifier.fit(_EXAMPLES)


def test_a_saved_classifier_reads_back_with_the_same_features_and_probabilities(
    small_classifier: SafetyClassifier, tmp_path: Path
) -> None:
    path = tmp_path / "classifier.npz"
    small_classifier.save(path)
    loaded = SafetyClassifier.load(path)
    for text in _FRESH:
        assert (loaded._features(text) != small_classifier._features(text)).nnz == 0
        assert loaded.predict(text) == small_classifier.predict(text)
        assert loaded.kind("urgent", text) == small_classifier.kind("urgent", text)


def test_the_file_is_an_npz_that_needs_no_pickle(small_classifier: SafetyClassifier, tmp_path: Path) -> None:
    path = tmp_path / "classifier.npz"
    small_classifier.save(path)
    with np.load(path, allow_pickle=False) as stored:
        tree = json.loads(str(stored["__tree__"]))
        assert all(stored[name].dtype != object for name in stored.files)
    assert tree["format"] == estimator_file.FORMAT
    # Discarded training words are not kept (TF-IDF's stop_words_, CVE-2024-5206).
    assert '"stop_words_":' not in json.dumps(tree)
    assert '"vocabulary_":' in json.dumps(tree)


def _write(path: Path, value: object, **arrays: np.ndarray) -> None:
    tree = json.dumps({"format": estimator_file.FORMAT, "value": value})
    np.savez(path, __tree__=np.array(tree), **arrays)


@pytest.mark.parametrize(
    "name", ["os.system", "subprocess.Popen", "builtins.eval", "sklearn.pipeline.Pipeline", "numpy.lib.npyio.load"]
)
def test_a_file_naming_a_class_that_is_not_allowed_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / "bad.npz"
    _write(path, {"estimator": name, "attributes": {"dict": {}}})
    with pytest.raises(ValueError, match="not an allowed estimator class"):
        estimator_file.load(path)


def test_a_file_with_an_array_of_python_objects_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "objects.npz"
    _write(path, {"array": "a0"}, a0=np.array([{"x": 1}], dtype=object))
    with pytest.raises(ValueError, match="not an estimator file"):
        estimator_file.load(path)


@pytest.mark.parametrize("content", [b"", b"not a zip file", b"PK\x03\x04 broken"])
def test_a_file_that_is_not_an_estimator_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "junk.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not an estimator file"):
        estimator_file.load(path)


def test_a_file_in_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "old.npz"
    np.savez(path, __tree__=np.array(json.dumps({"format": "something/0", "value": 1})))
    with pytest.raises(ValueError, match="not in the format"):
        estimator_file.load(path)


class _Custom:
    pass


@pytest.mark.parametrize("value", [_Custom(), {"f": len}, {1: "int key"}, np.array([object()], dtype=object)])
def test_writing_anything_that_would_need_pickle_fails_at_once(tmp_path: Path, value: object) -> None:
    with pytest.raises(TypeError):
        estimator_file.dump(value, tmp_path / "x.npz")


def test_plain_values_arrays_and_sparse_matrices_round_trip(tmp_path: Path) -> None:
    from scipy.sparse import csr_matrix, dia_matrix

    value = {
        "numbers": [1, 2.5, True, None, "text"],
        "pair": (3, "x"),
        "scalar": np.float64(0.25),
        "array": np.arange(6, dtype=np.int32).reshape(2, 3),
        "dtype": np.float64,
        "csr": csr_matrix(np.eye(3)),
        "dia": dia_matrix(np.diag([1.0, 2.0])),
    }
    path = tmp_path / "plain.npz"
    estimator_file.dump(value, path)
    back = estimator_file.load(path)
    assert back["numbers"] == [1, 2.5, True, None, "text"]
    assert back["pair"] == (3, "x")
    assert back["scalar"] == np.float64(0.25) and isinstance(back["scalar"], np.float64)
    assert back["array"].dtype == np.int32 and back["array"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert back["dtype"] is np.float64
    assert back["csr"].format == "csr" and (back["csr"] != csr_matrix(np.eye(3))).nnz == 0
    assert back["dia"].format == "dia" and back["dia"].toarray().tolist() == [[1.0, 0.0], [0.0, 2.0]]
