"""The JSON API under /api/v1/: one NinjaAPI object, its auth, its errors, its routers.

The routers live in the apps (``catalogue/api.py``, ``market/api.py``); this module only
puts them together. OpenAPI: /api/v1/openapi.json, interactive docs: /api/v1/docs.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Router
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.operation import Operation

from reelmarket.api import errors
from reelmarket.catalogue.api import router as catalogue_router
from reelmarket.discovery.api import router as discovery_router
from reelmarket.financing.api import router as financing_router
from reelmarket.financing.api_connect import router as connect_router
from reelmarket.market.api import router as market_router
from reelmarket.matchmaking.api import router as matchmaking_router
from reelmarket.meetings.api import router as meetings_router
from reelmarket.pitching.api import router as pitching_router
from reelmarket.pitching.api_after import router as pitching_after_router
from reelmarket.pitching.api_review import router as pitching_review_router

DESCRIPTION = """
The ReelMarket market and catalogue API.

* **Reads** are public; send `Authorization: Bearer <token>` to see what your account may
  see besides (your organisation's unpublished titles, screeners, who rights are sold to).
* **Writes** need a token (create one on /accounts/tokens/ or with
  `reelmarket create-api-token EMAIL --name NAME`).
* **Errors** all have one shape:
  `{"error": {"code": "...", "message": "...", "fields": {"body.year": ["..."]}}}`.

See docs/api.md for examples.
"""


class ReelMarketAPI(NinjaAPI):
    """NinjaAPI whose "method not allowed" answers also use the one error shape."""

    def get_openapi_operation_id(self, operation: Operation) -> str:
        return operation.view_func.__name__  # list_titles, create_title, ...

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext]
    ) -> ValidationError:
        """Error locations as the client wrote them: ``query.kind.0``, ``body.texts.0.name``
        (Ninja's default keeps the Python parameter names: ``query.filters.kind.0``)."""
        found: list[dict[str, Any]] = []
        for context in error_contexts:
            model = context.model
            source = model.__ninja_param_source__
            reverse = getattr(model, "__ninja_flatten_map_reverse__", {})
            single_body = source == "body" and len(model.model_fields) == 1
            for err in context.pydantic_validation_error.errors(include_url=False):
                loc = tuple(err["loc"])
                for i in range(len(loc), 0, -1):
                    if loc[:i] in reverse:
                        loc = tuple(reverse[loc[:i]]) + loc[i:]
                        break
                else:
                    if single_body:  # the one body parameter's name means nothing to clients
                        loc = loc[1:]
                found.append({"loc": (source, *loc), "msg": err["msg"], "type": err["type"]})
        return ValidationError(found)

    def _get_urls(self) -> list[Any]:
        patterns = super()._get_urls()
        for pattern in patterns:
            pattern.callback = self._json_405(pattern.callback)
        return patterns

    def _json_405(self, view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            if response.status_code == 405 and not response.get("Content-Type", "").startswith(
                "application/json"
            ):
                allowed = response.get("Allow", "")
                body = errors.error_payload(
                    "method_not_allowed", f"Method {request.method} not allowed; use {allowed}."
                )
                response = HttpResponse(
                    json.dumps(body), status=405, content_type="application/json"
                )
                response["Allow"] = allowed
            return response

        return wrapped


api = ReelMarketAPI(
    title="ReelMarket API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)
errors.install(api)
api.add_router("/", market_router)
api.add_router("/", catalogue_router)
api.add_router("/", discovery_router)
api.add_router("/", meetings_router)
api.add_router("/", financing_router)
api.add_router("/", connect_router)
api.add_router("/", pitching_router)
api.add_router("/", pitching_review_router)
api.add_router("/", pitching_after_router)
api.add_router("/", matchmaking_router)

# Last: any other path under /api/v1/ is a 404 in the one error shape, not Django's page.
_fallback = Router()


@_fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def not_found(request: HttpRequest, rest: str) -> None:
    raise errors.ApiError(404, f"No such endpoint: {request.path}")


api.add_router("/", _fallback)
