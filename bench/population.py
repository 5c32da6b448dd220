"""Synthetic events of any size, mixed from real talk texts (fixed seed)."""

import json
import math
import os
import random
import re
from pathlib import Path

from faker import Faker

from matchmaker.engine.model import INTENTS

DATA = Path(
    os.environ.get(
        "MATCHMAKER_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data"
    )
)
SOURCES = ("pyvideo_twins.jsonl", "europython2023_attendees.jsonl")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")


def load_sources(data: Path = DATA) -> list[dict]:
    """The real profiles to mix from."""
    rows = []
    for name in SOURCES:
        with open(data / name, encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    return rows


def make_event(size: int, one_to_one_slots: int = 8, group_slots: int = 2, seed: int = 7) -> dict:
    """An event for `size` attendees: tables seat 80% of them per slot, rooms of 6 seat 60%."""
    slots = []
    for k in range(one_to_one_slots):
        day, hour = 1 + k // 4, 9 + (k % 4)
        slots.append(
            {
                "id": f"d{day}-{hour:02d}00",
                "start": f"2030-05-{13 + day}T{hour:02d}:00:00+02:00",
                "end": f"2030-05-{13 + day}T{hour:02d}:25:00+02:00",
                "format": "one_to_one",
            }
        )
    for k in range(group_slots):
        slots.append(
            {
                "id": f"d{1 + k}-lunch",
                "start": f"2030-05-{14 + k}T12:30:00+02:00",
                "end": f"2030-05-{14 + k}T13:30:00+02:00",
                "format": "group",
            }
        )
    tables = [{"id": f"T{t:05d}", "capacity": 2} for t in range(1, math.ceil(size * 0.4) + 1)]
    rooms = [{"id": f"R{r:04d}", "capacity": 6} for r in range(1, math.ceil(size * 0.1) + 1)]
    return {
        "slots": slots,
        "locations": tables + rooms,
        "max_meetings": 6,
        "group_size": [3, 6],
        "seed": seed,
        "constraints": {"together": [], "apart": [], "met_before": []},
    }


def make_attendees(size: int, sources: list[dict], event: dict, seed: int = 7) -> list[dict]:
    """`size` attendee lines: bios mixed from real talks, Faker names, 80% availability."""
    rng = random.Random(seed)
    fake = Faker()
    fake.seed_instance(seed)
    companies = [fake.company() for _ in range(max(5, size // 8))]
    slot_ids = [s["id"] for s in event["slots"]]
    rows = []
    for k in range(size):
        main, other = rng.choice(sources), rng.choice(sources)
        sentences = _SENTENCES.split(main.get("bio", ""))[:8]
        if rng.random() < 0.5:
            sentences += _SENTENCES.split(other.get("bio", ""))[:2]
        interests = list(main.get("interests", []))
        if other.get("interests") and rng.random() < 0.3:
            interests.append(rng.choice(other["interests"]))
        seeks = sorted(rng.sample(INTENTS, rng.randint(0, 2)))
        offers = sorted(rng.sample([i for i in INTENTS if i not in seeks], rng.randint(0, 2)))
        topic = rng.choice(interests) if interests else "Python"
        rows.append(
            {
                "id": f"p{k:06d}",
                "name": fake.name(),
                "company": rng.choice(companies) if rng.random() < 0.6 else "",
                "bio": " ".join(sentences),
                "interests": interests,
                "seeks": seeks,
                "offers": offers,
                "looking_for": f"people who know {topic}" if seeks else "",
                "can_help": f"{topic} in practice" if offers else "",
                "format": rng.choices(["any", "one_to_one", "group"], [0.6, 0.2, 0.2])[0],
                "available": sorted(s for s in slot_ids if rng.random() < 0.8),
                "max_meetings": rng.choice([None, None, None, 4, 8]),
                "first_time": rng.random() < 0.1,
            }
        )
    return rows
