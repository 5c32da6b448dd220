"""A rule check of the topics that reasons name, over thousands of introductions from the dev
data: every topic in "You both talk about ..." or "You both work as ..." and every meeting's
topic must occur whole in both people's own words (an independent whole-word search, then the
engine's fragment rules) and say something (no filler, idiom word, bare adjective, or word in
more than 15% of the event's profiles), and no line may name two variants of one topic; a
sentence quoted as written by both ("You both wrote …") must be in both texts word for word
(links aside).
Prints the share of lines that pass, and the failures by kind with examples.

    .venv/bin/python -m bench.reasons_check
"""

import argparse
import json
import re
import sys
from collections import Counter

import numpy as np

from bench.population import DATA
from matchmaker.engine.explain import introduce, reasons_for_pairs
from matchmaker.engine.inputs import parse_event, read_attendees_with_lines
from matchmaker.engine.planner import plan_event
from matchmaker.engine.similarity import ProfileModel
from matchmaker.engine.terms import clean_bio, sentence_key, words_and_phrases
from matchmaker.engine.topics import COMMON_SHARE, says_something, variants, whole_in

PREFIX = "You both talk about "
ROLES = "You both work as "


def _texts(people) -> dict[str, str]:
    return {a.id: f"{a.headline}\n{a.bio}\n{' '.join(a.interests)}" for a in people}


def _frequencies(texts: list[str]) -> tuple[Counter, int]:
    df: Counter = Counter()
    for text in texts:
        df.update(set(words_and_phrases(text)))
    return df, len(texts)


def named_topics(reasons: list[str]) -> list[str]:
    """The topics of a "You both talk about A, B and C" reason, and the roles of a "You both
    work as A" one."""
    named = []
    for reason in reasons:
        for prefix in (PREFIX, ROLES):
            if reason.startswith(prefix):
                named += re.split(r", | and ", reason[len(prefix) :])
    return named


WROTE = re.compile(r"You both wrote “(.*)”$")


def quoted_together(reasons: list[str]) -> str:
    """The sentence of a "You both wrote “…”" reason ('' if none), without its ellipsis."""
    for reason in reasons:
        if found := WROTE.match(reason):
            return found.group(1).rstrip("…")
    return ""


class Check:
    def __init__(self, people):
        self.texts = _texts(people)
        self.df, self.n = _frequencies(list(self.texts.values()))
        floor = max(3, self.n // 100)
        self.compounds = frozenset(t for t, c in self.df.items() if " " in t and c >= floor)
        self.failures: Counter = Counter()
        self.examples: dict[str, list[str]] = {}
        self.lines = self.passed = self.topics = self.topics_passed = 0

    def why_not(self, term: str, a: str, b: str) -> str | None:
        words = r"[\s\-]+".join(re.escape(w) for w in term.split())
        plain = re.compile(rf"\b{words}\b", re.IGNORECASE)
        if not (plain.search(self.texts[a]) and plain.search(self.texts[b])):
            return "not in both texts"
        if not (
            whole_in(self.texts[a], term, self.compounds)
            and whole_in(self.texts[b], term, self.compounds)
        ):
            return "a fragment"
        if not says_something(term):
            return "filler, idiom or adjective"
        if " " not in term and self.n >= 50 and self.df[term] > COMMON_SHARE * self.n:
            return "common in this event"
        return None

    def line(self, topics: list[str], a: str, b: str) -> None:
        if not topics:
            return
        self.lines += 1
        ok = True
        for k, term in enumerate(topics):
            self.topics += 1
            why = self.why_not(term, a, b)
            if why is None and any(variants(term, other) for other in topics[:k]):
                why = "a variant of another topic"
            if why:
                ok = False
                self.failures[why] += 1
                self.examples.setdefault(why, []).append(term)
            else:
                self.topics_passed += 1
        self.passed += ok

    def wrote(self, quote: str, a: str, b: str) -> None:
        """A "You both wrote" line passes when its sentence is word for word in both texts."""
        if not quote:
            return
        self.lines += 1
        key = sentence_key(quote)
        if all(key in sentence_key(clean_bio(self.texts[p])) for p in (a, b)):
            self.passed += 1
        else:
            self.failures["quote not in both texts"] += 1
            self.examples.setdefault("quote not in both texts", []).append(quote)

    def report(self, name: str) -> None:
        share = self.passed / max(self.lines, 1)
        print(f"{name}: {self.passed} of {self.lines} lines pass ({share:.1%}); "
              f"{self.topics_passed} of {self.topics} topics")  # fmt: skip
        for why, count in self.failures.most_common():
            seen = list(dict.fromkeys(self.examples[why]))[:8]
            print(f"   {count:5d} {why}: {', '.join(seen)}")


def _read(name: str):
    with open(DATA / name, encoding="utf-8") as handle:
        return read_attendees_with_lines(handle)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=5)
    args = parser.parse_args(argv)
    total_lines = total_passed = 0

    people = _read("europython2023_attendees.jsonl")
    event = parse_event(json.loads((DATA / "europython2023_event.json").read_text("utf-8")))
    check = Check(people)
    for meeting in plan_event(event, people).meetings:
        if meeting.kind == "one_to_one":
            a, b = meeting.attendees
            check.line(named_topics(meeting.reasons), a, b)
            check.wrote(quoted_together(meeting.reasons), a, b)
            check.line([meeting.topic] if meeting.topic else [], a, b)
    check.report("EuroPython 2023 plan (reasons and meeting topics)")
    total_lines, total_passed = total_lines + check.lines, total_passed + check.passed

    people = _read("pyvideo_topics.jsonl")
    model = ProfileModel(people)
    top = model.top_k(args.top)
    left = np.repeat(np.arange(len(people)), top.index.shape[1])
    right = top.index.ravel()
    check = Check(people)
    lines = reasons_for_pairs(model, left, right, together=True)
    for i, j, reasons in zip(left, right, lines, strict=True):
        check.line(named_topics(reasons), people[i].id, people[j].id)
        check.wrote(quoted_together(reasons), people[i].id, people[j].id)
    for (i, j), (topic, _, _) in zip(
        zip(left.tolist(), right.tolist(), strict=True),
        introduce(model, [(i, j, 0.0) for i, j in zip(left.tolist(), right.tolist(), strict=True)]),
        strict=True,
    ):
        check.line([topic] if topic else [], people[i].id, people[j].id)
    check.report(f"pyvideo topics, each speaker's top {args.top} (reasons and topics)")
    total_lines, total_passed = total_lines + check.lines, total_passed + check.passed
    print(f"all: {total_passed} of {total_lines} lines pass ({total_passed / total_lines:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
