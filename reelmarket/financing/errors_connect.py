"""The one domain error of the Producers Connect sessions."""

from __future__ import annotations


class ConnectError(ValueError):
    """A session rule refused the action. ``code`` is stable (API, tests), ``message`` is
    translated text for people, ``field`` names the input at fault (forms, API) or is ""."""

    def __init__(self, code: str, message: str, *, field: str = "") -> None:
        self.code = code
        self.message = str(message)
        self.field = field
        super().__init__(self.message)


# Codes that mean "this input can never work" (API 422); the others conflict with the
# current state of things (API 409).
UNPROCESSABLE = frozenset(
    {
        "bad_rounds",
        "bad_tables",
        "bad_round_minutes",
        "bad_break_minutes",
        "bad_start",
        "bad_name",
        "bad_table_labels",
        "bad_side",
        "bad_project",
        "no_investor_profile",
        "not_registered_for_edition",
        "bad_counterpart",
        "bad_verdict",
        "bad_note",
        "not_your_seat",
        "bad_state",
    }
)
