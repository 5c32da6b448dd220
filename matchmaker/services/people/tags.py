"""Interest tags: parsing what attendees type, and suggesting what others used."""

import re

from matchmaker.catalogue import N_, Text
from matchmaker.models.profile import TAG_MAX, TAGS_PER_PROFILE_MAX

# Letters (any script), digits, spaces and + # . - / & ' inside; at least one letter or digit.
TAG_PATTERN = re.compile(r"^[\w][\w +#./&'-]*$")


NOT_A_TAG = N_("%(tag)r is not a tag: use letters, digits, spaces and + # . - / & ' only.")


def parse_tags(text: str) -> tuple[list[str], list[Text]]:
    """Split comma-separated tags into (tags, errors); tags lower-cased, unique, in order."""
    tags: list[str] = []
    errors: list[Text] = []
    for raw in text.split(","):
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            errors.append(Text(N_("%(tag)r... is longer than %(max)d characters."),
                               {"tag": tag[:20], "max": TAG_MAX}))  # fmt: skip
        elif not TAG_PATTERN.match(tag) or "_" in tag:
            errors.append(Text(NOT_A_TAG, {"tag": tag}))
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_PER_PROFILE_MAX:
        errors.append(Text(N_("Choose at most %(max)d interests (%(given)d given)."),
                           {"max": TAGS_PER_PROFILE_MAX, "given": len(tags)}))  # fmt: skip
    return tags, errors
