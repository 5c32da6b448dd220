"""Topics named in reasons: grounded whole in both people's words, saying something, one
spelling each (the failures a blind reader found in reasons on an unseen conference)."""

import numpy as np
import pytest

from matchmaker.engine import explain
from matchmaker.engine.model import Attendee
from matchmaker.engine.similarity import ProfileModel
from matchmaker.engine.topics import says_something, variants, whole_in


@pytest.mark.parametrize(
    ("text", "term", "whole"),
    [
        ("We build on the Model Context Protocol in production.", "context protocol", False),
        ("The Cyber Resilience Act and you.", "act", False),
        ("Testing end-to-end with Playwright.", "end", False),
        ("Taming Large Language Models for Search", "language models", True),  # a title
        ("What GPT-3 gets wrong about code.", "gpt", True),  # a version is no other word
        ("We moved from Postgres to DuckDB last year.", "postgres", True),
        ("an open source project for data", "source project", False),
        ("I'm looking for a mentor.", "looking", False),  # an -ing word and its object
        ("We have been teaching Python to students.", "teaching", True),
        ("We are hiring our first engineers.", "hiring", False),  # an -ing word and its object
        ("I give the odd talk about hiring at meetups.", "hiring", True),
        ("the teaching of programming", "teaching", True),
        ("Lately I have been moving our batch jobs to streaming.", "moving", False),
        ("Teaching the Next Generation of Programmers", "teaching", True),  # a title
    ],
)
def test_a_term_is_whole_only_where_it_is_not_cut_from_something_longer(text, term, whole):
    compounds = frozenset({"open source"})

    assert whole_in(text, term, compounds) is whole


@pytest.mark.parametrize(
    ("term", "says"),
    [
        ("design", False),  # filler
        ("community", False),
        ("storm", False),  # idiom word ("by storm")
        ("miss", False),
        ("local", False),  # bare adjective
        ("incredible", False),
        ("deep dive", False),  # ends in an idiom word
        ("optimize", False),  # a verb by its ending
        ("simplify", False),
        ("spotify", True),  # a name, not a verb in -ify
        ("non blocking", True),
        ("lessons learned", False),  # ends in a past participle
        ("free threaded", False),
        ("network speed", True),
        ("com", False),  # a piece of "example.com"
        ("que", False),  # another language's small word
        ("para python", False),
        ("teams handle", False),  # ends in a verb ("how teams handle incidents")
        ("week goes", False),
        ("enjoy", False),
        ("spent", False),
        ("head", False),  # of "Head of Growth"
        ("fpga", True),
        ("language models", True),
        ("open source", True),
    ],
)
def test_filler_idiom_words_and_bare_adjectives_say_nothing(term, says):
    assert says_something(term) is says


def test_variants_of_one_topic_are_one_topic():
    assert variants("fpga", "fpgas") and variants("postgres", "postgresql")
    assert variants("database", "databases") and variants("library", "libraries")
    assert not variants("rust", "trust") and not variants("java", "javascript")


def person(pid: str, bio: str, **fields) -> Attendee:
    return Attendee(id=pid, name=pid, bio=bio, interests=(), seeks=(), offers=(), **fields)


def test_a_pair_is_told_only_the_topics_grounded_in_both_and_the_strong_ones():
    model = ProfileModel(
        [
            person("a", "I build FPGAs for radio telescopes. The Cyber Resilience Act worries me."),
            person("b", "FPGA design for telescopes; an act of faith in hardware."),
            person("c", "Gardening and bread."),
        ]
    )

    (topics,) = explain.shared_topics(model, np.array([0]), np.array([1]))

    assert "act" not in topics  # "Act" of a law's name on one side, a plain act on the other
    assert topics and all(" " in t or t in {"telescopes", "fpga", "fpgas"} for t in topics)
    assert not ({"fpga", "fpgas"} <= set(topics))  # one spelling


def test_session_dates_are_no_topic():
    from matchmaker.engine.terms import can_be_topic

    assert [can_be_topic(t) for t in ("sun aug", "fri", "aug", "pendulum")] == [
        False,
        False,
        False,
        True,
    ]


