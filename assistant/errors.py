"""Errors a user can act on. Each message is one sentence that says what to do."""

from __future__ import annotations


class AssistantError(Exception):
    """A problem with the user's input or setup, shown to them without a traceback.

    `public` is the message for the page, where visitors are not the operator: it names
    no paths or addresses of the server. It defaults to the message itself.
    """

    def __init__(self, message: str, *, public: str | None = None) -> None:
        super().__init__(message)
        self.public = public or message


class BadQuestion(AssistantError):
    pass


class EmptyCorpus(AssistantError):
    pass


class IndexMissing(AssistantError):
    pass


class IndexDamaged(AssistantError):
    pass


class ChromaUnreachable(AssistantError):
    pass


class ModelUnavailable(AssistantError):
    """The language model could not be asked, or gave nothing usable."""
