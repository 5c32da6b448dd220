import numpy as np

from matchmaker.engine.similarity import COMPANY_PENALTY, ProfileModel
from tests.engine.helpers import person


def _model(*people):
    return ProfileModel(list(people))


def test_similar_profiles_score_higher_than_unrelated():
    model = _model(person("a", "py"), person("b", "py"), person("c", "ml"))

    scores = model.pair_scores(np.array([0, 0]), np.array([1, 2]))

    assert scores[0] > 0.3
    assert scores[0] > 3 * scores[1]


def test_scores_are_symmetric_and_block_agrees_with_pairs():
    model = _model(*(person(f"p{k}", t) for k, t in enumerate(["py", "ml", "web", "py", "db"])))
    everyone = np.arange(5)

    block = model.block_scores(everyone, everyone)
    left, right = np.meshgrid(everyone, everyone, indexing="ij")

    assert np.allclose(block, block.T, atol=1e-6)
    assert np.allclose(block.ravel(), model.pair_scores(left.ravel(), right.ravel()), atol=1e-5)


def test_seeking_what_the_other_offers_raises_the_score():
    plain = _model(person("a", "py"), person("b", "py"))
    matched = _model(
        person("a", "py", seeks=("mentorship",)), person("b", "py", offers=("mentorship",))
    )
    pair = (np.array([0]), np.array([1]))

    assert matched.pair_scores(*pair)[0] > plain.pair_scores(*pair)[0]


def test_looking_for_meeting_can_help_raises_the_score():
    plain = _model(person("a", "py"), person("b", "ml"))
    matched = _model(
        person("a", "py", looking_for="help scaling kubernetes clusters"),
        person("b", "ml", can_help="kubernetes clusters in production"),
    )
    pair = (np.array([0]), np.array([1]))

    assert matched.pair_scores(*pair)[0] > plain.pair_scores(*pair)[0] + 0.05


def test_same_company_is_a_mild_penalty():
    apart = _model(person("a", "py", company="Acme"), person("b", "py", company="Other"))
    together = _model(person("a", "py", company="ACME "), person("b", "py", company="acme"))
    pair = (np.array([0]), np.array([1]))

    assert np.isclose(apart.pair_scores(*pair)[0] - together.pair_scores(*pair)[0], COMPANY_PENALTY)


def test_top_k_is_exact_best_first_never_self_and_respects_exclusions():
    rng = np.random.default_rng(3)
    topics = ["py", "ml", "web", "db", "ops"]
    people = [person(f"p{k:02d}", topics[rng.integers(5)]) for k in range(40)]
    model = ProfileModel(people)
    full = model.block_scores(np.arange(40), np.arange(40))
    np.fill_diagonal(full, -np.inf)
    full[3, 7] = full[7, 3] = -np.inf

    top = model.top_k(5, excluded={3: {7}, 7: {3}})

    for r in range(40):
        assert r not in top.index[r]
        assert np.allclose(top.score[r], np.sort(full[r])[::-1][:5], atol=1e-6)
        assert list(top.score[r]) == sorted(top.score[r], reverse=True)
    assert 7 not in top.index[3] and 3 not in top.index[7]


def test_top_k_is_deterministic():
    people = [person(f"p{k}", "py") for k in range(12)]

    first, second = ProfileModel(people).top_k(4), ProfileModel(people).top_k(4)

    assert np.array_equal(first.index, second.index)


def test_empty_profiles_do_not_break_the_model():
    model = _model(person("a", bio="", interests=()), person("b", bio="", interests=()))

    assert model.pair_scores(np.array([0]), np.array([1]))[0] == 0.0
    assert model.top_k(3).index.shape == (2, 1)


def test_shared_terms_are_words_of_both_profiles():
    model = _model(
        person("a", bio="asyncio event loop internals", interests=()),
        person("b", bio="teaching asyncio and the event loop", interests=()),
        person("c", bio="gpu training", interests=()),
    )

    terms = model.shared_terms(0, 1)
    assert len(terms) == 3 and "asyncio" in terms
    assert set(terms) <= {"asyncio", "event", "loop", "event loop", "asyncio event"}
    assert model.shared_terms(0, 2) == []