TALK = "Time Made Easy: Simplify Date and Time Handling with Pendulum. "


def test_two_who_wrote_the_same_sentence_are_told_it_and_not_its_rare_words():
    model = ProfileModel(
        [
            person("a", TALK + "I also teach veterans to code. Aardvark maps."),
            person("b", TALK + "Local development of conception tools. Aardvark care."),
            person("c", "Gardening and bread, and the pendulum clock."),
            person("d", "Pendulum clocks, gardening and time zones."),
        ]
    )

    (topic, reasons, _), (_, others, _) = explain.introduce(model, [(0, 1, 1.0), (2, 3, 0.5)])

    assert reasons[0] == (
        "You both wrote “Time Made Easy: Simplify Date and Time Handling with Pendulum”"
    )
    assert not any(r.startswith("You both talk about") for r in reasons)
    assert not any(r.startswith("You both wrote") for r in others)
    assert explain.whole_in(TALK, topic)  # the meeting's topic is one the sentence holds


def test_a_sentence_many_wrote_is_a_template_and_never_quoted_as_written_together():
    template = "This work is licensed under a Creative Commons licence. "
    model = ProfileModel(
        [
            person("p0", template + "Pendulum and time zones in Python."),
            person("p1", template + "Time zones with pendulum, made easy."),
        ]
        + [
            person(f"q{k}", template + f"Gardening and {food} on weekends.")
            for k, food in enumerate(("bread", "cheese", "jam", "soup"))
        ]
    )

    ((_, reasons, _),) = explain.introduce(model, [(0, 1, 1.0)])

    assert not any(r.startswith("You both wrote") for r in reasons)
    assert reasons[0].startswith("You both talk about")


PROGRAMME = (
    "Lightning talks on Friday.\n"
    "00:39 *Fusion Engine, Custom Game Engine Using Python* — Dima Marhitych\n"
    "52:00 *Django Girls* — Sena Sahin\n"
)


def test_a_programme_line_is_the_talk_of_the_person_it_names_only():
    model = ProfileModel(
        [
            Attendee(id="m", name="Miro H", bio=PROGRAMME + "35:37 *Fedora Loves Python* — Miro H"),
            Attendee(id="g", name="Gabriel J", bio=PROGRAMME + "40:57 *Artis* — Gabriel J"),
            Attendee(id="s", name="Sena Sahin", bio=PROGRAMME + "Django Girls workshops in Izmir."),
            Attendee(id="d", name="Dan D", bio="I coach at Django Girls workshops in Berlin."),
        ]
    )

    topics = explain.shared_topics(model, np.array([0, 2]), np.array([1, 3]))

    assert topics[0] == []  # neither gave the talks the programme lists
    assert topics[1] == ["django girls"]  # Sena's own line, and her own words


def test_two_in_the_same_job_are_told_what_they_both_work_as():
    model = ProfileModel(
        [
            person("a", "Performance on slow phones.", headline="Web developer"),
            person("b", "Making pages fast on slow phones.", headline="Senior web developer"),
            person("c", "Gardening and bread.", headline="Baker"),
        ]
    )

    ((topic, reasons, _),) = explain.introduce(model, [(0, 1, 1.0)])

    assert reasons[:2] == ["You both work as web developer", "You both talk about slow phones"]


def test_a_company_s_name_is_no_topic():
    from matchmaker.engine.terms import company_terms

    assert company_terms(["Python Software Foundation", "", "Acme"]) == {
        "python software foundation",
        "python software",
        "software foundation",
        "acme",
    }
    model = ProfileModel(
        [
            person("a", "At Lumen Payments I build fraud models.", company="Lumen Payments"),
            person("b", "Lumen Payments hired me for fraud models.", company="Lumen Payments"),
            person("c", "Gardening and bread.", company="Bakery"),
        ]
    )

    (topics,) = explain.shared_topics(model, np.array([0]), np.array([1]))

    assert "lumen payments" not in topics and "fraud models" in topics
