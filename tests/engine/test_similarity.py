import numpy as np

from matchmaker.engine import explain
from matchmaker.engine.model import Attendee
from matchmaker.engine.similarity import COMPANY_PENALTY, ProfileModel
from matchmaker.engine.terms import drop_shared_sentences
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

    found, none = model.shared_terms_many(np.array([0, 0]), np.array([1, 2]))
    terms = [term for term, _ in found]
    assert len(terms) == 3 and "asyncio" in terms
    assert all(weight > 0 for _, weight in found)
    assert set(terms) <= {"asyncio", "event", "loop", "event loop", "asyncio event"}
    assert none == []


LICENCE = "This work is licensed under a Creative Commons Attribution 4.0 International License"


def test_a_template_is_dropped_also_where_it_runs_into_the_next_title():
    bios = [f"Talk {k} about topic{k} and more. {LICENCE}" for k in range(5)]
    bios.append(f"Parsing with regexes, in depth. {LICENCE}  Packaging wheels today. More words")
    bios.append(f"An intro line that runs on {LICENCE}")  # the template ends a sentence

    kept = drop_shared_sentences(bios)

    assert [("Attribution" in text) for text in kept] == [False] * 7
    assert kept[5] == "Parsing with regexes, in depth.   Packaging wheels today. More words"
    assert kept[0] == "Talk 0 about topic0 and more."
    assert kept[6] == "An intro line that runs on "


def test_a_talk_several_speakers_share_is_kept_without_the_widespread_template():
    shared_talk = "Lightning talks on Friday, five minutes each, anything goes."
    bios = [f"{shared_talk} {LICENCE}." for _ in range(6)]
    bios += [f"Own talk number {k} on topic{k}. {LICENCE}." for k in range(64)]

    kept = drop_shared_sentences(bios)

    assert kept[0] == shared_talk  # in 6 of 70 profiles: fewer than a tenth
    assert kept[10] == "Own talk number 4 on topic4."


def test_shared_topics_drop_weak_words_and_keep_a_phrase_over_its_own_word():
    model = _model(
        person("a", bio="asyncio event loop internals and more", interests=()),
        person("b", bio="teaching the asyncio event loop to beginners", interests=()),
        person("c", bio="gpu training", interests=()),
    )

    terms, none = explain.shared_topics(model, np.array([0, 0]), np.array([1, 2]))
    weak = model.shared_terms_many(np.array([0]), np.array([1]), min_weight=1.0)

    # Equal weights: "asyncio" comes first, "asyncio event" takes its place, "event loop"
    # would say "event" twice, and "loop" is new.
    assert terms == ["asyncio event", "loop"]
    assert none == []
    assert weak == [[]]


def test_starters_open_on_a_shared_interest_or_else_on_a_shared_topic():
    model = _model(
        person("a", bio="Fast event loops.", interests=("asyncio",)),
        person("b", bio="Teaching event loops.", interests=("Asyncio", "rust")),
        person("c", bio="Event loops on GPUs.", interests=("cuda",)),
    )

    by_interest = explain.pair_starters(model, 0, 1, ["event loops"])
    by_topic = explain.pair_starters(model, 0, 2, ["event loops"])

    assert by_interest[0] == "What got each of you into asyncio?"
    assert by_topic[0] == "You both mention “event loops”: where does it come up in your work?"
    assert by_topic[1:] == [
        "A: ask C what the story is behind “Event loops on GPUs”",
        "C: ask A what the story is behind “Fast event loops”",
    ]


def test_a_starter_quotes_the_partners_sentence_on_the_topic_and_never_a_shared_one():
    a = person("a", bio="Lightning Talks Friday. Scaling Postgres. Kayaking on weekends.")
    b = person(
        "b",
        bio="Lightning Talks Friday. Enjoy Thursday's lightning talks, hosted by Ann. "
        "Program: 08:46 *Testing* by Bo. I like birds. Postgres at the edge.",
    )
    model = _model(a, b)

    assert explain.quoted_sentence(b, a, ["postgres"]) == "Postgres at the edge"
    assert explain.quoted_sentence(b, a, []) == "I like birds"
    assert explain.quoted_sentence(a, b, ["rust"]) == "Scaling Postgres"
    same_talk = person("c", bio="Lightning Talks Friday. Scaling Postgres.")
    assert explain.quoted_sentence(same_talk, a, ["postgres"]) == ""
    assert explain.pair_starters(model, 0, 1, ["postgres"])[1] == (
        "A: ask B what the story is behind “Postgres at the edge”"
    )


def test_phrases_are_side_by_side_words_of_one_clause():
    from matchmaker.engine.terms import words_and_phrases

    terms = words_and_phrases("Scaling the database. Data pipelines, testing - airflow")

    assert "data pipelines" in terms and "scaling" in terms and "database" in terms
    assert "database data" not in terms  # across a full stop
    assert "pipelines testing" not in terms and "testing airflow" not in terms
    assert "scaling database" not in terms  # a dropped stop word breaks a phrase


