"""Text from people, made safe to store and show: Unicode NFC, and no invisible control or
format characters (a right-to-left override can make a name read as something else; a NUL
byte breaks PostgreSQL). Pure Python: forms, services and the engine all use it."""

import functools
import unicodedata

from natsort import natsort_keygen, ns

# Harmless and invisible: dropped quietly (a byte-order mark, zero-width space, soft hyphen).
DROPPED = {"\ufeff", "\u200b", "\u00ad"}
# Format characters that real writing needs: joiners for Indic scripts and emoji, and the
# left-to-right / right-to-left marks of mixed-direction text.
KEPT_FORMAT = {"\u200c", "\u200d", "\u200e", "\u200f"}
LINE_BREAKS = {"\n", "\r", "\t"}
# Controls, surrogates, private use and unassigned; and the Unicode line and paragraph
# separators (U+2028, U+2029), which end a line in JavaScript, JSON readers and calendars.
REFUSED_CATEGORIES = ("Cc", "Cs", "Co", "Cn", "Zl", "Zp")
_DROP = str.maketrans(dict.fromkeys(DROPPED))
# In ASCII the refused characters are the controls (category Cc): 0-31 and 127.
_ASCII_CONTROLS = [chr(c) for c in range(32)] + ["\x7f"]
_SPACED = {
    True: str.maketrans({ch: " " for ch in _ASCII_CONTROLS if ch not in LINE_BREAKS}),
    False: str.maketrans(dict.fromkeys(_ASCII_CONTROLS, " ")),
}


def refused_character(text: str, multiline: bool = False) -> str | None:
    """The first character of `text` that is not allowed, or None."""
    for ch in text:
        category = unicodedata.category(ch)
        if multiline and ch in LINE_BREAKS:
            continue
        if category in REFUSED_CATEGORIES or (category == "Cf" and ch not in KEPT_FORMAT):
            return ch
    return None


def clean_text(value: str, multiline: bool = False) -> str:
    """`value` in NFC without harmless invisible characters; ValueError (with a message for
    people) if it holds a control or format character."""
    text = unicodedata.normalize("NFC", value.translate(_DROP))
    bad = refused_character(text, multiline)
    if bad is not None:
        name = unicodedata.name(bad, "a control character")
        raise ValueError(
            f"Remove the invisible character U+{ord(bad):04X} ({name.lower()}) from this field."
        )
    return text


def scrub_text(value: str, multiline: bool = True) -> str:
    """`value` in NFC with every refused character replaced by a space (for text that is
    only read, never shown as typed, such as the engine's input)."""
    text = unicodedata.normalize("NFC", value.translate(_DROP))
    if text.isascii():  # most text: one pass in C
        return text.translate(_SPACED[multiline])
    # Each distinct character is looked at once (a long bio holds a few hundred), then one
    # pass in C replaces the refused ones.
    refused = [ch for ch in set(text) if _refused(ch, multiline)]
    return text.translate(str.maketrans(dict.fromkeys(refused, " "))) if refused else text


@functools.lru_cache(maxsize=65536)
def _refused(ch: str, multiline: bool) -> bool:
    return refused_character(ch, multiline) is not None


# The sort key that puts "Table 2" before "Table 10", ignoring case.
natural_key = natsort_keygen(alg=ns.IGNORECASE)
