"""Which words can be named as what two people both talk about: a term is grounded when it
occurs whole in both people's own words (never cut from a longer name, title or hyphenated
word), and it says something when it is no filler, idiom word or bare adjective. Variants of
one topic ("fpga", "fpgas"; "postgres", "postgresql") are named once.

The word lists were read off the dev data (../shared/data: the single words in most of its
6,342 profiles, and the weak topics a blind reader found in reasons); the event's own
document frequencies add the words its profiles all use."""

import functools
import re

# Words in 2% or more of the dev data's profiles that name no subject of their own.
FILLER_WORDS = frozenset(
    "talk using use code new like tools tool learn used time work make source based "
    "development applications application way software project projects build world "
    "building language library libraries different need developers developer programming "
    "help discuss science real simple best examples example just cover easy features feature "
    "analysis community framework frameworks model models process create provide people "
    "experience better years users user problems problem introduction end know high "
    "working common good look write want large including systems system things available "
    "making run start design writing level explore built share techniques introduce present "
    "basic approach processing set abstract ways understand great focus presented "
    "understanding overview complex production powerful various knowledge creating does "
    "allows important challenges package provides ecosystem practices makes support core "
    "possible team demonstrate started test case lot running research presentation "
    "information management useful scale existing hard environment fast future works "
    "practical written packages results interactive standard app apps right modern cases "
    "concepts explain multiple specific going number improve finally learned able platform "
    "power methods small single include functions text getting implementation uses "
    "architecture services service state easily easier tests doing solutions solution solve "
    "interface advanced tasks task server life key goal developed developing walk order "
    "general issues types type quickly think technology long questions files file content "
    "details idea change changes steps step parts part form review variety resources "
    "engineering efficient audience live fun version versions setup faster client "
    "attendees attendee experts expert capabilities contributions growth age play thought "
    "thoughts insights insight impact head "
    # verbs that name no subject
    "exist exists did do done said say says see seen seem seems become becomes became keep "
    "keeps kept give gives given find finds found feel felt try tries tried put puts call "
    "calls mean means meant turn turns move moves moved happen happens happened enjoy "
    "enjoys".split()
)
# Words that stand in idioms more than for subjects ("miss the mark", "by storm", "here to tell
# you that story", "a deep dive", "under the hood").
IDIOM_WORDS = frozenset(
    "miss mark storm tell story stories journey dive deep hood box bring road trip magic "
    "secret secrets tale tales lessons tips tricks beyond matter matters love hate piece "
    "pieces bit bits fly scratch wild zoo land hell heaven battle war wars adventure "
    "adventures quest rescue win wins hands dirty game changer fear hope joy pain dream art "
    "dreams moment moments".split()
)
# Verbs that are no thing talked about, in a phrase or alone ("how teams handle", "as the
# week goes", "spent"): forms that are seldom nouns, read off the topics named for the demo's
# first-person bios and the dev data.
VERBS = frozenset(
    "handle handles go goes went gone come comes came get gets got make makes made take "
    "takes took give gives gave know knows knew think thinks seem seems feel feels felt try "
    "tries tried keep keeps kept begin begins began hear hears heard believe believes bring "
    "brings brought happen happens wrote sit sits sat stand stands stood lose loses pay pays "
    "paid meet meets includes continue continues understand understands follow follows "
    "allow allows spend spends spent grow grows remember remembers consider considers appear "
    "appears buy buys wait waits send sends expect expects stay stays reach reaches remain "
    "remains suggest suggests decide decides wonder wonders".split()
)
# Adjectives that are no topic on their own ("local, national and ambitions").
ADJECTIVES = frozenset(
    "local national global digital social critical general personal internal external "
    "optional functional formal natural central legal ethical technical physical virtual "
    "visual neural open big small new own free full main safe slow robust reliable secure "
    "dynamic static distributed parallel concurrent asynchronous async scientific "
    "statistical numerical mathematical financial industrial commercial academic public "
    "private european international hidden broken forgotten proven".split()
)
_ADJECTIVE_ENDINGS = ("ive", "ous", "ical", "able", "ible", "ful", "less")
# Verbs by their ending ("optimize", "containerise" is British and left alone), and the
# common verbs in -ify (a suffix that also ends names: "Spotify", "Netlify").
_VERB_ENDINGS = ("ize", "izes")
_IFY_VERBS = frozenset(
    "simplify simplifies modify modifies verify verifies identify identifies classify "
    "classifies specify specifies notify notifies justify justifies quantify quantifies unify "
    "unifies amplify amplifies clarify clarifies".split()
)
# Pieces of web addresses ("example.com") and the small words of the other languages a
# conference's profiles are written in ("que", "para", "und"): never part of a topic.
NEVER_TOPIC_WORDS = frozenset(
    "com org www http https "
    "que para por con los las del una uno el la le les des une und der die das den dem ein "
    "eine für von zu ist nicht auf sich il di da che sono come della delle nel não "
    "uma os em".split()
)
# The last words of a job title ("web developer", "ux researcher"): a topic that ends in one
# and stands in both people's headlines is what they both work as, not what they talk about.
ROLE_WORDS = frozenset(
    "engineer developer manager scientist designer researcher lead writer advocate architect "
    "analyst founder cofounder teacher student consultant director officer cto ceo cfo coo "
    "recruiter marketer owner editor journalist professor lecturer organiser organizer "
    "maintainer intern coach librarian administrator admin tester".split()
)
# A single word in more than this share of an event's profiles says nothing about a pair
# (for events of at least COMMON_AT profiles).
COMMON_SHARE = 0.15
COMMON_AT = 50


