"""The event's own words that every layer shares: intents, formats and their labels."""

INTENTS: tuple[str, ...] = (
    "mentorship",
    "jobs",
    "knowledge",
    "collaboration",
    "business",
)

INTENT_LABELS: dict[str, str] = {
    "mentorship": "Mentorship",
    "jobs": "Jobs (a job or people to hire)",
    "knowledge": "Knowledge",
    "collaboration": "Collaboration",
    "business": "Business (clients, partners, investors)",
}

# What an attendee prefers to take part in.
ATTENDEE_FORMATS: tuple[str, ...] = ("one_to_one", "group", "any")
ATTENDEE_FORMAT_LABELS: dict[str, str] = {
    "one_to_one": "One-to-one meetings",
    "group": "Small groups",
    "any": "Either",
}

# What a time slot is for.
SLOT_FORMATS: tuple[str, ...] = ("one_to_one", "group")
SLOT_FORMAT_LABELS: dict[str, str] = {
    "one_to_one": "One-to-one",
    "group": "Small group",
}
