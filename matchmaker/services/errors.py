"""Errors that services raise, each with a message for people. They say what went wrong, in
the event's terms; the web layer decides what answer each kind gets (matchmaker/errors.py)."""


class ServiceError(Exception):
    """A use case could not be carried out; `message` says why, for people. A message marked
    for translation (`N_`) with %(name)s places is given with their `values`: pages show it in
    the reader's language (`template` translated, then filled)."""

    def __init__(self, message: str, **values):
        self.template, self.values = message, values
        self.message = message % values if values else message
        super().__init__(self.message)


class NotFound(ServiceError):
    """What was asked for does not exist, or is not the asker's (the two look the same)."""


class Forbidden(ServiceError):
    """The asker may not do this."""


class Conflict(ServiceError):
    """The request does not fit the present state (already published, a run under way)."""


class Gone(ServiceError):
    """A link or an offer that worked once no longer does (used, expired, closed)."""


class Unavailable(ServiceError):
    """Another system this needs (a ticket shop) did not answer as it should."""


class Invalid(ServiceError):
    """Input broke a rule; `errors` maps each field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        first = next(iter(errors.items()))
        super().__init__(f"{first[0]}: {first[1][0]}")

    @classmethod
    def field(cls, name: str, message: str) -> "Invalid":
        return cls({name: [message]})