def says_something(term: str) -> bool:
    """A term that can stand as a topic by its words alone: no piece of a web address, small
    word of another language or verb; a single word that is no filler, idiom word, bare
    adjective or verb by its ending; a phrase that does not end in an idiom word ("deep
    dive") or a past participle ("lessons learned"), nor is all idiom ("tips tricks"). A
    phrase of vague words can be precise ("language models", "open source"): phrases are
    judged by where they stand (`whole_in`)."""
    words = term.split()
    if not words or not (NEVER_TOPIC_WORDS.isdisjoint(words) and VERBS.isdisjoint(words)):
        return False
    if len(words) == 1:
        word = words[0]
        return not (
            word in FILLER_WORDS
            or word in IDIOM_WORDS
            or word in ADJECTIVES
            or word.endswith(_ADJECTIVE_ENDINGS)
            or word.endswith(_VERB_ENDINGS)
            or word in _IFY_VERBS
        )
    return (
        words[-1] not in IDIOM_WORDS
        and not all(w in IDIOM_WORDS for w in words)
        and not _participle(words[-1])
    )


def _participle(word: str) -> bool:
    """A word that ends a phrase as a past participle ("lessons learned", "free threaded",
    "data driven"): the phrase names no thing."""
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed")


# An -ing word before these takes an object or a direction: a verb ("looking for", "keeping
# our CI green", "moving to streaming").
_OBJECT_WORDS = frozenset(
    "for the a an our my your their his her its this that these those up out to off away back "
    "over from into".split()
)
_WORD = re.compile(r"\b[a-zA-Z][a-zA-Z0-9+#]+\b")  # the model's words (terms.TOKEN)
_JOIN = re.compile(r"[ \t\-]+")
_PREVIOUS = re.compile(r"([A-Za-z][A-Za-z0-9+#]*)[ \t]+$")
_NEXT = re.compile(r"[ \t]+([A-Za-z][A-Za-z0-9+#]*)")


def _inside_word(char: str) -> bool:
    return char.isalnum() or char in "_+#"


