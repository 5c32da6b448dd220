"""Reasons to meet and conversation starters, filled from the profiles' own words."""

import functools
import re
import weakref
from collections.abc import Callable

import numpy as np

from matchmaker.engine.model import Attendee
from matchmaker.engine.similarity import ProfileModel
from matchmaker.engine.terms import SESSION_WORDS, distinct_terms, persons_words, sentence_key
from matchmaker.engine.topics import OwnWords, is_role, variants, whole_in

INTENT_PHRASES = {
    "mentorship": "mentorship",
    "jobs": "job opportunities",
    "knowledge": "know-how",
    "collaboration": "collaboration",
    "business": "business contacts",
}
# A shared word whose weight in both profiles multiplies to less than this says too little
# to be given as a reason (a cosine contribution; strong pairs share terms of 0.02 and up).
TERM_MIN_WEIGHT = 0.008
# A topic weaker than this share of the pair's strongest is left unsaid; a single word must
# weigh more than a phrase to be named alone (a weak single word is mostly noise: "exist").
STRONG_SHARE = 0.5
SINGLE_WORD_MIN_WEIGHT = 0.015
# A pair that shares no topic is told the two sentences of theirs closest in meaning when
# their embeddings' cosine is at least this (read on the EuroPython 2023 speakers' best
# matches without a topic: from 0.5 on the two sentences are about one thing, "What my 300+
# young students taught me about Python" and "Teaching Children Python"; under it, mostly
# not), and under the second (the same sentence twice, near enough).
QUOTE_MIN_COSINE = 0.5
QUOTE_MAX_COSINE = 0.95
QUOTED_SENTENCES = 6  # a profile's first sentences that may be quoted
NOBODY_IN_COMMON = "Someone new, outside your usual circle"
# Two people who wrote the same sentence (a talk given together, a project's description)
# are told that sentence rather than the rare words it holds ("conception, veterans and local
# development"); it must have this many words and be written by fewer people than a template.
WROTE = "You both wrote “"
SHARED_SENTENCE_WORDS = 4
SHARED_SENTENCE_PEOPLE = 4
# The semantic channel's model: texts to unit vectors (engine.embedder.Embedder.embed).
Embed = Callable[[list[str]], np.ndarray]
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"\w+")
_CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b")
_SESSION_NAMES = frozenset(
    "lightning monday tuesday wednesday thursday friday saturday sunday".split()
)
_CLEAN = re.compile(r"https?://\S+|\[[^\]]{0,200}\]|\s+")


