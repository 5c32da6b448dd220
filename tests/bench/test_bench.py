"""The benchmark's own parts, on made-up sources (tests never read ../shared/data)."""

from bench import run
from matchmaker.engine.inputs import parse_attendee, parse_event

SOURCES = [
    {"bio": f"Talk {k} about {topic}. We cover {topic} in depth.", "interests": [topic]}
    for k, topic in enumerate(["asyncio", "pandas", "django", "rust", "testing", "packaging"] * 5)
]


def test_generated_event_is_valid_for_the_engine():
    raw = run.population.make_event(50)
    people = run.population.make_attendees(50, SOURCES, raw)

    event = parse_event(raw)
    attendees = [parse_attendee(row, n) for n, row in enumerate(people, 1)]

    assert len(event.slot_ids("one_to_one")) == 8 and len(event.slot_ids("group")) == 2
    assert sum(loc.capacity == 2 for loc in event.locations) == 20
    assert len({a.id for a in attendees}) == 50
    assert people == run.population.make_attendees(50, SOURCES, raw)


def test_bench_rows_compare_planner_and_baselines_without_violations():
    rows = run.bench_size(60, SOURCES)

    assert [r["method"] for r in rows] == ["matchmaker", "random per slot", "greedy best-first"]
    assert all(r["violations"] == 0 for r in rows)
    assert rows[0]["ratio"] <= 1.0 + 1e-9
    assert rows[0]["score"] >= rows[2]["score"] >= rows[1]["score"]


def test_load_test_pools_runs_by_their_requests():
    from bench.loadtest import pooled

    # Two runs of one page: 900 quick requests in 1 s, 100 slow ones in 1 s. Each run's
    # quantiles (here 10 of them) stand for an equal share of its requests.
    quick = {"requests": 900, "seconds": 1.0, "errors": 0, "quantiles": [1.0] * 10}
    slow = {
        "requests": 100,
        "seconds": 1.0,
        "errors": 2,
        "quantiles": [float(k) for k in range(11, 21)],
    }

    figures = pooled([quick, slow])

    assert figures["requests"] == 1000 and figures["rps"] == 500.0 and figures["errors"] == 2
    # 900 requests at 1 ms: the median is 1 ms; 95% is 950 requests, the 5th slow decile
    # (15 ms); 99%, 990 requests, the 9th (19 ms).
    assert (figures["p50"], figures["p95"], figures["p99"]) == (1.0, 15.0, 19.0)
