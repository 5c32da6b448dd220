"""The similarity model: who is worth meeting whom, and why (scikit-learn TF-IDF weights).

score(a, b) = cosine of the profiles' sublinear TF-IDF vectors (headline, bio, interests;
              sentences that many profiles share word for word are dropped as templates)
              x (1 + INTENT_BOOST for each intent one seeks and the other offers)
            + FREE_TEXT_WEIGHT x cosine of one's "looking for" and the other's "can help with"
            - COMPANY_PENALTY when both work at the same company.
Every term is a product of per-attendee vectors, so exact top-k search runs in row blocks
and memory grows linearly with attendees.
"""

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

from matchmaker.engine.blocks import BLOCK_ROWS, map_blocks, row_top_k, scratch
from matchmaker.engine.model import INTENTS, Attendee

INTENT_BOOST = 0.1
FREE_TEXT_WEIGHT = 0.2
COMPANY_PENALTY = 0.05

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
    "video minute minutes hour hours year years".split()
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
    no general word ("community driven", "use cases"), and a single word that is not a past
    participle or an adverb."""
    words = term.split()
    if any(w in SESSION_WORDS or w in names for w in words):
        return False
    if any(w in GENERAL_WORDS for w in words):
        return False
    if len(words) == 1:
        word = words[0]
        return len(word) >= 3 and not word.endswith(("ed", "ly"))
    return True


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


_WORD = re.compile(r"\w+")
# Sentences shorter than this (in characters) are too common to be templates.
TEMPLATE_MIN_CHARS = 10
# A template that starts or ends a longer sentence is cut off it when it has this many words.
TEMPLATE_MIN_WORDS = 6


def _sentence_key(sentence: str) -> str:
    """A sentence's words, lower-cased, without punctuation: equal keys, same sentence."""
    return " ".join(_WORD.findall(sentence.lower()))


def drop_shared_sentences(
    texts: list[str], min_profiles: int = SHARED_SENTENCE_PROFILES
) -> list[str]:
    """Remove sentences that min_profiles or more profiles contain word for word: licence
    notices, "recorded at ..." and other templates say nothing about the person. A long
    template that runs into the next talk's title (no full stop between) is cut off too."""
    split = [[s for s in _SENTENCES.split(text) if s.strip()] for text in texts]
    keys = [[_sentence_key(s) for s in sentences] for sentences in split]
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
    """The first `limit` terms with no word twice; a phrase takes the place of its own word
    ("machine learning" for "machine")."""
    picked: list[str] = []
    for term in terms:
        words = set(term.split())
        overlapping = [p for p in picked if words & set(p.split())]
        if not overlapping:
            picked.append(term)
        elif len(overlapping) == 1 and len(words) > len(overlapping[0].split()):
            picked[picked.index(overlapping[0])] = term
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
_TOKEN = re.compile(r"(?u)\b[a-zA-Z][a-zA-Z0-9+#]+\b")
_STOP = frozenset(STOP_WORDS)


def words_and_phrases(text: str) -> list[str]:
    """A text's words and two-word phrases: a phrase is two words side by side in one clause
    ("data pipelines"), never a pair across a full stop, a comma or a dropped stop word."""
    terms: list[str] = []
    for clause in _CLAUSE.split(text.lower()):
        words = _TOKEN.findall(clause)
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
    return TfidfVectorizer(stop_words=STOP_WORDS, token_pattern=_TOKEN.pattern, **common)


def _fit(texts: list[str], phrases: bool) -> tuple[sp.csr_matrix, np.ndarray]:
    """Unit TF-IDF rows and their terms. Norms count every term; then the terms only one
    profile uses are dropped, since they add nothing to any pair's score (same scores,
    fewer columns to multiply)."""
    vectorizer = _vectorizer(len(texts), phrases)
    try:
        matrix = vectorizer.fit_transform(texts).tocsr()
    except ValueError:  # no words at all
        return sp.csr_matrix((len(texts), 1), dtype=np.float32), np.array([""])
    shared = np.bincount(matrix.indices, minlength=matrix.shape[1]) >= 2
    return matrix[:, shared].tocsr(), vectorizer.get_feature_names_out()[shared]


@dataclass
class TopK:
    """Each row's best candidates: `index[r]` (positions into `members`) and `score[r]`."""

    members: np.ndarray
    index: np.ndarray
    score: np.ndarray
    # The k-th best score of each row: every pair left out scores at most this.
    threshold: np.ndarray


