"""Errors a user caused, carrying the message to show them. Anything else is a bug."""


class UserError(Exception):
    """Bad input or a missing thing: shown to the user privately; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(UserError):
    pass


class NotFound(UserError):
    pass
