"""Errors that services raise, each with a message for people."""


class ServiceError(Exception):
    """A use case could not be carried out; `message` says why, for people."""

    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(ServiceError):
    status = 404


class Forbidden(ServiceError):
    status = 403


class Conflict(ServiceError):
    status = 409


class Invalid(ServiceError):
    """Input broke a rule; `errors` maps each field name to its messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        first = next(iter(errors.items()))
        super().__init__(f"{first[0]}: {first[1][0]}")

    @classmethod
    def field(cls, name: str, message: str) -> "Invalid":
        return cls({name: [message]})
