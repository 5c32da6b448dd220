"""Text weighting: the words and phrases of a profile, the sentences that are templates, and
sublinear TF-IDF weights (scikit-learn); and which terms can stand as a reason's topic."""

import re
from collections import Counter

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from matchmaker.engine.model import Attendee
from matchmaker.engine.topics import says_something

SHARED_SENTENCE_PROFILES = 5
# scikit-learn's stop words, plus what the word pattern leaves of contractions ("we'll").
STOP_WORDS = sorted(
    ENGLISH_STOP_WORDS
    | {"ll", "ve", "don", "doesn", "didn", "isn", "aren", "wasn", "weren", "won", "haven"}
    | {"hasn", "couldn", "shouldn", "wouldn", "ain", "let"}
)

# Words that name a session, not a subject ("Lightning Talks Friday"): a reason or a topic
# never holds them. And words too general to be a topic on their own ("improved", "overview").
SESSION_WORDS = frozenset(
    "talk talks lightning keynote keynotes panel panels session sessions workshop workshops "
    "tutorial tutorials sprint sprints presentation presentations slides speaker speakers "
    "day days morning afternoon evening welcome opening closing remarks announcements "
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december edition recording recorded "
    "video minute minutes hour hours year years demo demos "
    "mon tue tues wed thu thur thurs fri sat sun jan feb mar apr jun jul aug sep sept oct "
    "nov dec".split()
)
GENERAL_WORDS = frozenset(
    "introduce introduces introducing introduction intro overview update updates improve "
    "improves improving use uses using used new make makes making way ways good better best "
    "great different following early late high low level based driven like just know want "
    "need needs help helps work works working look looks people thing things lot lots real "
    "world case cases example examples part parts today tomorrow come comes going start "
    "started getting get gets kind kinds simple easy hard right wrong long short instead take "
    "takes taking complete idea ideas latest practical add adding added run running runs "
    "time times many much several various set sets want wants show shows let lets".split()
)


def can_be_topic(term: str, names: frozenset[str] = frozenset()) -> bool:
    """Whether a term can stand as a reason's topic: no session word, no attendee's name,
    no general word ("community driven", "use cases"), a single word that is not a past
    participle or an adverb, and words that say something (`topics.says_something`)."""
    if not says_something(term):
        return False
    words = term.split()
    if any(w in SESSION_WORDS or w in names for w in words):
        return False
    if any(w in GENERAL_WORDS for w in words):
        return False
    if len(words) == 1:
        word = words[0]
        return len(word) >= 3 and not word.endswith(("ed", "ly"))
    return True


def company_terms(companies) -> frozenset[str]:
    """The terms that name a company rather than a subject: each company's name and the
    two-word parts of a longer one ("lumen payments" of "Lumen Payments Ltd"); a single word
    of a longer name stays a topic ("python" of "Python Software Foundation")."""
    found: set[str] = set()
    for company in companies:
        words = TOKEN.findall(company.lower())
        if words:
            found.add(" ".join(words))
            found.update(f"{x} {y}" for x, y in zip(words, words[1:], strict=False))
    return frozenset(found)


_URL = re.compile(r"https?://\S+|www\.\S+")
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_BRACKETS = re.compile(r"\[[^\]]{0,200}\]")


def clean_bio(bio: str) -> str:
    """The bio without links and bracketed notes."""
    return _BRACKETS.sub(" ", _URL.sub(" ", bio))


def profile_texts(attendees: list[Attendee]) -> list[str]:
    """The texts the model reads: headline, bio (without template sentences) and interests."""
    bios = drop_shared_sentences([clean_bio(a.bio) for a in attendees])
    return [
        f"{a.headline}\n{bio}\n{' '.join(a.interests)}"
        for a, bio in zip(attendees, bios, strict=True)
    ]


_PROGRAMME_LINE = re.compile(r"^\s*\d{1,2}:\d{2}\b.*$", re.MULTILINE)


def persons_words(person: Attendee) -> str:
    """What a person wrote, as reasons must find a topic in it: a programme's lines ("08:46
    *Testing Files Like a Pro* — Artur Barseghyan") are other people's talks, all but the
    lines that name the person."""
    name = person.name.strip().lower()

    def theirs(line: re.Match) -> str:
        return line.group(0) if name and name in line.group(0).lower() else ""

    bio = _PROGRAMME_LINE.sub(theirs, person.bio)
    return f"{person.headline}\n{bio}\n{' '.join(person.interests)}"


_WORD = re.compile(r"\w+")
# Sentences shorter than this (in characters) are too common to be templates.
TEMPLATE_MIN_CHARS = 10
# A template that starts or ends a longer sentence is cut off it when it has this many words.
TEMPLATE_MIN_WORDS = 6


def sentence_key(sentence: str) -> str:
    """A sentence's words, lower-cased, without punctuation: equal keys, same sentence."""
    return " ".join(_WORD.findall(sentence.lower()))


def drop_shared_sentences(
    texts: list[str], min_profiles: int = SHARED_SENTENCE_PROFILES
) -> list[str]:
    """Remove sentences that min_profiles or more profiles contain word for word: licence
    notices, "recorded at ..." and other templates say nothing about the person. A long
    template that runs into the next talk's title (no full stop between) is cut off too."""
    split = [[s for s in _SENTENCES.split(text) if s.strip()] for text in texts]
    keys = [[sentence_key(s) for s in sentences] for sentences in split]
    counts = Counter(k for row in keys for k in set(row) if len(k) > TEMPLATE_MIN_CHARS)
    templates = {k for k, c in counts.items() if c >= min_profiles}
    cut = _TemplateEnds(templates)
    # A profile made only of shared sentences (a talk given by several speakers) keeps those
    # that fewer than a tenth of all profiles share: they are all it says.
    widespread = max(min_profiles, len(texts) / 10)
    kept = []
    for text, sentences, row in zip(texts, split, keys, strict=True):
        own = " ".join(cut(s, k) for s, k in zip(sentences, row, strict=True) if k not in templates)
        if len(own.split()) < 5:
            own = " ".join(
                s for s, k in zip(sentences, row, strict=True) if counts.get(k, 0) < widespread
            )
        kept.append(own if len(own.split()) >= 5 else text)
    return kept


