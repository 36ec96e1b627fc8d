"""The sentence encoder (actions/sentence_vectors.py): all-MiniLM-L6-v2 run with NumPy. Sentences are
written for these tests; what is asserted is what a sentence encoder is for (same meaning in other
words scores higher than another subject) and the pinned weights."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pytest

from actions.sentence_vectors import (
    DIMENSIONS,
    EncoderUnavailable,
    SentenceEncoder,
    _erf,
    model_directory,
)
from actions.services import sentence_encoder


def similarity(a: str, b: str) -> float:
    encoder = sentence_encoder()
    return float(encoder.encode(a) @ encoder.encode(b))


def test_a_vector_has_the_model_dimensions_and_unit_length() -> None:
    vector = sentence_encoder().encode("How is the spinal fluid checked?")
    assert vector.shape == (DIMENSIONS,)
    assert vector.dtype == np.float32
    assert math.isclose(float(np.linalg.norm(vector)), 1.0, rel_tol=1e-5)


@pytest.mark.parametrize(
    ("question", "same_meaning", "other_subject"),
    [
        ("will the medicine make her go bald", "Chemotherapy can cause hair loss.", "The spleen filters the blood."),
        ("my boy keeps getting bruises for no reason", "Easy bruising or bleeding.", "Radiation uses strong x-rays."),
        (
            "how do they look at the fluid around the spine",
            "A lumbar puncture removes a sample of cerebrospinal fluid from the spinal column.",
            "Chemotherapy can cause hair loss.",
        ),
    ],
)
def test_the_same_meaning_in_other_words_scores_higher_than_another_subject(
    question: str, same_meaning: str, other_subject: str
) -> None:
    assert similarity(question, same_meaning) > similarity(question, other_subject) + 0.2


def test_unrelated_sentences_are_near_zero() -> None:
    assert abs(similarity("The weather is lovely this afternoon.", "Bone marrow makes blood stem cells.")) < 0.2


def test_the_same_text_gives_the_same_vector() -> None:
    encoder = sentence_encoder()
    first = encoder.encode("what does remission mean")
    assert np.array_equal(first, encoder.encode_many(["what does remission mean"])[0])
    assert not first.flags.writeable  # the cached vector cannot be changed by a caller


def test_an_empty_list_encodes_to_no_rows() -> None:
    assert sentence_encoder().encode_many([]).shape == (0, DIMENSIONS)


def test_erf_matches_the_standard_library() -> None:
    xs = np.linspace(-4, 4, 161)
    assert np.max(np.abs(_erf(xs) - np.array([math.erf(x) for x in xs]))) < 2e-7


def _copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(model_directory(), target)
    return target


def test_weights_other_than_the_pinned_ones_are_refused(tmp_path: Path) -> None:
    directory = _copy_model(tmp_path)
    weights = directory / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF  # one changed byte
    weights.write_bytes(bytes(data))
    with pytest.raises(EncoderUnavailable, match="not the pinned"):
        SentenceEncoder.load(directory)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    directory = _copy_model(tmp_path)
    (directory / "tokenizer.json").unlink()
    with pytest.raises(EncoderUnavailable, match="cannot be read"):
        SentenceEncoder.load(directory)