def _listing(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _quote(text: str, limit: int = 90) -> str:
    text = " ".join(_CLEAN.sub(" ", text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


@functools.lru_cache(maxsize=65536)
def own_sentences(text: str) -> tuple[str, ...]:
    """The sentences (or titles) of a text a starter can quote, trimmed, in order: not a
    session's name or announcement ("Lightning Talks Friday", "Enjoy Thursday's lightning
    talks": every word names a session, or it names a day or lightning talks)."""
    found = []
    for sentence in _SENTENCES.split(_CLEAN.sub(" ", text[:4000])):
        sentence = sentence.strip().rstrip(".!?").strip()
        words = _WORD.findall(sentence.lower())
        if (
            len(sentence) < 12
            or not words
            or all(w in SESSION_WORDS for w in words)
            or not _SESSION_NAMES.isdisjoint(words)
            or _CLOCK.search(sentence)  # a programme: "08:46 *Testing Files Like a Pro*"
            or words[0] in ("and", "or", "but")  # the tail of a sentence cut at "?"
        ):
            continue
        found.append(_quote(sentence, 80))
    return tuple(found)


def written_by(people: list[Attendee]) -> dict[str, int]:
    """How many of these people wrote each sentence (by its words): one that several wrote is
    a template or a talk given together, nobody's own words."""
    counts: dict[str, int] = {}
    for person in people:
        for key in {_sentence_key(s) for s in own_sentences(person.bio)}:
            counts[key] = counts.get(key, 0) + 1
    return counts


# Sentence counts per model: a refill or a request introduces one pair with the event's
# kept model, and must not read every profile again each time.
_WRITTEN: "weakref.WeakKeyDictionary[ProfileModel, dict[str, int]]" = weakref.WeakKeyDictionary()


def written_in(model: ProfileModel) -> dict[str, int]:
    """`written_by` over the model's attendees, counted once per model."""
    if model not in _WRITTEN:
        _WRITTEN[model] = written_by(model.attendees)
    return _WRITTEN[model]


def quoted_sentence(
    other: Attendee, asker: Attendee, topics: list[str], written: dict[str, int] | None = None
) -> str:
    """What `asker` can ask `other` about, in `other`'s own words: their first sentence that
    holds one of the pair's topics, else their first; never one the asker wrote too (both
    gave the same talk), nor one that `written` (see `written_by`) counts for several
    people. '' if there is none."""
    mine = {_sentence_key(s) for s in own_sentences(asker.bio)}
    theirs = [
        s
        for s in own_sentences(other.bio)
        if (key := _sentence_key(s)) not in mine and (written or {}).get(key, 1) == 1
    ]
    for topic in topics:
        for sentence in theirs:
            if whole_in(sentence, topic):
                return sentence
    return theirs[0] if theirs else ""


# Each pair's starters and every count of who wrote what compare sentences by their keys: a
# sentence's key is made once.
_sentence_key = functools.lru_cache(maxsize=262_144)(sentence_key)


def shared_interests(a: Attendee, b: Attendee, theirs: set[str] | None = None) -> list[str]:
    """Interests both listed (any case), in a's spelling, alphabetical."""
    if not a.interests or not b.interests:
        return []
    theirs = {t.lower() for t in b.interests} if theirs is None else theirs
    both: dict[str, str] = {}
    for tag in a.interests:  # one spelling per tag: a's first
        both.setdefault(tag.lower(), tag)
    return [both[key] for key in sorted(both) if key in theirs]


def shared_topics(
    model: ProfileModel, left: np.ndarray, right: np.ndarray, limit: int = 3
) -> list[list[str]]:
    """For each pair, the words both profiles weigh most, strongest first, that can be named
    as what both talk about: each occurs whole in both people's own words
    (`topics.whole_in`), none too weak to stand as a reason or under half the strongest (one
    strong topic beats three), no word twice (a phrase takes the place of its own word) and
    no topic in two spellings."""
    found = model.shared_terms_many(
        left,
        right,
        limit=3 * limit,
        min_weight=TERM_MIN_WEIGHT,
        single_word_min_weight=SINGLE_WORD_MIN_WEIGHT,
    )
    people = model.attendees
    # A person meets many: their words are read once, and each term looked up once.
    texts: dict[int, OwnWords] = {}
    known: dict[tuple[int, str], bool] = {}

    def whole(person: int, term: str) -> bool:
        if (person, term) not in known:
            if person not in texts:
                texts[person] = OwnWords(persons_words(people[person]))
            known[person, term] = texts[person].whole(term, model.compounds)
        return known[person, term]

    result = []
    for i, j, candidates in zip(left.tolist(), right.tolist(), found, strict=True):
        grounded: list[str] = []
        strongest = 0.0
        for term, weight in candidates:
            if weight < STRONG_SHARE * strongest or len(grounded) >= 2 * limit:
                break
            if " " not in term and weight < SINGLE_WORD_MIN_WEIGHT:
                continue
            if any(variants(term, g) for g in grounded):
                continue
            if whole(i, term) and whole(j, term):
                grounded.append(term)
                strongest = strongest or weight
        result.append(distinct_terms(grounded, limit))
    return result


def written_together(a: Attendee, b: Attendee, topics: list[str], written: dict[str, int]) -> str:
    """The first sentence of a's that b wrote too, word for word, when few others did (see
    `written_by`), and that holds one of their `topics`: a talk or project the two share,
    not a licence notice. '' if there is none."""
    theirs = {_sentence_key(s) for s in own_sentences(b.bio)}
    for sentence in own_sentences(a.bio):
        key = _sentence_key(sentence)
        if (
            key in theirs
            and len(key.split()) >= SHARED_SENTENCE_WORDS
            and written.get(key, 2) <= SHARED_SENTENCE_PEOPLE
            and any(whole_in(sentence, topic) for topic in topics)
        ):
            return sentence
    return ""


def reasons_for_pairs(
    model: ProfileModel,
    left: np.ndarray,
    right: np.ndarray,
    topics: list[list[str]] | None = None,
    together: bool = False,
) -> list[list[str]]:
    """Why each pair (left[e], right[e]) should meet, most telling first, with the sparse
    work done once for all (`topics` from shared_topics, if the caller has them). With
    `together`, a pair who wrote the same sentence is told it (`written_together`) in place
    of the topics it holds."""
    terms = shared_topics(model, left, right) if topics is None else topics
    written = written_in(model) if together else None
    wants = model.free_text_overlap(left, right).tolist()
    wanted = model.free_text_overlap(right, left).tolist()
    people = model.attendees
    lowered: dict[int, set[str]] = {}
    reasons = []
    for k, (i, j) in enumerate(zip(left.tolist(), right.tolist(), strict=True)):
        if j not in lowered:
            lowered[j] = {t.lower() for t in people[j].interests}
        tags = shared_interests(people[i], people[j], lowered[j])
        same = written_together(people[i], people[j], terms[k], written) if written else ""
        reasons.append(_reasons(people[i], people[j], tags, terms[k], wants[k], wanted[k], same))
    return reasons


def _reasons(
    a, b, tags: list[str], shared: list[str], a_wants: bool, b_wants: bool, same: str = ""
):
    reasons = []
    if tags:
        reasons.append(f"Shared interests: {_listing(tags[:4])}")
    # Words the shared interests already say are not said again ("learning" after "machine
    # learning").
    said = {w for tag in tags for w in tag.lower().split()}
    terms = [t for t in shared if not set(t.lower().split()) <= said]
    roles = [t for t in terms if is_role(t, (a.headline, b.headline))]
    if roles:
        reasons.append(f"You both work as {_listing(roles)}")
        terms = [t for t in terms if t not in roles]
    if same:
        reasons.append(f"{WROTE}{same}”")
    elif terms:
        reasons.append(f"You both talk about {_listing(terms)}")
    for seeker, giver in ((a, b), (b, a)):
        if seeker.seeks and giver.offers:
            for intent in sorted(set(seeker.seeks)):
                if intent in giver.offers:
                    phrase = INTENT_PHRASES[intent]
                    reasons.append(f"{giver.label} offers the {phrase} {seeker.label} seeks")
    for seeker, giver, overlap in ((a, b, a_wants), (b, a, b_wants)):
        if overlap:
            reasons.append(
                f"{seeker.label} is looking for “{_quote(seeker.looking_for, 70)}”; "
                f"{giver.label} can help with “{_quote(giver.can_help, 70)}”"
            )
    return reasons or [NOBODY_IN_COMMON]


def introduce(
    model: ProfileModel, pairs: list[tuple[int, int, float]], embed: Embed | None = None
) -> list[tuple[str, list[str], list[str]]]:
    """For each pair (a, b, score) of the model's attendees: the topic of their meeting, the
    reasons they should meet and conversation starters. With `embed` (the semantic channel's
    model), a pair that shares no topic is given the two sentences of theirs closest in
    meaning, when they are close (`closest_sentences`)."""
    left = np.array([a for a, _, _ in pairs], dtype=np.int64)
    right = np.array([b for _, b, _ in pairs], dtype=np.int64)
    topics = shared_topics(model, left, right)
    reasons = reasons_for_pairs(model, left, right, topics, together=True)
    people = model.attendees
    written = written_in(model)
    bare = [
        k
        for k, (a, b, _) in enumerate(pairs)
        if not topics[k] and not shared_interests(people[a], people[b])
    ]
    if embed is not None and bare:
        found = closest_sentences(model, [(pairs[k][0], pairs[k][1]) for k in bare], embed, written)
        for k, quotes in zip(bare, found, strict=True):
            if quotes:
                a, b = people[pairs[k][0]], people[pairs[k][1]]
                reasons[k] = [
                    f"{a.label} wrote “{quotes[0]}”; {b.label} wrote “{quotes[1]}”",
                    *(r for r in reasons[k] if r != NOBODY_IN_COMMON),
                ]
    result = []
    for k, (a, b, _) in enumerate(pairs):
        terms = shared_interests(people[a], people[b]) or topics[k]
        # Two who wrote a sentence together meet on a topic it holds, not on a rare word of
        # the rest ("local development", not "conception").
        quoted = [r[len(WROTE) : -1] for r in reasons[k] if r.startswith(WROTE)]
        held = [t for t in terms if quoted and whole_in(quoted[0], t)]
        topic = (held or terms)[0] if terms else ""
        result.append((topic, reasons[k], pair_starters(model, a, b, topics[k], written)))
    return result


def closest_sentences(
    model: ProfileModel,
    pairs: list[tuple[int, int]],
    embed: Embed,
    written: dict[str, int] | None = None,
) -> list[tuple[str, str] | None]:
    """For each pair, the two sentences, one from each profile (among their first
    QUOTED_SENTENCES, none that another profile of the event wrote too: a template or a talk
    given together), closest in meaning; None when even these are under QUOTE_MIN_COSINE or
    say the same thing (QUOTE_MAX_COSINE). Each sentence is embedded once."""
    written = written_in(model) if written is None else written
    own: dict[int, list[str]] = {}
    for person in {p for pair in pairs for p in pair}:
        sentences = own_sentences(model.attendees[person].bio)
        own[person] = [s for s in sentences if written[_sentence_key(s)] == 1][:QUOTED_SENTENCES]
    texts = sorted({s for sentences in own.values() for s in sentences})
    vectors = dict(zip(texts, embed(texts), strict=True)) if texts else {}
    found: list[tuple[str, str] | None] = []
    for i, j in pairs:
        if not own[i] or not own[j]:
            found.append(None)
            continue
        cosine = np.stack([vectors[s] for s in own[i]]) @ np.stack([vectors[s] for s in own[j]]).T
        cosine[cosine >= QUOTE_MAX_COSINE] = -1.0
        x, y = np.unravel_index(int(np.argmax(cosine)), cosine.shape)
        found.append((own[i][x], own[j][y]) if cosine[x, y] >= QUOTE_MIN_COSINE else None)
    return found


def pair_starters(
    model: ProfileModel,
    i: int,
    j: int,
    topics: list[str],
    written: dict[str, int] | None = None,
) -> list[str]:
    """Two or three openers built from the two profiles (`topics` from shared_topics)."""
    a, b = model.attendees[i], model.attendees[j]
    starters = []
    if tags := shared_interests(a, b):
        starters.append(f"What got each of you into {tags[0]}?")
    elif topics:
        starters.append(f"You both mention “{topics[0]}”: where does it come up in your work?")
    for asker, other in ((a, b), (b, a)):
        if sentence := quoted_sentence(other, asker, topics, written):
            starters.append(
                f"{asker.label}: ask {other.label} what the story is behind “{sentence}”"
            )
        elif other.headline.strip():
            starters.append(
                f"{asker.label}: ask {other.label} what being {_quote(other.headline, 60)} is like"
            )
    for seeker, giver in ((a, b), (b, a)):
        common = sorted(set(seeker.seeks) & set(giver.offers))
        if common:
            phrase = INTENT_PHRASES[common[0]]
            starters.append(f"{seeker.label}, tell {giver.label} what {phrase} you hope to find")
            break
    starters += ["What would make this event a success for you?", "What are you working on now?"]
    return starters[:3]


def group_reasons(model: ProfileModel, members: list[int], terms: list[str]) -> list[str]:
    """Why this group sits together."""
    reasons = []
    if terms:
        reasons.append(f"Your table's common ground: {_listing(terms)}")
    counts: dict[str, int] = {}
    for m in members:
        for tag in {t.lower() for t in model.attendees[m].interests}:
            counts[tag] = counts.get(tag, 0) + 1
    shared = sorted((t for t, c in counts.items() if c >= 2), key=lambda t: (-counts[t], t))
    if shared:
        reasons.append(f"Interests several of you share: {_listing(shared[:4])}")
    return reasons or ["A mixed table: people you would not otherwise meet"]


def group_starters(terms: list[str]) -> list[str]:
    """Openers for a small group."""
    starters = ["Go round the table: name, what you work on, and one thing you hope to learn here."]
    if terms:
        starters.append(f"What is the hardest problem you have met in {terms[0]}?")
    starters.append("Who here could help someone else at this table with what they seek?")
    return starters[:3]


def for_reader(lines: list[str], reader: str, partner: str) -> list[str]:
    """A one-to-one's reasons or starters as its reader sees them: "you" for the reader and
    the partner by name ("Bob offers the mentorship you seek", "Ask Bob about …"); a starter
    meant for the partner is left out. Lines are matched exactly against the sentences this
    module writes for the two names; any other line (or a name changed since the plan) is
    kept as it is."""
    rewritten = []
    for line in lines:
        line = _to_reader(line, reader, partner)
        if line is not None:
            rewritten.append(line)
    return rewritten


def _to_reader(line: str, me: str, them: str) -> str | None:
    for phrase in INTENT_PHRASES.values():
        if line == f"{them} offers the {phrase} {me} seeks":
            return f"{them} offers the {phrase} you seek"
        if line == f"{me} offers the {phrase} {them} seeks":
            return f"You offer the {phrase} {them} seeks"
        if line == f"{me}, tell {them} what {phrase} you hope to find":
            return f"Tell {them} what {phrase} you hope to find"
        if line == f"{them}, tell {me} what {phrase} you hope to find":
            return f"Ask {them} what {phrase} they hope to find"
    if line.startswith(f"{me} is looking for “") and f"”; {them} can help with “" in line:
        return "You are looking for “" + line[len(f"{me} is looking for “") :]
    if line.startswith(f"{them} is looking for “") and f"”; {me} can help with “" in line:
        return line.replace(f"”; {me} can help with “", "”; you can help with “", 1)
    if line.startswith(f"{me} wrote “") and f"”; {them} wrote “" in line:
        return "You wrote “" + line[len(f"{me} wrote “") :]
    if line.startswith(f"{them} wrote “") and f"”; {me} wrote “" in line:
        return line.replace(f"”; {me} wrote “", "”; you wrote “", 1)
    if line.startswith(f"{me}: ask {them} "):
        rest = line[len(f"{me}: ask {them} ") :]
        return f"Ask {them} {rest}"
    if line.startswith(f"{them}: ask {me} "):
        return None  # the partner's own starter
    return line
