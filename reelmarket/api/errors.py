"""The one error shape of the API, and the exception handlers that produce it.

Every error response, whatever raised it, is::

    {"error": {"code": "validation_error", "message": "...", "fields": {"body.year": ["..."]}}}

``fields`` maps a dotted path (where the problem is: ``body.texts.0.language``,
``query.page``, ``path.title_id``, ``rights.2``) to its messages; it is ``{}`` when the
error is not about one field.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import pydantic
from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

from reelmarket.catalogue.avails.territories import UnknownTerritory
from reelmarket.catalogue.services import RightsConflict

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("reelmarket.api")

ErrorCode = Literal[
    "validation_error",
    "bad_request",
    "unauthorized",
    "permission_denied",
    "not_found",
    "method_not_allowed",
    "conflict",
    "rate_limited",
    "server_error",
]

_STATUS_CODES: dict[int, ErrorCode] = {
    400: "bad_request",
    401: "unauthorized",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    422: "validation_error",
    429: "rate_limited",
}


class ErrorBody(Schema):
    code: str = Field(
        description="validation_error, bad_request, unauthorized, permission_denied, not_found, "
        "method_not_allowed, conflict, rate_limited, server_error, or a domain code such as "
        "busy or location_full (meetings)."
    )
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    """The shape of every error response (documented in the OpenAPI schema)."""

    error: ErrorBody


class ApiError(Exception):
    """An error an endpoint raises when no domain exception says it already."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        fields: Mapping[str, Sequence[str]] | None = None,
        code: ErrorCode | None = None,
    ) -> None:
        self.status = status
        self.code: ErrorCode = code or _STATUS_CODES.get(status, "bad_request")
        self.message = message
        self.fields = {k: list(v) for k, v in (fields or {}).items()}
        super().__init__(message)


def invalid(field: str, message: str) -> ApiError:
    """A 422 about one field, e.g. ``invalid("query.territory", "Unknown territory")``."""
    return ApiError(422, "The request is not valid.", fields={field: [message]})


def error_payload(
    code: ErrorCode, message: str, fields: Mapping[str, Iterable[str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": message,
            "fields": {k: list(v) for k, v in (fields or {}).items()},
        }
    }


def error_response(
    api: NinjaAPI,
    request: HttpRequest,
    status: int,
    code: ErrorCode,
    message: str,
    fields: Mapping[str, Iterable[str]] | None = None,
) -> HttpResponse:
    return api.create_response(request, error_payload(code, message, fields), status=status)


# --- field paths -------------------------------------------------------------------------

_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def _message(msg: str) -> str:
    for prefix in _PYDANTIC_PREFIXES:
        if msg.startswith(prefix):
            return msg[len(prefix) :]
    return msg


def field_path(loc: Sequence[Any]) -> str:
    """``("body", "texts", 0, "language")`` -> ``"body.texts.0.language"``."""
    return ".".join(str(p) for p in loc) or "body"


def fields_from_errors(errors: Iterable[Mapping[str, Any]], prefix: Sequence[Any] = ()) -> dict:
    fields: dict[str, list[str]] = {}
    for err in errors:
        path = field_path([*prefix, *err.get("loc", ())])
        fields.setdefault(path, []).append(_message(str(err.get("msg", "Invalid value."))))
    return fields


# --- handlers ----------------------------------------------------------------------------

Handler = Callable[[HttpRequest, Any], HttpResponse]


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``; the most specific exception class wins."""

    def respond(
        request: HttpRequest,
        status: int,
        code: ErrorCode,
        message: str,
        fields: Mapping[str, Iterable[str]] | None = None,
    ) -> HttpResponse:
        return error_response(api, request, status, code, message, fields)

    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    def on_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        fields = fields_from_errors(exc.errors)
        return respond(request, 422, "validation_error", "The request is not valid.", fields)

    def on_pydantic(request: HttpRequest, exc: pydantic.ValidationError) -> HttpResponse:
        fields = fields_from_errors(exc.errors(include_url=False))
        return respond(request, 422, "validation_error", "The request is not valid.", fields)

    def on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        if hasattr(exc, "error_dict"):
            fields = {
                ("body" if name == "__all__" else f"body.{name}"): [str(m) for m in msgs]
                for name, msgs in exc.message_dict.items()
            }
            return respond(request, 422, "validation_error", "The request is not valid.", fields)
        return respond(request, 422, "validation_error", " ".join(exc.messages), {})

    def on_territory(request: HttpRequest, exc: UnknownTerritory) -> HttpResponse:
        return respond(request, 422, "validation_error", str(exc), {})

    def on_conflict(request: HttpRequest, exc: RightsConflict) -> HttpResponse:
        where = "rights" if exc.index is None else f"rights.{exc.index}"
        message = "The rights windows conflict: " + "; ".join(exc.messages)
        return respond(request, 409, "conflict", message, {where: exc.messages})

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return respond(request, 404, "not_found", "Not found.", {})

    def on_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        message = str(exc) or "You may not do this."
        return respond(request, 403, "permission_denied", message, {})

    def on_unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = exc.message
        if message == "Unauthorized":  # Ninja's default: say what to send
            message = "Authentication required: send 'Authorization: Bearer <API token>'."
        response = respond(request, 401, "unauthorized", message, {})
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        return respond(request, 429, "rate_limited", "Too many requests; slow down.", {})

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = _STATUS_CODES.get(exc.status_code, "bad_request")
        if exc.status_code >= 500:
            code = "server_error"
        return respond(request, exc.status_code, code, str(exc), {})

    def on_suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        if isinstance(exc, RequestDataTooBig):
            return respond(request, 413, "bad_request", "The request body is too large.", {})
        return respond(request, 400, "bad_request", "Bad request.", {})

    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.error("Unhandled API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, "server_error", "Internal server error.", {})

    handlers: list[tuple[type[Exception], Handler]] = [
        (ApiError, on_api_error),
        (NinjaValidationError, on_validation),
        (pydantic.ValidationError, on_pydantic),
        (DjangoValidationError, on_django_validation),
        (RightsConflict, on_conflict),
        (UnknownTerritory, on_territory),
        (Http404, on_not_found),
        (ObjectDoesNotExist, on_not_found),
        (PermissionDenied, on_permission),
        (AuthenticationError, on_unauthorized),
        (Throttled, on_throttled),
        (HttpError, on_http_error),
        (SuspiciousOperation, on_suspicious),
        (Exception, on_unexpected),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def responses(ok: Mapping[int, Any], *errors: int) -> dict[int, Any]:
    """``responses({200: TitleOut}, 404)`` -> the success schema plus the error shape."""
    return {**ok, **dict.fromkeys((*errors, 422), ErrorOut)}
