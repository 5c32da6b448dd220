"""Reasons and starters written to their reader: "you", and the partner by name."""

from matchmaker.engine.explain import for_reader

ANA, BO = "Ana María López", "Bo Li"
REASONS = [
    "You both talk about rust",
    f"{BO} offers the mentorship {ANA} seeks",
    f"{ANA} offers the know-how {BO} seeks",
    f"{ANA} is looking for “a mentor in product”; {BO} can help with “product strategy”",
    f"{BO} is looking for “Rust reviewers”; {ANA} can help with “code review”",
]
STARTERS = [
    "What got each of you into rust?",
    f"{ANA}: ask {BO} what the story is behind “Rust for Python data engineers”",
    f"{BO}: ask {ANA} what being Data engineer at Acme is like",
    f"{ANA}, tell {BO} what mentorship you hope to find",
]


def test_ana_reads_her_introduction_to_bo_in_the_second_person():
    assert for_reader(REASONS, ANA, BO) == [
        "You both talk about rust",
        f"{BO} offers the mentorship you seek",
        f"You offer the know-how {BO} seeks",
        f"You are looking for “a mentor in product”; {BO} can help with “product strategy”",
        f"{BO} is looking for “Rust reviewers”; you can help with “code review”",
    ]
    assert for_reader(STARTERS, ANA, BO) == [
        "What got each of you into rust?",
        f"Ask {BO} what the story is behind “Rust for Python data engineers”",
        f"Tell {BO} what mentorship you hope to find",
    ]


def test_bo_reads_the_same_meeting_from_his_side():
    assert for_reader(STARTERS, BO, ANA) == [
        "What got each of you into rust?",
        f"Ask {ANA} what being Data engineer at Acme is like",
        f"Ask {ANA} what mentorship they hope to find",
    ]
    assert for_reader(REASONS, BO, ANA)[1] == f"You offer the mentorship {ANA} seeks"


def test_a_line_that_names_someone_else_is_kept_as_it_is():
    assert for_reader([f"{BO} offers the mentorship {ANA} seeks"], "Ana", BO) == [
        f"{BO} offers the mentorship {ANA} seeks"
    ]
