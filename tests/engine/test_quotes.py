"""A pair that shares no topic is told its two closest sentences, by meaning (issue 22)."""

import numpy as np

from matchmaker.engine import explain
from matchmaker.engine.similarity import ProfileModel
from tests.engine.helpers import person

# Sentences on one theme point one way: a stand-in for the model's embeddings.
THEMES = {"children": 0, "kids": 0, "rust": 1, "birds": 2, "licensed": 3}


def embed(texts: list[str]) -> np.ndarray:
    out = np.zeros((len(texts), 8), dtype=np.float32)
    for row, text in enumerate(texts):
        words = text.lower().split()
        out[row, next((THEMES[w] for w in words if w in THEMES), 7)] = 1.0
        out[row, 6] = 0.5 if len(words) > 8 else 0.0  # near, not the same: a long one leans
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def _model():
    licence = "This work is licensed under a Creative Commons licence."
    return ProfileModel(
        [
            person(
                "ana",
                interests=(),
                bio=f"Teaching Python to children at school. {licence} Lunch ideas.",
            ),
            person(
                "bo",
                interests=(),
                bio=f"What my young students taught me about kids and code. {licence}",
            ),
            person("cy", interests=(), bio=f"Watching birds from the office window. {licence}"),
        ]
    )


def test_the_closest_sentences_are_quoted_when_no_topic_is_shared():
    [(_, reasons, _)] = explain.introduce(_model(), [(0, 1, 0.1)], embed)

    assert reasons[0] == (
        "ANA wrote “Teaching Python to children at school”; "
        "BO wrote “What my young students taught me about kids and code”"
    )
    assert explain.NOBODY_IN_COMMON not in reasons


def test_sentences_far_apart_or_written_by_several_are_not_quoted():
    model = _model()

    # Ana and Cy: only the licence, which everyone wrote, is close.
    assert explain.closest_sentences(model, [(0, 2)], embed) == [None]
    [(_, reasons, _)] = explain.introduce(model, [(0, 2, 0.1)], embed)
    assert not any("wrote" in r for r in reasons)


def test_without_the_model_nothing_is_quoted():
    [(_, reasons, _)] = explain.introduce(_model(), [(0, 1, 0.1)])

    assert not any("wrote" in r for r in reasons)


def test_the_reader_wrote_it_in_the_second_person():
    line = "Ana wrote “Teaching children”; Bo wrote “Kids and code”"

    assert explain.for_reader([line], "Ana", "Bo") == [
        "You wrote “Teaching children”; Bo wrote “Kids and code”"
    ]
    assert explain.for_reader([line], "Bo", "Ana") == [
        "Ana wrote “Teaching children”; you wrote “Kids and code”"
    ]
