"""Where "looking for" meets "can help with": the threshold, measured on examples labelled by
hand (issue 22, item 2).

    .venv/bin/python -m bench.free_text

The "can help with" side is a real talk's title (the first sentence of a speaker's bio in
../shared/data/pyvideo_topics.jsonl, read at run time: the data is not committed); the
"looking for" side was written for it by hand, once as something that talk would help with
(a paraphrase that mostly shares no word), once as something it would not (mostly sharing
a word: "hardening CI pipelines" against a data pipeline talk). For each labelled pair the
bench prints the engine's answer (`ProfileModel.free_text_overlap`), the cosine of the two
texts' embeddings and of their TF-IDF vectors (the engine's free-text weighting); then how
many pairs each threshold labels right, and the share of a "looking for"'s pairs with the
other talks (nearly all no match) that the engine calls a match.
"""

import json
import sys

import numpy as np

from bench.population import DATA
from matchmaker.engine import embedder
from matchmaker.engine.explain import own_sentences
from matchmaker.engine.model import Attendee
from matchmaker.engine.similarity import (
    FREE_TEXT_MEANING_MATCH,
    FREE_TEXT_SHARED_WORD_MATCH,
    ProfileModel,
    meaning_match,
)

# (speaker id in pyvideo_topics.jsonl, looking for, 1 if that talk helps with it, else 0)
LABELLED = [
    ("pv-45c95c59c0", "advice on writing desktop tools for scientists", 1),
    ("pv-45c95c59c0", "a scientific co-founder for a biotech startup", 0),
    ("pv-b5fe0858ae", "how to start a local Python user group", 1),
    ("pv-b5fe0858ae", "open source licensing for my company's code", 0),
    ("pv-a66166647f", "help running my web service on AWS as traffic grows", 1),
    ("pv-a66166647f", "scaling a design team", 0),
    ("pv-21d51113ac", "shipping a Python app to Windows and macOS users", 1),
    ("pv-21d51113ac", "distribution partners for our hardware in Europe", 0),
    ("pv-753d8dbf44", "understanding decorators and functions as objects in Python", 1),
    ("pv-753d8dbf44", "a call centre software vendor", 0),
    ("pv-b92e0a6249", "someone who has built web maps with search over places", 1),
    ("pv-b92e0a6249", "Elasticsearch cluster tuning for log analytics", 0),
    ("pv-902d6e1223", "ideas for fighting harassment of women online", 1),
    ("pv-902d6e1223", "open source maintainers for my database library", 0),
    ("pv-beb0dd1f8f", "using numpy and pandas for everyday office work", 1),
    ("pv-beb0dd1f8f", "scientific reviewers for my physics paper", 0),
    ("pv-b0304d9eb2", "generative art and creative coding", 1),
    ("pv-b0304d9eb2", "code review practices for my team", 0),
    ("pv-0fbfa6032d", "lessons on building reliable ETL jobs", 1),
    ("pv-0fbfa6032d", "hardening CI pipelines", 0),
    ("pv-b9a035d06f", "building a REST API backend for my React app with Django", 1),
    ("pv-b9a035d06f", "a full stack JavaScript developer to hire", 0),
    ("pv-032a20f6de", "reinforcement learning for board games like chess", 1),
    ("pv-032a20f6de", "hiring from zero: building our first team", 0),
    ("pv-8f142c1279", "why my Python process's memory keeps growing", 1),
    ("pv-8f142c1279", "a garbage collection and recycling startup", 0),
    ("pv-a805530b5d", "async support in Flask", 1),
    ("pv-a805530b5d", "Flask hosting on a cheap VPS", 0),
    ("pv-44acfd219c", "a chat bot that runs our deployments from Slack", 1),
    ("pv-44acfd219c", "getting started with public speaking", 0),
    ("pv-dfef607fa9", "merging several search ranking lists into one", 1),
    ("pv-dfef607fa9", "voting rights campaigning volunteers", 0),
    ("pv-8f402b9917", "running MapReduce jobs on Hadoop from Python", 1),
    ("pv-8f402b9917", "distributed teams across time zones", 0),
    ("pv-a7b148da9c", "writing concurrent network servers with coroutines", 1),
    ("pv-a7b148da9c", "real-world evidence studies in pharma", 0),
    ("pv-7cd17c6667", "a new job as a Python developer", 1),
    ("pv-7cd17c6667", "sponsors for our community conference", 0),
    ("pv-c3ac5b2a99", "storing JSON documents in a NoSQL database from Python", 1),
    ("pv-c3ac5b2a99", "a perfect match for my dating app idea", 0),
    ("pv-2aeebb1b0a", "analysing fMRI neuroimaging data", 1),
    ("pv-2aeebb1b0a", "brain teasers for job interviews", 0),
    ("pv-4421e3c2b8", "statistical genetics and disease risk modelling", 1),
    ("pv-4421e3c2b8", "risk management for fintech compliance", 0),
    ("pv-2afc1d6947", "how to teach programming to kids", 1),
    ("pv-2afc1d6947", "young founders looking for investors", 0),
    ("pv-9f46fe7184", "making numerical code faster without rewriting it", 1),
    ("pv-9f46fe7184", "high performance sales teams", 0),
    ("pv-0385155c68", "text mining novels and poems", 1),
    ("pv-0385155c68", "data driven marketing campaigns", 0),
    ("pv-ef0d803906", "LDA topic modelling on news articles", 1),
    ("pv-ef0d803906", "next steps for moving to Germany for work", 0),
    ("pv-0f3eb42a96", "making charts and dashboards from my data", 1),
    ("pv-0f3eb42a96", "data protection and GDPR", 0),
    ("pv-2e35913edd", "storing user passwords safely with hashing", 1),
    ("pv-2e35913edd", "server rack space in a data centre", 0),
    ("pv-b598b2efd2", "writing unit tests for my Flask web app", 1),
    ("pv-b598b2efd2", "A/B testing for product pages", 0),
    ("pv-07cf750af8", "connecting Raspberry Pi sensors to the cloud", 1),
    ("pv-07cf750af8", "putting my portfolio online as a designer", 0),
    ("pv-e0063f5f86", "scaling Python workloads across a cluster", 1),
    ("pv-e0063f5f86", "distribution of Python applications as installers", 0),
    ("pv-df5ce2994f", "how the Python language evolves and how to contribute to CPython", 1),
    ("pv-df5ce2994f", "personal development coaching", 0),
    ("pv-f27a2f6f20", "background task queues for my Django site", 1),
    ("pv-f27a2f6f20", "task management app for my team's chores", 0),
    ("pv-857e31e544", "building desktop GUIs in Python", 1),
    ("pv-857e31e544", "cutting-edge research in quantum computing", 0),
    ("pv-4ba637b303", "astronomy and space data projects", 1),
    ("pv-4ba637b303", "measuring the social impact of our charity", 0),
    ("pv-b3d955e888", "designing SQL schemas for my application", 1),
    ("pv-b3d955e888", "relationship advice for co-founders", 0),
    ("pv-80504611cc", "a beginner's path into ML with scikit-learn", 1),
    ("pv-80504611cc", "introductions to venture capital firms", 0),
    ("pv-075586a8c1", "segmenting microscope photos", 1),
    ("pv-075586a8c1", "processing payments for an online shop", 0),
    ("pv-d7e3aaa0eb", "running functions as a service on my own servers", 1),
    ("pv-d7e3aaa0eb", "Docker security scanning for compliance", 0),
    ("pv-cae47824ee", "deploying Python code to AWS Lambda", 1),
    ("pv-cae47824ee", "writing better technical blog posts", 0),
]


