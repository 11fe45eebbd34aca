"""Domain errors carry a code and parameters, never text: handlers localise them."""

from __future__ import annotations


class DomainError(Exception):
    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


class Forbidden(DomainError):
    """The person's role does not allow the action."""


class NotFound(DomainError):
    pass


class InvalidInput(DomainError):
    pass
