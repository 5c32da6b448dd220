import json
import os
import subprocess
import sys

import pytest

from matchmaker.engine.cli import main

EVENT = {
    "slots": [
        {
            "id": "s1",
            "start": "2030-01-01T09:00:00+00:00",
            "end": "2030-01-01T09:20:00+00:00",
            "format": "one_to_one",
        },
        {
            "id": "s2",
            "start": "2030-01-01T09:30:00+00:00",
            "end": "2030-01-01T09:50:00+00:00",
            "format": "one_to_one",
        },
        {
            "id": "lunch",
            "start": "2030-01-01T12:00:00+00:00",
            "end": "2030-01-01T13:00:00+00:00",
            "format": "group",
        },
    ],
    "locations": [
        {"id": "T1", "capacity": 2},
        {"id": "T2", "capacity": 2},
        {"id": "R1", "capacity": 4},
    ],
    "max_meetings": 2,
    "group_size": [3, 4],
    "seed": 1,
    "constraints": {"together": [], "apart": [["ana", "bob"]], "met_before": []},
}
PEOPLE = [
    {
        "id": "ana",
        "name": "Ana",
        "bio": "asyncio event loops and networking",
        "seeks": ["mentorship"],
    },
    {
        "id": "bob",
        "name": "Bob",
        "bio": "asyncio event loops in production",
        "offers": ["mentorship"],
    },
    {"id": "cy", "name": "Cy", "bio": "networking and asyncio servers", "offers": ["mentorship"]},
    {"id": "di", "name": "Di", "bio": "gardening", "available": ["s2", "lunch"]},
]


@pytest.fixture
def files(tmp_path):
    event = tmp_path / "event.json"
    people = tmp_path / "people.jsonl"
    event.write_text(json.dumps(EVENT))
    people.write_text("\n".join(json.dumps(p) for p in PEOPLE) + "\n")
    return event, people, tmp_path / "plan.json"


def test_recommend_prints_one_line_per_attendee_best_first(files, capsys):
    _, people, _ = files

    assert main(["recommend", str(people), "--top", "2"]) == 0

    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["id"] for line in lines] == ["ana", "bob", "cy", "di"]
    ana = lines[0]["matches"]
    assert [m["id"] for m in ana] == ["bob", "cy"]
    assert ana[0]["score"] >= ana[1]["score"]
    assert "Bob offers the mentorship Ana seeks" in ana[0]["reasons"]
    assert all(line["id"] not in [m["id"] for m in line["matches"]] for line in lines)


def test_plan_writes_a_plan_that_passes_the_checker(files, capsys):
    event, people, out = files

    assert main(["plan", str(event), str(people), "-o", str(out)]) == 0

    plan = json.loads(out.read_text())
    assert {"meetings", "metrics"} <= set(plan)
    for key in (
        "score_total",
        "upper_bound",
        "attendees_with_meeting",
        "attendees_without_meeting",
        "meetings_per_attendee",
        "seconds",
    ):
        assert key in plan["metrics"]
    assert ["ana", "bob"] not in [
        sorted(m["attendees"]) for m in plan["meetings"] if m["kind"] == "one_to_one"
    ]
    assert "one-to-one meetings" in capsys.readouterr().out
    assert main(["check", str(event), str(people), str(out)]) == 0
    assert capsys.readouterr().out.strip() == "0 violations"


def test_check_lists_violations_of_a_broken_plan(files, capsys):
    event, people, out = files
    out.write_text(
        json.dumps(
            {
                "meetings": [
                    {
                        "slot": "s1",
                        "location": "T1",
                        "attendees": ["ana", "bob"],
                        "kind": "one_to_one",
                    }
                ]
            }
        )
    )

    assert main(["check", str(event), str(people), str(out)]) == 1

    assert capsys.readouterr().out.splitlines() == [
        "meeting 0: ana and bob must not meet",
        "1 violations",
    ]