class OwnWords:
    """A text, read to find terms in it whole (only around where a term's first word
    stands: long texts are not tokenised)."""

    def __init__(self, text: str):
        self.text, self.low = text, text.lower()

    def whole(self, term: str, compounds: frozenset[str]) -> bool:
        words = term.split()
        at = self.low.find(words[0])
        while at >= 0:
            end = self._match(at, words)
            if (
                end is not None
                and not self._cut(at, end, words, compounds)
                and not self._not_a_name(at, end, words)
            ):
                return True
            at = self.low.find(words[0], at + 1)
        return False

    def _not_a_name(self, start: int, end: int, words: list[str]) -> bool:
        """The occurrence is a verb, not a thing talked about: an -ing word in lower case
        before its object or a particle ("looking for", "keeping our CI green", "migrating
        off"); "teaching Python to students" is still teaching."""
        # A capitalised -ing word opens a title or a sentence: its subject ("Teaching the
        # Next Generation", "Scraping the web").
        if len(words) > 1 or not words[0].endswith("ing") or self.text[start].isupper():
            return False
        following = _NEXT.match(self.low, end)
        return following is not None and following.group(1) in _OBJECT_WORDS

    def _match(self, at: int, words: list[str]) -> int | None:
        """Where the term's words, side by side from `at`, end (None: not there)."""
        low = self.low
        if at and _inside_word(low[at - 1]):
            return None
        position = at
        for k, word in enumerate(words):
            if k:
                joined = _JOIN.match(low, position)
                if joined is None:
                    return None
                position = joined.end()
            if not low.startswith(word, position):
                return None
            position += len(word)
        if position < len(low) and _inside_word(low[position]):
            return None
        return position

    def _cut(self, start: int, end: int, words: list[str], compounds: frozenset[str]) -> bool:
        text = self.text
        # Inside a hyphenated word ("end" of "end-to-end"); a version is no other word
        # ("GPT" of "GPT-3").
        if start >= 2 and text[start - 1] == "-" and text[start - 2].isalpha():
            return True
        if end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha():
            return True
        capital = text[start].isupper()
        firsts, seconds = _compound_words(compounds)
        if not capital and words[0] not in seconds and words[-1] not in firsts:
            return False  # nothing around it can make it a fragment
        before = text[max(0, start - 60) : start]
        previous = _PREVIOUS.search(before)
        following = _NEXT.match(text, end)
        if previous and f"{previous.group(1).lower()} {words[0]}" in compounds:
            return True
        if following and f"{words[-1]} {following.group(1).lower()}" in compounds:
            return True
        if not capital or self._title_case(start, end):
            return False
        if previous and previous.group(1)[0].isupper():
            ahead = before[: previous.start(1)].rstrip(" \t")
            if ahead and ahead[-1] not in '.!?:;\n\r"“([':  # not a sentence's first word
                return True
        return bool(following and following.group(1)[0].isupper())

    def _title_case(self, start: int, end: int) -> bool:
        """The occurrence stands in a title ("Taming Large Language Models for Search"):
        every word of four letters or more in its line is capitalised (three at least), so a
        capitalised neighbour is style, not a longer name."""
        text = self.text
        begin = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start)) + 1
        ends = [e for e in (text.find("\n", end), text.find(". ", end)) if e >= 0]
        line = text[begin : min(ends) if ends else len(text)]
        long = [w for w in _WORD.findall(line) if len(w) >= 4]
        return len(long) >= 3 and all(w[0].isupper() for w in long)


@functools.lru_cache(maxsize=8)
def _compound_words(compounds: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The first and the second words of the common phrases."""
    pairs = [c.split(" ", 1) for c in compounds]
    return frozenset(p[0] for p in pairs), frozenset(p[-1] for p in pairs)


@functools.lru_cache(maxsize=20_000)
def own_words(text: str) -> OwnWords:
    """A text read for `whole_in` (kept for the texts read most recently)."""
    return OwnWords(text)


def whole_in(text: str, term: str, compounds: frozenset[str] = frozenset()) -> bool:
    """Whether `term` occurs in `text` whole at least once: not inside a hyphenated word
    ("end" of "end-to-end"), not cut from a capitalised name ("Context Protocol" of "Model
    Context Protocol", "Act" of "Cyber Resilience Act"; a title's capitals are style), and
    not the tail or head of a common phrase in `compounds` ("source X" of "open source X")."""
    return own_words(text).whole(term, compounds)


def _stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@functools.lru_cache(maxsize=65536)
def _stems(term: str) -> tuple[str, ...]:
    return tuple(_stem(w) for w in term.split())


def variants(one: str, other: str) -> bool:
    """Two spellings of one topic: the same words but for a plural ("fpga", "fpgas"), or a
    word and its longer form ("postgres", "postgresql")."""
    a, b = _stems(one), _stems(other)
    if a == b:
        return True
    if len(a) == len(b) == 1:
        short, long = sorted((a[0], b[0]), key=len)
        return len(short) >= 5 and long.startswith(short) and len(long) - len(short) <= 3
    return False


def is_role(term: str, headlines: tuple[str, ...]) -> bool:
    """Whether `term` is a job title ("web developer") that stands whole in every one of
    these headlines."""
    words = term.split()
    last = words[-1].removesuffix("s") if words else ""
    return last in ROLE_WORDS and all(whole_in(h, term) for h in headlines)