def test_reasons_never_name_a_session_title_a_general_word_or_a_person():
    from matchmaker.engine.explain import shared_topics
    from matchmaker.engine.terms import can_be_topic

    a = Attendee(id="a", name="Ada Lovelace", bio="Lightning Talks Friday. Airflow pipelines "
                 "improved with Lovelace tooling. An overview.")  # fmt: skip
    b = Attendee(id="b", name="Bo", bio="Lightning Talks Friday. Airflow pipelines at scale, "
                 "Lovelace tooling improved. An overview.")  # fmt: skip
    model = ProfileModel([a, b])

    [topics] = shared_topics(model, np.array([0]), np.array([1]))

    assert topics[0] == "airflow pipelines"
    assert not {"friday", "lightning", "talks", "improved", "overview", "lovelace"} & {
        w for t in topics for w in t.split()
    }
    assert [can_be_topic(t) for t in ("friday lightning", "use cases", "quickly", "django")] == [
        False,
        False,
        False,
        True,
    ]


def _unit(*values):
    vector = np.zeros(384, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def test_the_semantic_channel_scores_meaning_without_a_shared_word():
    from dataclasses import replace

    from matchmaker.engine.similarity import SEMANTIC_WEIGHT, centred

    people = [
        Attendee(id="ml", bio="recommender systems"),
        Attendee(id="rank", bio="ranking models"),
        Attendee(id="bread", bio="sourdough baking"),
    ]
    words = _model(*people)
    vectors = [_unit(1, 0.2), _unit(0.9, 0.3), _unit(-0.2, 1)]
    meaning = _model(*(replace(p, vector=v) for p, v in zip(people, vectors, strict=True)))
    left, right = np.array([0, 0, 1]), np.array([1, 2, 2])

    assert words.pair_scores(left, right).tolist() == [0.0, 0.0, 0.0]
    shifted = centred(np.stack(vectors))
    cosine = np.maximum((shifted[left] * shifted[right]).sum(axis=1), 0)
    assert np.allclose(meaning.pair_scores(left, right), SEMANTIC_WEIGHT * cosine, atol=1e-6)
    assert meaning.pair_scores(left, right)[0] > 0.05 and meaning.pair_scores(left, right)[1] == 0
    everyone = np.arange(3)
    a, b = np.meshgrid(everyone, everyone, indexing="ij")
    block = meaning.block_scores(everyone, everyone)
    assert np.allclose(block.ravel(), meaning.pair_scores(a.ravel(), b.ravel()), atol=1e-6)
    assert meaning.top_k(1).index.ravel().tolist()[:2] == [1, 0]


def test_centring_takes_off_the_events_mean_and_leaves_empty_profiles_at_zero():
    from matchmaker.engine.similarity import CENTRE_PRIOR, centred

    rows = np.stack([_unit(1, 1), _unit(1, 0), np.zeros(384, dtype=np.float32)])

    out = centred(rows)

    mean = (rows[0] + rows[1]) / 2 * (2 / (2 + CENTRE_PRIOR))
    expected = (rows[0] - mean) / np.linalg.norm(rows[0] - mean)
    assert np.allclose(out[0], expected, atol=1e-6)
    assert not out[2].any()


def test_attendees_without_a_vector_get_no_semantic_share():
    from dataclasses import replace

    people = [Attendee(id="a", bio="x"), Attendee(id="b", bio="y"), Attendee(id="c", bio="z")]
    model = _model(
        replace(people[0], vector=_unit(1)), replace(people[1], vector=_unit(1)), people[2]
    )

    scores = model.pair_scores(np.array([0, 0]), np.array([1, 2]))

    assert scores[0] > 0 and scores[1] == 0


def test_a_phrase_takes_the_place_of_its_words_found_before_it():
    from matchmaker.engine.terms import distinct_terms

    assert distinct_terms(["learning", "machine", "machine learning", "engineer"], 3) == [
        "machine learning",
        "engineer",
    ]
    assert distinct_terms(["data", "big data", "data science"], 3) == ["big data"]


def test_reasons_do_not_repeat_the_words_of_shared_interests():
    a = Attendee(id="a", interests=("machine learning",), bio="machine learning pipelines")
    b = Attendee(id="b", interests=("machine learning",), bio="machine learning pipelines")

    reasons = explain._reasons(a, b, ["machine learning"], ["learning", "pipelines"], False, False)

    assert reasons == ["Shared interests: machine learning", "You both talk about pipelines"]


def test_a_word_most_of_the_event_uses_is_no_reason_to_meet():
    people = [
        Attendee(id=f"p{k}", headline="engineer", bio=bio)
        for k, bio in enumerate(
            ["kubernetes operators", "kubernetes operators", "rust", "golang", "django", "vue"]
        )
    ]
    model = _model(*people)

    assert explain.reasons_for_pairs(model, np.array([0, 2]), np.array([1, 3])) == [
        ["You both talk about kubernetes operators"],
        ["Someone new, outside your usual circle"],
    ]


def test_a_model_extended_with_a_newcomer_scores_them_on_the_fitted_weights():
    from tests.engine.helpers import person

    people = [person(f"p{k}", ["py", "ml", "web", "db"][k % 4]) for k in range(12)]
    model = ProfileModel(people)
    newcomer = person("zz", "ml")
    changed = person("p0", "db")  # p0 was python, now databases

    grown = model.extended([newcomer, changed])

    assert [a.id for a in grown.attendees] == [a.id for a in people] + ["zz"]
    others = np.arange(1, 12)
    # Everyone else keeps their scores.
    assert np.allclose(
        grown.block_scores(np.array([1, 2]), others), model.block_scores(np.array([1, 2]), others)
    )
    best = others[np.argmax(grown.block_scores(np.array([12]), others)[0])]
    assert people[best].interests == ("ml",)
    p0 = others[np.argmax(grown.block_scores(np.array([0]), others)[0])]
    assert people[p0].interests == ("db",)