def best_threshold(cosines: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(threshold, accuracy): the cut between two observed cosines that labels most pairs
    right (a pair matches at or above it); the lowest such cut."""
    values = np.unique(cosines)
    cuts = np.concatenate([[values[0] - 1e-3], (values[:-1] + values[1:]) / 2, [values[-1] + 1e-3]])
    accuracy = [((cosines >= c) == labels).mean() for c in cuts]
    best = int(np.argmax(accuracy))
    return float(cuts[best]), float(accuracy[best])


def main() -> int:
    titles = {}
    with open(DATA / "pyvideo_topics.jsonl", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            titles[row["id"]] = own_sentences(row["bio"])[0]
    helps = [titles[i] for i, _, _ in LABELLED]
    wants = [w for _, w, _ in LABELLED]
    labels = np.array([y for _, _, y in LABELLED], dtype=bool)
    model = embedder.load_embedder()
    if model is None:
        print(f"no embedding model: {embedder.why_not_loaded()}")
        return 1

    # One event of everyone: seekers s0.., then helpers h0.. (a talk's helper once per pair).
    n = len(LABELLED)
    people = [Attendee(id=f"s{k}", looking_for=w) for k, w in enumerate(wants)]
    people += [Attendee(id=f"h{k}", can_help=h) for k, h in enumerate(helps)]
    seekers, givers = np.arange(n), np.arange(n) + n
    words_model = ProfileModel(people)
    meaning_model = ProfileModel(embedder.with_vectors(people, model))
    meaning = meaning_model.wishes.pair_cosines(seekers, givers)
    words = words_model.free_text_match(seekers, givers)
    shared = words > 0
    engine_says = meaning_model.free_text_overlap(seekers, givers)

    # Every looking-for against the other talks' titles: pairs as a large event makes them,
    # nearly all of them no match.
    talk = np.array([i for i, _, _ in LABELLED])
    others = meaning_model.wishes.looking[seekers] @ meaning_model.wishes.helping[givers].T
    other_shared = (words_model.looking_for[seekers] @ words_model.can_help[givers].T).toarray()
    unrelated = talk[:, None] != talk[None, :]
    others_match = meaning_match(others, other_shared > 0)[unrelated] > 0

    print(f"{'label':>5} {'engine':>6} {'meaning':>7} {'words':>5}  looking for / can help with")
    for k, (want, helper) in enumerate(zip(wants, helps, strict=True)):
        print(
            f"{int(labels[k]):>5} {int(engine_says[k]):>6} {meaning[k]:>7.3f} {words[k]:>5.2f}  "
            f"{want} / {helper}"
        )
    print("meaning alone, by threshold: share of the labelled pairs right")
    for cut in (0.3, 0.35, 0.4, 0.45, 0.5, 0.55):
        print(f"  {cut:.2f}: {((meaning >= cut) == labels).mean():.1%}")
    print(
        f"with a shared word, {FREE_TEXT_SHARED_WORD_MATCH:.2f} instead of "
        f"{FREE_TEXT_MEANING_MATCH:.2f}: by the second threshold"
    )
    for cut in (0.45, 0.5, 0.55, 0.6):
        rule = np.where(shared, meaning >= cut, meaning >= FREE_TEXT_MEANING_MATCH)
        print(f"  {cut:.2f}: {(rule == labels).mean():.1%}")
    for name, cosines in (("meaning alone", meaning), ("words alone", words)):
        cut, accuracy = best_threshold(cosines, labels)
        print(
            f"{name}: best threshold {cut:.3f}, {accuracy:.1%} of {n} pairs right; "
            f"any overlap (> 0): {((cosines > 0) == labels).mean():.1%} right"
        )
    print(
        f"the engine's rule: {(engine_says == labels).mean():.1%} of {n} pairs right; matches "
        f"{int(engine_says[labels].sum())} of {int(labels.sum())}, false matches "
        f"{int(engine_says[~labels].sum())} of {int((~labels).sum())}; calls "
        f"{others_match.mean():.1%} of {others_match.size} pairs with unrelated talks a match"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
