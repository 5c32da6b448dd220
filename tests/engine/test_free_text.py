""" "Looking for" meets "can help with" by meaning, not by one shared word (issue 22, item 2)."""

import dataclasses

import numpy as np
import pytest

from matchmaker.engine import embedder, explain
from matchmaker.engine.similarity import (
    FREE_TEXT_MEANING_MATCH,
    FREE_TEXT_SHARED_WORD_MATCH,
    FREE_TEXT_WEIGHT,
    ProfileModel,
)
from tests.engine.helpers import person

PAIR = (np.array([0]), np.array([1]))


def _unit(cosine: float) -> np.ndarray:
    """A unit vector at `cosine` to the first axis."""
    vector = np.zeros(384, dtype=np.float32)
    vector[0], vector[1] = cosine, np.sqrt(1 - cosine**2)
    return vector


def _axis() -> np.ndarray:
    return _unit(1.0)


def _with_wishes(seeker_cosine: float, looking_for="hardening CI", can_help="build servers"):
    """Ana looks for something; Bo can help with something at `seeker_cosine` to it."""
    zero = np.zeros(384, dtype=np.float32)
    ana = person("ana", "py", looking_for=looking_for)
    bo = person("bo", "ml", can_help=can_help)
    return [
        dataclasses.replace(ana, free_vectors=np.stack([_axis(), zero])),
        dataclasses.replace(bo, free_vectors=np.stack([zero, _unit(seeker_cosine)])),
    ]


@pytest.mark.parametrize(
    "cosine, shared_word, counted",
    [
        (0.39, False, 0.0),
        (0.40, False, 0.40),
        (0.7, False, 0.7),
        (0.49, True, 0.0),
        (0.5, True, 0.5),
    ],
)
def test_the_embeddings_decide_from_the_threshold_on(cosine, shared_word, counted):
    texts = ("hardening CI pipelines", "building data pipelines") if shared_word else ()
    with_meaning = ProfileModel(_with_wishes(cosine, *texts))
    plain = ProfileModel([person("ana", "py"), person("bo", "ml")])

    gained = with_meaning.pair_scores(*PAIR)[0] - plain.pair_scores(*PAIR)[0]

    assert (FREE_TEXT_MEANING_MATCH, FREE_TEXT_SHARED_WORD_MATCH) == (0.40, 0.50)
    assert gained == pytest.approx(FREE_TEXT_WEIGHT * counted, abs=1e-6)
    assert with_meaning.free_text_overlap(*PAIR).tolist() == [counted > 0]


def test_on_words_alone_one_shared_word_weighs_in_but_is_no_reason():
    people = _with_wishes(0, "hardening CI pipelines", "building data pipelines")
    without = ProfileModel([dataclasses.replace(a, free_vectors=None) for a in people])
    plain = ProfileModel([person("ana", "py"), person("bo", "ml")])

    assert without.pair_scores(*PAIR)[0] > plain.pair_scores(*PAIR)[0]
    assert without.free_text_overlap(*PAIR).tolist() == [False]


def test_block_and_pair_scores_agree_with_embeddings():
    people = _with_wishes(0.45, "hardening CI pipelines", "building data pipelines")
    people.append(person("cy", "web", looking_for="data pipelines", can_help="CI"))
    people[2] = dataclasses.replace(people[2], free_vectors=np.stack([_unit(0.55), _unit(0.45)]))
    model = ProfileModel(people)
    everyone = np.arange(3)
    left, right = np.meshgrid(everyone, everyone, indexing="ij")

    block = model.block_scores(everyone, everyone)

    # (seeker, helper): Ana and Bo at cosine 0.45 sharing "pipelines"; Cy and Bo at 0.99;
    # Ana and Cy at 0.45 sharing "CI".
    assert model.free_text_overlap(np.array([0, 2, 0]), np.array([1, 1, 2])).tolist() == [
        False,
        True,
        False,
    ]
    assert np.allclose(block, block.T, atol=1e-6)
    assert np.allclose(block.ravel(), model.pair_scores(left.ravel(), right.ravel()), atol=1e-5)


def test_words_alone_name_a_reason_only_when_most_words_agree():
    same = ProfileModel(
        [
            person("ana", "py", looking_for="kubernetes clusters in production"),
            person("bo", "ml", can_help="running kubernetes clusters in production"),
        ]
    )
    one_word = ProfileModel(
        [
            person("ana", "py", looking_for="hardening CI pipelines"),
            person("bo", "ml", can_help="building data pipelines"),
        ]
    )

    assert same.free_text_overlap(*PAIR).tolist() == [True]
    assert one_word.free_text_overlap(*PAIR).tolist() == [False]
    (reasons,) = explain.reasons_for_pairs(one_word, *PAIR)
    assert not any("looking for" in r for r in reasons)


def test_someone_without_free_vectors_puts_everyone_on_words():
    people = _with_wishes(0.9)
    people[1] = dataclasses.replace(people[1], free_vectors=None)

    assert ProfileModel(people).wishes is None


def test_a_changed_profile_has_no_meaning_match_until_embedded():
    model = ProfileModel(_with_wishes(0.9))
    changed = dataclasses.replace(_with_wishes(0.9)[1], free_vectors=None)

    extended = model.extended([changed])

    assert model.free_text_overlap(*PAIR).tolist() == [True]
    assert extended.free_text_overlap(*PAIR).tolist() == [False]
    assert extended.wishes.looking.shape == (2, 384)


@pytest.fixture(scope="module")
def minilm():
    return embedder.MiniLM()


def test_the_real_model_tells_one_shared_word_from_a_shared_meaning(minilm):
    seeker = person("ana", "py", looking_for="hardening CI pipelines")
    same_word = person("bo", "ml", can_help="building data pipelines")
    same_meaning = person("cy", "web", can_help="securing build servers and continuous integration")
    model = ProfileModel(embedder.with_vectors([seeker, same_word, same_meaning], minilm))

    assert model.free_text_overlap(np.array([0, 0]), np.array([1, 2])).tolist() == [False, True]
    (reasons,) = explain.reasons_for_pairs(model, np.array([0]), np.array([2]))
    assert (
        "ANA is looking for “hardening CI pipelines”; "
        "CY can help with “securing build servers and continuous integration”"
    ) in reasons