class Columns:
    """Transposed column-side matrices, so each row block is one sparse product."""

    def __init__(self, model: "ProfileModel", cols: np.ndarray):
        self.text = model.text[cols].T.tocsr()
        # [offers; seeks; 1]: one product with a row's [boost x seeks, boost x offers, 1]
        # gives the intents factor 1 + INTENT_BOOST x (intents met both ways).
        self.intents = np.ascontiguousarray(
            np.hstack([model.offers[cols], model.seeks[cols], np.ones((len(cols), 1))]).T,
            dtype=np.float32,
        )
        self.looking_for = model.looking_for[cols].T.tocsr()
        self.can_help = model.can_help[cols].T.tocsr()
        self.has_free_text = bool(self.looking_for.nnz and self.can_help.nnz)
        self.employer = model.employer[cols].T.tocsr()
        self.has_companies = bool(self.employer.nnz)


class ProfileModel:
    """TF-IDF vectors of every profile plus the intent and free-text vectors."""

    def __init__(self, attendees: list[Attendee]):
        self.attendees = attendees
        n = len(attendees)
        self.text, self.terms = _fit(profile_texts(attendees), phrases=True)
        self.term_list: list[str] = [str(t) for t in self.terms]
        names = frozenset(w for a in attendees for w in _TOKEN.findall(a.name.lower()))
        self.topical = np.array([can_be_topic(t, names) for t in self.term_list], dtype=bool)
        free, _ = _fit(
            [a.looking_for for a in attendees] + [a.can_help for a in attendees], phrases=False
        )
        self.looking_for, self.can_help = free[:n], free[n:]
        self.seeks = self._intent_matrix([a.seeks for a in attendees])
        self.offers = self._intent_matrix([a.offers for a in attendees])
        self.intent_rows = np.hstack(
            [INTENT_BOOST * self.seeks, INTENT_BOOST * self.offers, np.ones((n, 1), np.float32)]
        )
        companies: dict[str, int] = {}
        self.company = np.array(
            [
                companies.setdefault(a.company.strip().lower(), len(companies))
                if a.company.strip()
                else -1
                for a in attendees
            ],
            dtype=np.int64,
        )
        # attendee x company incidence: same-company pairs come out of one sparse product
        staff = np.flatnonzero(self.company >= 0)
        self.employer = sp.csr_matrix(
            (np.ones(len(staff), dtype=np.float32), (staff, self.company[staff])),
            shape=(n, max(len(companies), 1)),
        )

    @staticmethod
    def _intent_matrix(rows) -> np.ndarray:
        matrix = np.zeros((len(rows), len(INTENTS)), dtype=np.float32)
        position = {intent: k for k, intent in enumerate(INTENTS)}
        for r, intents in enumerate(rows):
            for intent in intents:
                matrix[r, position[intent]] = 1.0
        return matrix

    def columns(self, cols: np.ndarray) -> "Columns":
        """The column side of block products, transposed once for many row blocks."""
        return Columns(self, np.asarray(cols))

    def block_scores(self, rows: np.ndarray, cols, reuse: bool = False) -> np.ndarray:
        """Dense scores of every (row, col) pair, as float32 [len(rows), len(cols)]; `cols`
        is an index array or a prepared Columns. With `reuse` the result lives in this
        thread's scratch buffer: use it before the next such call."""
        side = cols if isinstance(cols, Columns) else self.columns(cols)
        shape = (len(rows), side.text.shape[1])
        # Fresh 50 MB arrays per block cost page faults; each thread reuses its own.
        out = scratch("scores", shape) if reuse else np.zeros(shape, dtype=np.float32)
        scores = (self.text[rows] @ side.text).toarray(out=out)
        boost = scratch("intents", shape, zero=False)
        scores *= np.matmul(self.intent_rows[rows], side.intents, out=boost)
        if side.has_free_text:
            free = self.looking_for[rows] @ side.can_help + self.can_help[rows] @ side.looking_for
            if free.nnz:
                scores += FREE_TEXT_WEIGHT * free.toarray()
        if side.has_companies:
            same = (self.employer[rows] @ side.employer).tocoo()
            scores[same.row, same.col] -= COMPANY_PENALTY
        return scores

    def pair_scores(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Scores of the pairs (left[e], right[e])."""
        if len(left) == 0:
            return np.zeros(0, dtype=np.float64)
        text = np.asarray(self.text[left].multiply(self.text[right]).sum(axis=1)).ravel()
        intents = (self.seeks[left] * self.offers[right]).sum(1) + (
            self.offers[left] * self.seeks[right]
        ).sum(1)
        free = np.asarray(
            self.looking_for[left].multiply(self.can_help[right]).sum(axis=1)
            + self.can_help[left].multiply(self.looking_for[right]).sum(axis=1)
        ).ravel()
        same = (self.company[left] == self.company[right]) & (self.company[left] >= 0)
        return (
            text * (1.0 + INTENT_BOOST * intents) + FREE_TEXT_WEIGHT * free - COMPANY_PENALTY * same
        ).astype(np.float64)

    def top_k(
        self,
        k: int,
        members: np.ndarray | None = None,
        excluded: dict[int, set[int]] | None = None,
        progress=None,
    ) -> TopK:
        """Each member's k best other members (exact, in row blocks); `excluded` maps an
        attendee index to indices it must not be paired with."""
        members = np.arange(len(self.attendees)) if members is None else np.asarray(members)
        side = self.columns(members)
        m = len(members)
        k = max(0, min(k, m - 1))
        index = np.zeros((m, k), dtype=np.int64)
        score = np.zeros((m, k), dtype=np.float32)
        threshold = np.zeros(m, dtype=np.float32)
        position = {int(a): p for p, a in enumerate(members)}

        def block_top(start: int):
            rows = np.arange(start, min(start + BLOCK_ROWS, m))
            block = self.block_scores(members[rows], side, reuse=True)
            block[np.arange(len(rows)), rows] = -np.inf
            for r in rows:
                for other in (excluded or {}).get(int(members[r]), ()):
                    if other in position:
                        block[r - start, position[other]] = -np.inf
            if not k:
                return rows, None, None
            _, best, best_scores = row_top_k(block, k, first=rows)
            return rows, best.reshape(len(rows), k), best_scores.reshape(len(rows), k)

        for rows, best, best_scores in map_blocks(block_top, range(0, m, BLOCK_ROWS)):
            if best is not None:
                index[rows] = best
                score[rows] = best_scores
                if k < m - 1:
                    threshold[rows] = np.maximum(best_scores[:, -1], 0)
            if progress:
                progress(int(rows[-1]) + 1, m)
        return TopK(members=members, index=index, score=score, threshold=threshold)

    def shared_terms_many(
        self,
        left: np.ndarray,
        right: np.ndarray,
        limit: int = 3,
        min_weight: float = 0.0,
        chunk: int = 20_000,
    ) -> list[list[str]]:
        """For each pair (left[e], right[e]), up to `limit` terms that weigh most in both
        profiles (the product of their weights, at least `min_weight`), strongest first
        (in chunks, so memory stays small)."""
        result: list[list[str]] = []
        for start in range(0, len(left), chunk):
            a, b = left[start : start + chunk], right[start : start + chunk]
            both = self.text[a].multiply(self.text[b]).tocsr()
            both.sort_indices()
            picked = [[] for _ in range(len(a))]
            data = both.data.astype(np.float64)
            data[(data < min_weight) | ~self.topical[both.indices]] = 0.0
            row_of = np.repeat(np.arange(len(a)), np.diff(both.indptr))
            # `limit` rounds of "each row's largest entry" beat sorting every shared term.
            for _ in range(limit):
                if not len(data):
                    break
                best = np.full(len(a), -np.inf)
                np.maximum.at(best, row_of, data)
                hits = np.flatnonzero((data == best[row_of]) & (data > 0))
                rows, first = np.unique(row_of[hits], return_index=True)
                if not len(rows):
                    break
                positions = hits[first]  # the lowest column among ties: rows are sorted
                for r, c in zip(rows.tolist(), both.indices[positions].tolist(), strict=True):
                    picked[r].append(self.term_list[c])
                data[positions] = -np.inf
            result += picked
        return result

    def free_text_overlap(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Whether left's "looking for" meets right's "can help with", per pair."""
        if len(left) == 0:
            return np.zeros(0, dtype=bool)
        return (
            np.asarray(self.looking_for[left].multiply(self.can_help[right]).sum(axis=1)).ravel()
            > 0
        )

    def group_terms(self, members: list[int], limit: int = 3) -> list[str]:
        """Terms that at least two members share, by their summed weight (a phrase in
        place of its own words: "machine learning", not "machine")."""
        rows = self.text[members]
        columns, where, present = np.unique(rows.indices, return_inverse=True, return_counts=True)
        weight = np.bincount(where, weights=rows.data, minlength=len(columns))
        weight[(present < 2) | ~self.topical[columns]] = 0
        order = np.lexsort((columns, -weight))[: 3 * limit]
        picked = [str(self.terms[columns[o]]) for o in order if weight[o] > 0]
        return distinct_terms(picked, limit)
