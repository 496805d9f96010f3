"""The one domain error of matchmaking."""

from __future__ import annotations


class MatchError(ValueError):
    """A matchmaking rule refused the action. ``code`` is stable (API, tests); the message
    is translated text for people."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = str(message)
        super().__init__(self.message)
