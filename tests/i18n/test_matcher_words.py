"""The matcher's reasons and starters in the reader's language: each sentence the engine
writes is said again from the catalogue, the people's own words kept; English is as written."""

import re

import pytest

from matchmaker.catalogue import translations
from matchmaker.engine.explain import for_reader, group_reasons, group_starters
from matchmaker.matcher_words import SENTENCES, said_again
from tests.engine.test_for_reader import ANA, BO, REASONS, STARTERS


def _german(lines):
    return [said_again(line, translations("de"), "de") for line in lines]


def test_the_organisers_lines_in_german():
    assert _german([*REASONS, "Shared interests: python, data and web"]) == [
        "Sie sprechen beide über rust",
        f"{BO} bietet, was {ANA} sucht: Mentoring",
        f"{ANA} bietet, was {BO} sucht: Know-how",
        f"{ANA} sucht „a mentor in product“; {BO} kann helfen bei „product strategy“",
        f"{BO} sucht „Rust reviewers“; {ANA} kann helfen bei „code review“",
        "Gemeinsame Interessen: python, data und web",
    ]
    assert _german(STARTERS) == [
        "Wie sind Sie beide zu rust gekommen?",
        f"{ANA}: Fragen Sie {BO} nach der Geschichte hinter „Rust for Python data engineers“",
        f"{BO}: Fragen Sie {ANA}, wie es ist, Data engineer at Acme zu sein",
        f"{ANA}, erzählen Sie {BO}, was Sie sich an Mentoring erhoffen",
    ]


def test_each_reader_reads_their_own_lines_in_french():
    french = translations("fr")
    mine = [said_again(line, french, "fr") for line in for_reader(REASONS + STARTERS, ANA, BO)]
    assert mine == [
        "Vous parlez tous les deux de rust",
        f"{BO} offre ce que vous cherchez : mentorat",
        f"Vous offrez ce que {BO} cherche : savoir-faire",
        f"Vous cherchez « a mentor in product » ; {BO} peut aider pour « product strategy »",
        f"{BO} cherche « Rust reviewers » ; vous pouvez aider pour « code review »",
        "Qu’est-ce qui vous a amenés, l’un et l’autre, à rust ?",
        f"Demandez à {BO} l’histoire derrière « Rust for Python data engineers »",
        f"Dites à {BO} ce que vous espérez trouver en matière de mentorat",
    ]


def test_english_and_unknown_lines_stay_as_they_were_written():
    assert said_again("You both talk about rust", translations("de"), "en") == (
        "You both talk about rust"
    )
    assert _german(["Something the engine never wrote"]) == ["Something the engine never wrote"]


def test_group_lines_in_german():
    assert _german(group_starters(["rust"])) == [
        "Reihum: Name, woran Sie arbeiten, und eine Sache, die Sie hier lernen möchten.",
        "Was ist das schwierigste Problem, das Ihnen bei rust begegnet ist?",
        "Wer hier könnte jemand anderem am Tisch bei dem helfen, was er oder sie sucht?",
    ]


@pytest.mark.parametrize(("pattern", "message"), SENTENCES)
def test_each_pattern_reads_back_what_its_message_writes(pattern, message):
    """The English message filled with sample words is the sentence its pattern knows, and
    German and French say it with the same places."""
    names = re.findall(r"%\((\w+)\)s", message)
    sample = {name: "mentorship" if name == "what" else f"{name} words" for name in names}
    assert re.fullmatch(pattern, message % sample)
    for language in ("de", "fr"):
        said = translations(language).gettext(message)
        assert said != message or not names
        assert sorted(re.findall(r"%\((\w+)\)s", said)) == sorted(names)


def test_a_mixed_table_and_shared_interests_of_a_group(monkeypatch):
    class Model:
        attendees = [type("A", (), {"interests": ["Rust", "python"]})() for _ in range(2)]

    lines = group_reasons(Model(), [0, 1], [])
    assert lines == ["Interests several of you share: python and rust"]
    assert _german(lines) == ["Interessen, die mehrere von Ihnen teilen: python und rust"]
    assert _german(group_reasons(Model(), [0], [])) == [
        "Ein gemischter Tisch: Menschen, die Sie sonst nicht treffen würden"
    ]


def test_a_mail_gives_the_reasons_in_its_readers_language():
    from types import SimpleNamespace

    from matchmaker.services.core.messages import render_mail

    context = dict(reader="Ana", seeker="Bo", place="Table 3", link="https://x.test/i",
                   event=SimpleNamespace(name="PyCon"), reasons=["Shared interests: rust"])  # fmt: skip

    assert "- Gemeinsame Interessen: rust\n" in render_mail("standby", "de", **context)
    assert "- Shared interests: rust\n" in render_mail("standby", None, **context)


def test_a_message_with_a_time_and_one_inside_it_in_german():
    from datetime import datetime

    from matchmaker.catalogue import N_, Text

    rooms = Text(
        N_("%(free)d attendees are free for the groups at %(when)s, but the rooms seat %(seats)d."),
        {"free": 9, "when": datetime(2030, 5, 14, 13, 0), "seats": 6},
    )
    tags = Text(N_("Choose at most %(max)d interests (%(given)d given)."), {"max": 20, "given": 21})

    assert rooms == "9 attendees are free for the groups at Tue 13:00, but the rooms seat 6."
    assert rooms.words(translations("de"), "de") == (
        "9 Personen sind für die Gruppen um Di, 13:00 frei, aber die Räume haben nur 6 Plätze."
    )
    assert tags.words(translations("fr"), "fr") == (
        "Choisissez au plus 20 centres d’intérêt (21 indiqués)."
    )