def distinct_terms(terms: list[str], limit: int) -> list[str]:
    """The first `limit` terms with no word twice; a phrase takes the place of its own words
    ("machine learning" for "machine", or for "learning" and "machine")."""
    picked: list[str] = []
    for term in terms:
        words = set(term.split())
        overlapping = [p for p in picked if words & set(p.split())]
        if not overlapping:
            picked.append(term)
        elif all(set(p.split()) < words for p in overlapping):
            # "machine learning" after "learning" and "machine": the phrase, once, where the
            # first of its words stood.
            at = picked.index(overlapping[0])
            picked = [p for p in picked if p not in overlapping]
            picked.insert(at, term)
    return picked[:limit]


class _TemplateEnds:
    """Cuts a long template off the start or the end of a sentence."""

    def __init__(self, templates: set[str]):
        self.templates = templates
        self.heads: dict[tuple[str, ...], set[int]] = {}
        self.tails: dict[tuple[str, ...], set[int]] = {}
        for key in templates:
            words = key.split()
            if len(words) >= TEMPLATE_MIN_WORDS:
                self.heads.setdefault(tuple(words[:2]), set()).add(len(words))
                self.tails.setdefault(tuple(words[-2:]), set()).add(len(words))

    def __call__(self, sentence: str, key: str) -> str:
        words = key.split()
        for n in sorted(self.heads.get(tuple(words[:2]), ()), reverse=True):
            if n < len(words) and " ".join(words[:n]) in self.templates:
                return sentence[list(_WORD.finditer(sentence.lower()))[n - 1].end() :]
        for n in sorted(self.tails.get(tuple(words[-2:]), ()), reverse=True):
            if n < len(words) and " ".join(words[-n:]) in self.templates:
                return sentence[: list(_WORD.finditer(sentence.lower()))[-n].start()]
        return sentence


# Words in more than half of a large event's profiles say little about anyone.
MAX_DOCUMENT_SHARE = 0.5
LARGE_EVENT = 200


_CLAUSE = re.compile(r"[.!?;:,()\[\]{}\"“”|/\n]+|\s[-–—]\s")
TOKEN = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9+#]+\b")
_STOP = frozenset(STOP_WORDS)


def words_and_phrases(text: str) -> list[str]:
    """A text's words and two-word phrases: a phrase is two words side by side in one clause
    ("data pipelines"), never a pair across a full stop, a comma or a dropped stop word."""
    terms: list[str] = []
    for clause in _CLAUSE.split(text.lower()):
        words = TOKEN.findall(clause)
        kept = [w not in _STOP for w in words]
        terms += [w for w, keep in zip(words, kept, strict=True) if keep]
        terms += [
            f"{words[k]} {words[k + 1]}" for k in range(len(words) - 1) if kept[k] and kept[k + 1]
        ]
    return terms


def _vectorizer(n: int, phrases: bool) -> TfidfVectorizer:
    """Sublinear TF-IDF (1 + log tf, smooth idf, L2-normalised rows, so a dot product is a
    cosine); every word counts, however rare: a word only one profile uses changes nobody's
    score but keeps that profile's norm honest."""
    common = dict(
        sublinear_tf=True,
        dtype=np.float32,
        max_df=MAX_DOCUMENT_SHARE if n >= LARGE_EVENT else 1.0,
    )
    if phrases:
        return TfidfVectorizer(analyzer=words_and_phrases, **common)
    return TfidfVectorizer(stop_words=STOP_WORDS, token_pattern=TOKEN.pattern, **common)


class TextWeights:
    """A fitted weighting: new texts weighed as the fitted ones were (their words unknown to
    it left out), in the same columns."""

    def __init__(self, vectorizer: TfidfVectorizer | None, shared: np.ndarray | None):
        self.vectorizer, self.shared = vectorizer, shared

    def transform(self, texts: list[str]) -> sp.csr_matrix:
        """Rows for `texts` in the fitted columns."""
        if self.vectorizer is None:
            return sp.csr_matrix((len(texts), 1), dtype=np.float32)
        return self.vectorizer.transform(texts).tocsr()[:, self.shared].tocsr()


def fit_texts(texts: list[str], phrases: bool) -> tuple[sp.csr_matrix, np.ndarray, TextWeights]:
    """Unit TF-IDF rows, their terms, and the weighting that made them. Norms count every
    term; then the terms only one profile uses are dropped, since they add nothing to any
    pair's score (same scores, fewer columns to multiply)."""
    vectorizer = _vectorizer(len(texts), phrases)
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no words at all
        return (
            sp.csr_matrix((len(texts), 1), dtype=np.float32),
            np.array([""]),
            TextWeights(None, None),
        )
    shared = np.bincount(matrix.indices, minlength=matrix.shape[1]) >= 2
    terms = vectorizer.get_feature_names_out()[shared]
    return matrix[:, shared].tocsr(), terms, TextWeights(vectorizer, shared)


def weigh_texts(texts: list[str], phrases: bool) -> tuple[sp.csr_matrix, np.ndarray]:
    """Unit TF-IDF rows and their terms (see `fit_texts`)."""
    matrix, terms, _ = fit_texts(texts, phrases)
    return matrix, terms