@pytest.mark.parametrize(
    "people_text,message",
    [
        ('{"id": "a"}\n{oops\n', "people.jsonl: line 2: not JSON"),
        ('{"id": "a"}\n{"name": "b"}\n', "people.jsonl: line 2: field 'id' is missing"),
        ('{"id": "a"}\n{"id": "a"}\n', "people.jsonl: line 2: field 'id' 'a' repeats line 1"),
        (
            '{"id": "a", "available": ["nope"]}\n',
            "people.jsonl: line 1: field 'available' names unknown slot 'nope'",
        ),
    ],
)
def test_bad_attendees_exit_2_and_write_nothing(files, capsys, people_text, message):
    event, people, out = files
    people.write_text(people_text)

    code = main(["plan", str(event), str(people), "-o", str(out)])

    assert code == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_bad_event_exits_2_naming_the_field(files, capsys):
    event, people, out = files
    event.write_text(json.dumps({**EVENT, "group_size": [4, 2]}))

    assert main(["plan", str(event), str(people), "-o", str(out)]) == 2

    assert "event.json: event: field 'group_size' must be [min, max]" in capsys.readouterr().err
    assert not out.exists()


def test_event_that_is_not_json_exits_2(files, capsys):
    event, people, out = files
    event.write_text("{")

    assert main(["plan", str(event), str(people), "-o", str(out)]) == 2
    assert "event.json: not JSON" in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    assert main(["recommend", str(tmp_path / "none.jsonl")]) == 2
    assert "none.jsonl: no such file" in capsys.readouterr().err


def test_python_dash_m_runs_the_engine(files):
    _, people, _ = files

    result = subprocess.run(
        [sys.executable, "-m", "matchmaker.engine", "recommend", str(people), "--top", "1"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 4


def test_output_does_not_depend_on_hash_seed(files):
    event, people, _ = files
    people.write_text(
        "\n".join(
            json.dumps(
                {
                    "id": f"p{k}",
                    "bio": "python data education",
                    "interests": ["education", "Education", "Data", "data"],
                }
            )
            for k in range(6)
        )
    )
    runs = []
    for seed in ("1", "2"):
        result = subprocess.run(
            [sys.executable, "-m", "matchmaker.engine", "recommend", str(people), "--top", "3"],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        runs.append(result.stdout)

    assert runs[0] == runs[1]
    first = json.loads(runs[0].splitlines()[0])
    assert first["matches"][0]["reasons"][0] == "Shared interests: Data and education"


def test_embed_writes_vectors_that_recommend_and_plan_read(files, tmp_path, capsys):
    event, people, out = files
    vectors = tmp_path / "vectors.npz"
    # Di's words are not the others' words, but their meaning is close.
    di = {**PEOPLE[3], "bio": "coroutines and concurrency"}
    people.write_text("\n".join(json.dumps(p) for p in [*PEOPLE[:3], di]) + "\n")

    assert main(["embed", str(people), "-o", str(vectors)]) == 0
    assert capsys.readouterr().out.startswith("4 profiles embedded with all-MiniLM-L6-v2 int8 in ")

    from matchmaker.engine.embedder import load_vectors

    assert sorted(load_vectors(str(vectors))) == ["ana", "bob", "cy", "di"]
    assert (
        main(
            ["recommend", str(people), "--top", "1", "--semantic", "on", "--vectors", str(vectors)]
        )
        == 0
    )
    with_meaning = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert main(["recommend", str(people), "--top", "1"]) == 0
    words = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    # Di shares no word with anyone: words give a zero score, meaning gives one.
    assert words[3]["matches"][0]["score"] == 0.0
    assert with_meaning[3]["matches"][0]["score"] > 0.0
    assert (
        main(
            [
                "plan",
                str(event),
                str(people),
                "-o",
                str(out),
                "--semantic",
                "on",
                "--vectors",
                str(vectors),
            ]
        )
        == 0
    )
    assert main(["check", str(event), str(people), str(out)]) == 0


def test_semantic_on_without_the_model_is_a_notice_not_a_failure(files, capsys, monkeypatch):
    from matchmaker.engine import embedder

    _, people, _ = files
    monkeypatch.setattr(embedder, "load_embedder", lambda: None)
    monkeypatch.setattr(embedder, "why_not_loaded", lambda: "the package x is not installed")

    assert main(["recommend", str(people), "--top", "1", "--semantic", "on"]) == 0

    captured = capsys.readouterr()
    assert captured.err == (
        "notice: the semantic channel is off (the package x is not installed); "
        "matching on words alone\n"
    )
    assert len(captured.out.splitlines()) == 4


def test_a_vectors_file_that_is_not_one_is_named(files, tmp_path, capsys):
    _, people, _ = files
    bad = tmp_path / "v.npz"
    bad.write_text("nope")

    assert main(["recommend", str(people), "--semantic", "on", "--vectors", str(bad)]) == 2

    assert capsys.readouterr().err.startswith(f"error: {bad}: not a vectors file")
