"""The similarity model: who is worth meeting whom, and why (scikit-learn TF-IDF weights).

score(a, b) = cosine of the profiles' sublinear TF-IDF vectors (headline, bio, interests;
              sentences that many profiles share word for word are dropped as templates)
              x (1 + INTENT_BOOST for each intent one seeks and the other offers)
            + SEMANTIC_WEIGHT x the cosine of their sentence embeddings, when positive (the
              semantic channel, see engine.embedder; the embeddings are centred on the
              event's mean: what all its profiles share, "a Python talk", says nothing)
            + FREE_TEXT_WEIGHT x how well one's "looking for" meets the other's "can help
              with", both ways (`free_text_match`: the cosine of their embeddings when it
              reaches FREE_TEXT_MEANING_MATCH; without embeddings, of their TF-IDF vectors)
            - COMPANY_PENALTY when both work at the same company.
Every term is a product of per-attendee vectors, so exact top-k search runs in row blocks
and memory grows linearly with attendees.
"""

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from matchmaker.engine.blocks import BLOCK_ROWS, map_blocks, row_top_k, scratch
from matchmaker.engine.model import INTENTS, Attendee
from matchmaker.engine.products import SplitProduct
from matchmaker.engine.terms import (
    TOKEN,
    can_be_topic,
    clean_bio,
    company_terms,
    distinct_terms,
    fit_texts,
    persons_words,
    profile_texts,
)
from matchmaker.engine.topics import COMMON_AT, COMMON_SHARE, variants, whole_in

INTENT_BOOST = 0.1
FREE_TEXT_WEIGHT = 0.2
COMPANY_PENALTY = 0.05
SEMANTIC_WEIGHT = 0.1
# "Looking for" meets "can help with" from this cosine of their embeddings on, or from the
# second when the two texts share a word: a shared word makes short texts look alike to the
# model ("hardening CI pipelines" and "building data pipelines": 0.48). Measured on pairs
# labelled by hand (`python -m bench.free_text`): 84% right, against 81% for 0.40 alone and
# 35% for "any shared word"; 1.6% of a looking-for's pairs with unrelated talks match.
FREE_TEXT_MEANING_MATCH = 0.40
FREE_TEXT_SHARED_WORD_MATCH = 0.50
# Without embeddings, a reason quotes the two texts only when their words mostly agree
# (TF-IDF cosine): one shared word ("pipelines") is no match.
FREE_TEXT_WORDS_MATCH = 0.5
# From this many attendees on, a term more than half of them use is no reason to meet.
COMMON_TERM_MIN_PEOPLE = 5
# A group's topic weaker than this share of its strongest is left unsaid.
GROUP_STRONG_SHARE = 0.5
# The event's mean embedding is taken off in full for large events, in part for small ones
# (n / (n + CENTRE_PRIOR)): two people's mean says nothing about what an event shares.
CENTRE_PRIOR = 50


@dataclass
class TopK:
    """Each row's best candidates: `index[r]` (positions into `members`) and `score[r]`."""

    members: np.ndarray
    index: np.ndarray
    score: np.ndarray
    # The k-th best score of each row: every pair left out scores at most this.
    threshold: np.ndarray


def embeddings(attendees: list[Attendee]) -> np.ndarray | None:
    """The attendees' embeddings as rows, centred (see `centred`); None if none has one."""
    present = [a.vector for a in attendees if a.vector is not None]
    if not present:
        return None
    rows = np.zeros((len(attendees), len(present[0])), dtype=np.float32)
    for r, a in enumerate(attendees):
        if a.vector is not None:
            rows[r] = a.vector
    return centred(rows)


