"""Interest tags: parsing what attendees type, and suggesting what others used."""

import re

from matchmaker.models.profile import TAG_MAX, TAGS_PER_PROFILE_MAX

# Letters (any script), digits, spaces and + # . - / & ' inside; at least one letter or digit.
TAG_PATTERN = re.compile(r"^[\w][\w +#./&'-]*$")


def parse_tags(text: str) -> tuple[list[str], list[str]]:
    """Split comma-separated tags into (tags, errors); tags lower-cased, unique, in order."""
    tags: list[str] = []
    errors: list[str] = []
    for raw in text.split(","):
        tag = " ".join(raw.split()).lower()
        if not tag:
            continue
        if len(tag) > TAG_MAX:
            errors.append(f"{tag[:20]!r}... is longer than {TAG_MAX} characters.")
        elif not TAG_PATTERN.match(tag) or "_" in tag:
            errors.append(
                f"{tag!r} is not a tag: use letters, digits, spaces and + # . - / & ' only."
            )
        elif tag not in tags:
            tags.append(tag)
    if len(tags) > TAGS_PER_PROFILE_MAX:
        errors.append(f"Choose at most {TAGS_PER_PROFILE_MAX} interests ({len(tags)} given).")
    return tags, errors
