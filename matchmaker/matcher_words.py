"""The sentences the matcher writes (reasons to meet and conversation starters,
`engine/explain.py`) in the reader's language. The engine writes them in English and they
are kept so; each sentence it can write is matched here whole and said again from the
catalogue, the people's own words (names, topics, quotes) left as they are. A line that
matches none stays as it was written. No Flask: pages (`i18n.py`), mail and exports use it."""

import re

from babel import lists
from babel.support import NullTranslations

from matchmaker.catalogue import N_, translations

# What each intent is called inside a sentence (engine.explain.INTENT_PHRASES).
PHRASES = {
    "mentorship": N_("mentorship"),
    "job opportunities": N_("job opportunities"),
    "know-how": N_("know-how"),
    "collaboration": N_("collaboration"),
    "business contacts": N_("business contacts"),
}
_PHRASE = "(?P<what>" + "|".join(re.escape(p) for p in PHRASES) + ")"
_QUOTE = "“(?P<{}>[^”]*)”"

# (the English sentence as a pattern, the message to say instead); lists are named
# `items` and written again as the reader's language writes a list.
SENTENCES: list[tuple[re.Pattern, str]] = [
    (r"Shared interests: (?P<items>.+)", N_("Shared interests: %(items)s")),
    (r"You both talk about (?P<items>.+)", N_("You both talk about %(items)s")),
    (rf"You both wrote {_QUOTE.format('quote')}", N_("You both wrote “%(quote)s”")),
    (r"You both work as (?P<items>.+)", N_("You both work as %(items)s")),
    (r"Your table's common ground: (?P<items>.+)", N_("Your table's common ground: %(items)s")),
    (r"Interests several of you share: (?P<items>.+)",
     N_("Interests several of you share: %(items)s")),
    (r"Someone new, outside your usual circle", N_("Someone new, outside your usual circle")),
    (r"A mixed table: people you would not otherwise meet",
     N_("A mixed table: people you would not otherwise meet")),
    # One-to-ones as each of the two reads them (engine.explain.for_reader), ahead of the
    # organiser's, where "You" would pass for a name ...
    (rf"(?P<giver>.+) offers the {_PHRASE} you seek",
     N_("%(giver)s offers the %(what)s you seek")),
    (rf"You offer the {_PHRASE} (?P<seeker>.+) seeks",
     N_("You offer the %(what)s %(seeker)s seeks")),
    (rf"You are looking for {_QUOTE.format('wish')}; (?P<giver>.+) can help with "
     rf"{_QUOTE.format('help')}",
     N_("You are looking for “%(wish)s”; %(giver)s can help with “%(help)s”")),
    (rf"(?P<seeker>.+) is looking for {_QUOTE.format('wish')}; you can help with "
     rf"{_QUOTE.format('help')}",
     N_("%(seeker)s is looking for “%(wish)s”; you can help with “%(help)s”")),
    (rf"You wrote {_QUOTE.format('first')}; (?P<other>.+) wrote {_QUOTE.format('second')}",
     N_("You wrote “%(first)s”; %(other)s wrote “%(second)s”")),
    (rf"(?P<one>.+) wrote {_QUOTE.format('first')}; you wrote {_QUOTE.format('second')}",
     N_("%(one)s wrote “%(first)s”; you wrote “%(second)s”")),
    # ... and as the organiser reads them (both people by name).
    (rf"(?P<giver>.+) offers the {_PHRASE} (?P<seeker>.+) seeks",
     N_("%(giver)s offers the %(what)s %(seeker)s seeks")),
    (rf"(?P<seeker>.+) is looking for {_QUOTE.format('wish')}; (?P<giver>.+) can help with "
     rf"{_QUOTE.format('help')}",
     N_("%(seeker)s is looking for “%(wish)s”; %(giver)s can help with “%(help)s”")),
    (rf"(?P<one>.+) wrote {_QUOTE.format('first')}; (?P<other>.+) wrote {_QUOTE.format('second')}",
     N_("%(one)s wrote “%(first)s”; %(other)s wrote “%(second)s”")),
    # Starters.
    (r"What got each of you into (?P<topic>.+)\?", N_("What got each of you into %(topic)s?")),
    (rf"You both mention {_QUOTE.format('topic')}: where does it come up in your work\?",
     N_("You both mention “%(topic)s”: where does it come up in your work?")),
    (rf"(?P<asker>.+): ask (?P<other>.+) what the story is behind {_QUOTE.format('quote')}",
     N_("%(asker)s: ask %(other)s what the story is behind “%(quote)s”")),
    (rf"Ask (?P<other>.+) what the story is behind {_QUOTE.format('quote')}",
     N_("Ask %(other)s what the story is behind “%(quote)s”")),
    (r"(?P<asker>.+): ask (?P<other>.+) what being (?P<headline>.+) is like",
     N_("%(asker)s: ask %(other)s what being %(headline)s is like")),
    (r"Ask (?P<other>.+) what being (?P<headline>.+) is like",
     N_("Ask %(other)s what being %(headline)s is like")),
    (rf"(?P<seeker>.+), tell (?P<giver>.+) what {_PHRASE} you hope to find",
     N_("%(seeker)s, tell %(giver)s what %(what)s you hope to find")),
    (rf"Tell (?P<giver>.+) what {_PHRASE} you hope to find",
     N_("Tell %(giver)s what %(what)s you hope to find")),
    (rf"Ask (?P<seeker>.+) what {_PHRASE} they hope to find",
     N_("Ask %(seeker)s what %(what)s they hope to find")),
    (r"What would make this event a success for you\?",
     N_("What would make this event a success for you?")),
    (r"What are you working on now\?", N_("What are you working on now?")),
    (r"Go round the table: name, what you work on, and one thing you hope to learn here\.",
     N_("Go round the table: name, what you work on, and one thing you hope to learn here.")),
    (r"What is the hardest problem you have met in (?P<topic>.+)\?",
     N_("What is the hardest problem you have met in %(topic)s?")),
    (r"Who here could help someone else at this table with what they seek\?",
     N_("Who here could help someone else at this table with what they seek?")),
]  # fmt: skip
_COMPILED = [(re.compile(pattern), message) for pattern, message in SENTENCES]
_LIST = re.compile(r", | and ")


def said_again(line: str, catalogue: NullTranslations, language: str) -> str:
    """One line the matcher wrote, in `language` (`catalogue` its translations)."""
    if language == "en":
        return line
    for pattern, message in _COMPILED:
        if found := pattern.fullmatch(line):
            values = found.groupdict()
            if "items" in values:
                values["items"] = lists.format_list(_LIST.split(values["items"]), locale=language)
            if "what" in values:
                values["what"] = catalogue.gettext(PHRASES[values["what"]])
            return catalogue.gettext(message) % values
    return line


def said_in(language: str | None, line: str) -> str:
    """One line the matcher wrote, in `language` (None: English), outside a request."""
    return said_again(line, translations(language), language or "en")