def centred(vectors: np.ndarray) -> np.ndarray:
    """Unit embeddings less the event's mean (shrunk for small events), normalised again;
    a zero row (an empty profile) stays zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    present = np.linalg.norm(vectors, axis=1) > 0
    n = int(present.sum())
    if not n:
        return vectors.copy()
    mean = vectors[present].mean(axis=0) * (n / (n + CENTRE_PRIOR))
    out = np.where(present[:, None], vectors - mean, 0.0).astype(np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


def meaning_match(cosine: np.ndarray, shared_word: np.ndarray) -> np.ndarray:
    """The cosines of "looking for" and "can help with" embeddings that count as a match
    (FREE_TEXT_MEANING_MATCH, or FREE_TEXT_SHARED_WORD_MATCH for texts that share a word),
    the others 0."""
    need = np.where(shared_word, FREE_TEXT_SHARED_WORD_MATCH, FREE_TEXT_MEANING_MATCH)
    return np.where(cosine >= need, cosine, 0.0)


@dataclass
class Wishes:
    """The embeddings of "looking for" and "can help with": `looking[r]`, `helping[r]`
    (zero rows for empty texts) and which rows have each text."""

    looking: np.ndarray
    helping: np.ndarray
    has_looking: np.ndarray
    has_helping: np.ndarray

    def match(
        self, rows: np.ndarray, cols: np.ndarray, words: "ProfileModel", side: "Columns"
    ) -> np.ndarray:
        """How well rows' "looking for" meets cols' "can help with", both ways: the sum of
        the cosines that reach their threshold (`meaning_match`), [len(rows), len(cols)]."""
        out = np.zeros((len(rows), len(cols)), dtype=np.float32)
        for seeker, giver, seeks, gives, seeker_words, giver_words in (
            (self.looking, self.helping, self.has_looking, self.has_helping,
             words.looking_for, side.can_help),
            (self.helping, self.looking, self.has_helping, self.has_looking,
             words.can_help, side.looking_for),
        ):  # fmt: skip
            r, c = np.flatnonzero(seeks[rows]), np.flatnonzero(gives[cols])
            if len(r) and len(c):
                cosine = seeker[rows[r]] @ giver[cols[c]].T
                shared = (seeker_words[rows[r]] @ giver_words[:, c]).toarray() > 0
                out[np.ix_(r, c)] += meaning_match(cosine, shared)
        return out

    def extended(self, n: int, rows: np.ndarray, changed: list[Attendee]) -> "Wishes":
        """These embeddings for n attendees: `changed[k]`'s own at rows[k] (zeros, no match,
        until it has them), new rows zero."""
        both = np.zeros((n, 2, self.looking.shape[1]), dtype=np.float32)
        both[: len(self.looking), 0], both[: len(self.looking), 1] = self.looking, self.helping
        for row, a in zip(rows.tolist(), changed, strict=True):
            both[row] = 0.0 if a.free_vectors is None else a.free_vectors
        return Wishes.of(both)

    @staticmethod
    def of(both: np.ndarray) -> "Wishes":
        """From [n, 2, dimensions] rows of (looking for, can help with)."""
        present = np.linalg.norm(both, axis=2) > 0
        return Wishes(
            np.ascontiguousarray(both[:, 0]),
            np.ascontiguousarray(both[:, 1]),
            present[:, 0],
            present[:, 1],
        )

    def pair_cosines(self, seekers: np.ndarray, givers: np.ndarray) -> np.ndarray:
        """The cosine of seekers' "looking for" with givers' "can help with", per pair."""
        return np.einsum("ij,ij->i", self.looking[seekers], self.helping[givers])


def free_vectors(attendees: list[Attendee]) -> Wishes | None:
    """The attendees' "looking for" and "can help with" embeddings, when everyone who wrote
    either has them (else None: all pairs are weighed on words alike)."""
    wrote = [a for a in attendees if a.looking_for.strip() or a.can_help.strip()]
    if not wrote or any(a.free_vectors is None for a in wrote):
        return None
    dimensions = next(a.free_vectors for a in wrote).shape[1]
    both = np.zeros((len(attendees), 2, dimensions), dtype=np.float32)
    for r, a in enumerate(attendees):
        if a.free_vectors is not None:
            both[r] = a.free_vectors
    return Wishes.of(both)


class Columns:
    """Transposed column-side matrices, so each row block is one sparse product."""

    def __init__(self, model: "ProfileModel", cols: np.ndarray):
        text, free = model.products()
        self.text = text.columns(cols)
        self.vectors = (
            None if model.vectors is None else np.ascontiguousarray(model.vectors[cols].T)
        )
        # [offers; seeks; 1]: one product with a row's [boost x seeks, boost x offers, 1]
        # gives the intents factor 1 + INTENT_BOOST x (intents met both ways).
        self.intents = np.ascontiguousarray(
            np.hstack([model.offers[cols], model.seeks[cols], np.ones((len(cols), 1))]).T,
            dtype=np.float32,
        )
        self.cols = np.asarray(cols)
        self.wishes = model.wishes
        self.looking_for = model.looking_for[cols].T.tocsr()
        self.can_help = model.can_help[cols].T.tocsr()
        self.has_free_text = self.wishes is None and bool(
            self.looking_for.nnz and self.can_help.nnz
        )
        self.free_text = free.columns(cols) if self.has_free_text else None
        self.employer = model.employer[cols].T.tocsr()
        self.has_companies = bool(self.employer.nnz)


class ProfileModel:
    """TF-IDF vectors of every profile plus the intent and free-text vectors, and the
    sentence embeddings when attendees carry them (an attendee without one: zeros)."""

    def __init__(self, attendees: list[Attendee]):
        self.attendees = attendees
        n = len(attendees)
        self.vectors = embeddings(attendees)
        self.text, self.terms, self.text_weights = fit_texts(profile_texts(attendees), phrases=True)
        self.term_list: list[str] = [str(t) for t in self.terms]
        names = frozenset(w for a in attendees for w in TOKEN.findall(a.name.lower()))
        firms = company_terms(a.company for a in attendees)
        self.topical = np.array(
            [can_be_topic(t, names) and t not in firms for t in self.term_list], dtype=bool
        )
        # What most of the event says ("engineer" in every headline) tells no pair apart;
        # a single word in more than 15% of a large event's profiles names no topic.
        profiles_with = np.bincount(self.text.indices, minlength=len(self.term_list))
        if n >= COMMON_TERM_MIN_PEOPLE:
            self.topical &= profiles_with <= n / 2
        if n >= COMMON_AT:
            single = np.array([" " not in t for t in self.term_list], dtype=bool)
            self.topical &= ~(single & (profiles_with > COMMON_SHARE * n))
        # Phrases common enough that a word cut from one is a fragment ("source" of "open
        # source"), for `topics.whole_in`.
        floor = max(3, n // 100)
        self.compounds = frozenset(
            t for t, c in zip(self.term_list, profiles_with.tolist(), strict=True)
            if " " in t and c >= floor
        )  # fmt: skip
        free, _, self.free_weights = fit_texts(
            [a.looking_for for a in attendees] + [a.can_help for a in attendees], phrases=False
        )
        self.looking_for, self.can_help = free[:n], free[n:]
        self.wishes = free_vectors(attendees)
        self._people_matrices()

    def _people_matrices(self) -> None:
        """What comes from each attendee alone: intents, companies."""
        attendees = self.attendees
        n = len(attendees)
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

    def extended(self, changed: list[Attendee]) -> "ProfileModel":
        """This model with `changed` attendees in it (new ones appended, others in place of
        theirs), weighed by this model's fitted weights: their words this event never used
        count for nothing, and the event's term weights stay as fitted. For a few profiles
        changed since the fit; fit again for many."""
        model = object.__new__(ProfileModel)
        where = {a.id: k for k, a in enumerate(self.attendees)}
        attendees = list(self.attendees)
        for a in changed:
            if a.id in where:
                attendees[where[a.id]] = a
            else:
                where[a.id] = len(attendees)
                attendees.append(a)
        rows = np.array([where[a.id] for a in changed], dtype=np.int64)
        n = len(attendees)

        # Row r of the result: the old row r, or new row k where changed[k] sits.
        source = np.arange(n)
        source[rows] = len(self.attendees) + np.arange(len(rows))

        def with_rows(matrix: sp.csr_matrix, new: sp.csr_matrix) -> sp.csr_matrix:
            return sp.vstack([matrix, new.astype(matrix.dtype)]).tocsr()[source]

        texts = [f"{a.headline}\n{clean_bio(a.bio)}\n{' '.join(a.interests)}" for a in changed]
        model.attendees = attendees
        model.text = with_rows(self.text, self.text_weights.transform(texts))
        model.terms, model.term_list, model.topical = self.terms, self.term_list, self.topical
        model.compounds = self.compounds
        model.text_weights, model.free_weights = self.text_weights, self.free_weights
        model.looking_for = with_rows(
            self.looking_for, self.free_weights.transform([a.looking_for for a in changed])
        )
        model.can_help = with_rows(
            self.can_help, self.free_weights.transform([a.can_help for a in changed])
        )
        model.wishes = None if self.wishes is None else self.wishes.extended(n, rows, changed)
        model.vectors = None
        if self.vectors is not None:
            model.vectors = np.zeros((n, self.vectors.shape[1]), dtype=np.float32)
            model.vectors[: len(self.vectors)] = self.vectors
            model.vectors[rows] = 0.0  # a changed profile's embedding is computed later
        model._people_matrices()
        return model

    def products(self) -> tuple[SplitProduct, SplitProduct]:
        """The block products of the words and of "looking for" with "can help with" both
        ways (weighed by FREE_TEXT_WEIGHT), made on first use."""
        made = self.__dict__.get("_products")
        if made is None:
            rows = sp.hstack([self.looking_for, self.can_help], format="csr") * FREE_TEXT_WEIGHT
            cols = sp.hstack([self.can_help, self.looking_for], format="csr")
            made = self._products = (
                SplitProduct(self.text),
                SplitProduct(rows.astype(np.float32), cols.astype(np.float32)),
            )
        return made

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
        shape = (len(rows), side.text.width)
        # Fresh 50 MB arrays per block cost page faults; each thread reuses its own.
        scores = scratch("scores", shape) if reuse else np.empty(shape, np.float32)
        text, free = self.products()
        text.into(np.asarray(rows), side.text, scores, add=False)
        boost = scratch("intents", shape)
        scores *= np.matmul(self.intent_rows[rows], side.intents, out=boost)
        if side.vectors is not None:
            semantic = scratch("semantic", shape)
            np.matmul(self.vectors[rows], side.vectors, out=semantic)
            np.maximum(semantic, 0.0, out=semantic)
            semantic *= SEMANTIC_WEIGHT
            scores += semantic
        if side.wishes is not None:
            scores += FREE_TEXT_WEIGHT * side.wishes.match(np.asarray(rows), side.cols, self, side)
        elif side.free_text is not None:
            free.into(np.asarray(rows), side.free_text, scores, add=True)
        if side.has_companies:
            same = (self.employer[rows] @ side.employer).tocoo()
            scores[same.row, same.col] -= COMPANY_PENALTY
        return scores

    def pair_scores(self, left: np.ndarray, right: np.ndarray) -> np.ndarray:
        """Scores of the pairs (left[e], right[e])."""
        if len(left) == 0:
            return np.zeros(0, dtype=np.float64)
        text = np.asarray(self.text[left].multiply(self.text[right]).sum(axis=1)).ravel()
        semantic = np.zeros(len(left))
        if self.vectors is not None:
            cosine = np.einsum("ij,ij->i", self.vectors[left], self.vectors[right])
            semantic = SEMANTIC_WEIGHT * np.maximum(cosine, 0.0)
        intents = (self.seeks[left] * self.offers[right]).sum(1) + (
            self.offers[left] * self.seeks[right]
        ).sum(1)
        free = self.free_text_match(left, right) + self.free_text_match(right, left)
        same = (self.company[left] == self.company[right]) & (self.company[left] >= 0)
        return (
            text * (1.0 + INTENT_BOOST * intents)
            + semantic
            + FREE_TEXT_WEIGHT * free
            - COMPANY_PENALTY * same
        ).astype(np.float64)

    def top_k(
        self,
        k: int,
        members: np.ndarray | None = None,
        excluded: dict[int, set[int]] | None = None,
        progress=None,
        part: tuple[int, int] | None = None,
    ) -> TopK:
        """Each member's k best other members (exact, in row blocks); `excluded` maps an
        attendee index to indices it must not be paired with. With `part` (first, stop),
        only the members at those positions are searched (the other rows stay empty)."""
        members = np.arange(len(self.attendees)) if members is None else np.asarray(members)
        side = self.columns(members)
        m = len(members)
        k = max(0, min(k, m - 1))
        index = np.zeros((m, k), dtype=np.int64)
        score = np.zeros((m, k), dtype=np.float32)
        threshold = np.zeros(m, dtype=np.float32)
        position = {int(a): p for p, a in enumerate(members)}

        first, stop = part or (0, m)

        def block_top(start: int):
            rows = np.arange(start, min(start + BLOCK_ROWS, stop))
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

        for rows, best, best_scores in map_blocks(block_top, range(first, stop, BLOCK_ROWS)):
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
        single_word_min_weight: float = 0.0,
    ) -> list[list[tuple[str, float]]]:
        """For each pair (left[e], right[e]), up to `limit` terms that weigh most in both
        profiles, with that weight (the product of their weights, at least `min_weight`, and
        for a single word at least `single_word_min_weight`), strongest first (in chunks, so
        memory stays small)."""
        single = np.array([" " not in t for t in self.term_list], dtype=bool)
        result: list[list[str]] = []
        for start in range(0, len(left), chunk):
            a, b = left[start : start + chunk], right[start : start + chunk]
            both = self.text[a].multiply(self.text[b]).tocsr()
            both.sort_indices()
            picked = [[] for _ in range(len(a))]
            data = both.data.astype(np.float64)
            data[(data < min_weight) | ~self.topical[both.indices]] = 0.0
            data[single[both.indices] & (data < single_word_min_weight)] = 0.0
            row_of = np.repeat(np.arange(len(a)), np.diff(both.indptr))
            filled = np.flatnonzero(np.diff(both.indptr) > 0)
            # `limit` rounds of "each row's largest entry" beat sorting every shared term.
            for _ in range(limit):
                if not len(filled):
                    break
                best = np.full(len(a), -np.inf)
                best[filled] = np.maximum.reduceat(data, both.indptr[filled])
                hits = np.flatnonzero((data == best[row_of]) & (data > 0))
                rows, first = np.unique(row_of[hits], return_index=True)
                if not len(rows):
                    break
                positions = hits[first]  # the lowest column among ties: rows are sorted
                for r, c, w in zip(
                    rows.tolist(),
                    both.indices[positions].tolist(),
                    data[positions].tolist(),
                    strict=True,
                ):
                    picked[r].append((self.term_list[c], w))
                data[positions] = -np.inf
            result += picked
        return result

    def free_text_match(self, seekers: np.ndarray, givers: np.ndarray) -> np.ndarray:
        """How well each seeker's "looking for" meets the giver's "can help with", per pair:
        the cosine of their embeddings where it reaches its threshold (`meaning_match`, else
        0), or, without embeddings, of their words' TF-IDF vectors."""
        if len(seekers) == 0:
            return np.zeros(0, dtype=np.float64)
        words = np.asarray(
            self.looking_for[seekers].multiply(self.can_help[givers]).sum(axis=1)
        ).ravel()
        if self.wishes is None:
            return words
        cosine = self.wishes.pair_cosines(seekers, givers).astype(np.float64)
        return meaning_match(cosine, words > 0)

    def free_text_overlap(self, seekers: np.ndarray, givers: np.ndarray) -> np.ndarray:
        """Whether each seeker's "looking for" meets the giver's "can help with" well enough
        to be given as a reason, per pair: by meaning (see `free_text_match`), or without
        embeddings when most of their words agree (FREE_TEXT_WORDS_MATCH)."""
        match = self.free_text_match(seekers, givers)
        return match >= (
            FREE_TEXT_MEANING_MATCH if self.wishes is not None else FREE_TEXT_WORDS_MATCH
        )

    def group_terms(self, members: list[int], limit: int = 3) -> list[str]:
        """Terms that at least two members use, by their summed weight (a phrase in place
        of its own words: "machine learning", not "machine"), each whole in at least two
        members' own words (`topics.whole_in`), one spelling of each."""
        rows = self.text[members]
        columns, where, present = np.unique(rows.indices, return_inverse=True, return_counts=True)
        weight = np.bincount(where, weights=rows.data, minlength=len(columns))
        weight[(present < 2) | ~self.topical[columns]] = 0
        order = np.lexsort((columns, -weight))[: 4 * limit]
        texts = [persons_words(self.attendees[m]) for m in members]
        picked: list[str] = []
        strongest = 0.0
        for o in order:
            term = str(self.terms[columns[o]])
            if weight[o] <= 0 or weight[o] < GROUP_STRONG_SHARE * strongest:
                break
            if any(variants(term, p) for p in picked):
                continue
            if sum(whole_in(text, term, self.compounds) for text in texts) >= 2:
                picked.append(term)
                strongest = strongest or float(weight[o])
        return distinct_terms(picked, limit)
