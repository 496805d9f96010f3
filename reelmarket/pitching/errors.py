"""The domain errors of the pitch forum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import PermissionDenied


class PitchError(ValueError):
    """A pitch-forum rule refused the action.

    ``code`` is stable (API, tests); ``message`` is translated text for people. A refusal
    with several reasons (eligibility, incomplete texts) lists them all in ``messages``;
    ``fields`` maps a form field name to its messages where a reason is about one field.
    """

    def __init__(
        self,
        code: str,
        message: str,
        *,
        messages: Sequence[str] = (),
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.code = code
        self.message = str(message)
        self.messages = [str(m) for m in messages] or [self.message]
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}
        super().__init__(self.message)


class PitchForbidden(PitchError, PermissionDenied):
    """The actor may not do this (wrong person, not an organiser).

    Both a ``PitchError`` (callers that catch the domain error see every refusal) and a
    ``PermissionDenied`` (Django answers 403, the API its ``permission_denied`` shape).
    """

    def __init__(self, message: str, *, code: str = "permission_denied") -> None:
        super().__init__(code, message)
