"""The API's one error shape, for every kind of bad request we can think of (never a 500),
plus auth failures, throttling and the OpenAPI document."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.test import Client, RequestFactory
from ninja.errors import HttpError

from reelmarket.accounts.services import api_token_create, api_token_revoke
from reelmarket.api.api import api as ninja_api
from reelmarket.catalogue.models import Title
from tests.api.conftest import BASE, assert_error

pytestmark = pytest.mark.django_db

MINIMAL = {
    "reference": "NEW-1",
    "kind": "feature",
    "original_title": "A",
    "original_language": "ja",
}


# --- OpenAPI ---------------------------------------------------------------------------------


def test_openapi_document_lists_every_endpoint(client: Client) -> None:
    response = client.get(f"{BASE}/openapi.json")

    assert response.status_code == 200
    doc = response.json()
    assert doc["info"]["title"] == "ReelMarket API"
    assert doc["info"]["version"] == "1"
    assert {path: sorted(ops) for path, ops in doc["paths"].items()} == {
        "/api/v1/edition": ["get"],
        "/api/v1/organisations": ["get"],
        "/api/v1/organisations/{slug}": ["get"],
        "/api/v1/pavilions": ["get"],
        "/api/v1/pavilions/{slug}": ["get"],
        "/api/v1/titles": ["get", "post"],
        "/api/v1/titles/{title_id}": ["delete", "get", "put"],
        "/api/v1/titles/{title_id}/availability": ["get"],
        "/api/v1/titles/by-reference/{reference}": ["put"],
        "/api/v1/titles/{title_id}/rights": ["post", "put"],
        "/api/v1/titles/{title_id}/save": ["delete", "post"],
        "/api/v1/me/saved-titles": ["get"],
        "/api/v1/search": ["get"],
        "/api/v1/titles/{title_id}/similar": ["get"],
        "/api/v1/meetings/requests": ["get", "post"],
        "/api/v1/meetings/requests/{request_id}": ["get"],
        "/api/v1/meetings/requests/{request_id}/accept": ["post"],
        "/api/v1/meetings/requests/{request_id}/decline": ["post"],
        "/api/v1/meetings/requests/{request_id}/cancel": ["post"],
        "/api/v1/meetings/requests/{request_id}/free-slots": ["get"],
        "/api/v1/meetings/requests/{request_id}/book": ["post"],
        "/api/v1/meetings/agenda": ["get"],
        "/api/v1/meetings/availability": ["get"],
        "/api/v1/meetings/availability/{day}": ["put"],
        "/api/v1/meetings/{meeting_id}/check-in": ["post"],
        "/api/v1/connect/projects": ["get", "post"],
        "/api/v1/connect/projects/mine": ["get"],
        "/api/v1/connect/projects/{project_id}": ["delete", "get", "patch"],
        "/api/v1/connect/projects/{project_id}/sources": ["get", "post"],
        "/api/v1/connect/projects/{project_id}/sources/{source_id}": ["delete", "put"],
        "/api/v1/connect/projects/{project_id}/partners": ["put"],
        "/api/v1/connect/projects/{project_id}/investors": ["get"],
        "/api/v1/connect/investor-profile": ["get", "put"],
        "/api/v1/connect/investor-profile/matches": ["get"],
        "/api/v1/connect/investors/{profile_id}": ["get"],
        "/api/v1/connect/sessions": ["get", "post"],
        "/api/v1/connect/sessions/{session_id}": ["get"],
        "/api/v1/connect/sessions/{session_id}/registrations": ["post"],
        "/api/v1/connect/sessions/{session_id}/my-rounds": ["get"],
        "/api/v1/connect/sessions/{session_id}/seats/{seat_id}/feedback": ["put"],
        "/api/v1/connect/sessions/{session_id}/build": ["post"],
        "/api/v1/connect/sessions/{session_id}/publish": ["post"],
        "/api/v1/connect/sessions/{session_id}/feedback": ["get"],
        "/api/v1/pitch/calls": ["get"],
        "/api/v1/pitch/calls/{call_id}": ["get"],
        "/api/v1/pitch/calls/{call_id}/submissions": ["get"],
        "/api/v1/pitch/submissions": ["get", "post"],
        "/api/v1/pitch/submissions/{submission_id}": ["delete", "get", "patch"],
        "/api/v1/pitch/submissions/{submission_id}/submit": ["post"],
        "/api/v1/pitch/submissions/{submission_id}/withdraw": ["post"],
        "/api/v1/pitch/submissions/{submission_id}/transition": ["post"],
        "/api/v1/pitch/review/assignments": ["get"],
        "/api/v1/pitch/review/assignments/{assignment_id}": ["get", "put"],
        "/api/v1/pitch/review/assignments/{assignment_id}/reopen": ["post"],
        "/api/v1/pitch/review/calls/{call_id}/assign": ["post"],
        "/api/v1/pitch/review/calls/{call_id}/ranking": ["get"],
        "/api/v1/pitch/calls/{call_id}/programme": ["get"],
        "/api/v1/pitch/calls/{call_id}/awards": ["get"],
        "/api/v1/pitch/calls/{call_id}/projects": ["get"],
        "/api/v1/pitch/calls/{call_id}/projects/{submission_id}": ["get"],
        "/api/v1/pitch/calls/{call_id}/projects/{submission_id}/wish": ["delete", "put"],
        "/api/v1/pitch/calls/{call_id}/one-on-ones": ["post"],
        "/api/v1/matchmaking/suggestions": ["get"],
        "/api/v1/matchmaking/feedback": ["post"],
        "/api/v1/matchmaking/suggestions/{suggestion_id}/meeting-request": ["post"],
        "/api/v1/matchmaking/recompute": ["post"],
        "/api/v1/matchmaking/runs/{run_id}": ["get"],
        "/api/v1/matchmaking/interests": ["get", "post"],
        "/api/v1/matchmaking/interests/{interest_id}": ["delete"],
    }
    create = doc["paths"]["/api/v1/titles"]["post"]
    assert create["operationId"] == "create_title"
    assert create["security"] == [{"ApiTokenAuth": []}, {"SessionAuth": []}]
    assert create["responses"]["409"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorOut"
    }
    assert "security" not in doc["paths"]["/api/v1/titles"]["get"]
    assert doc["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }


def test_docs_page_loads(client: Client) -> None:
    assert client.get(f"{BASE}/docs").status_code == 200


# --- bad input -------------------------------------------------------------------------------


def test_malformed_json_is_400(api, users) -> None:
    response = api.post("/titles", '{"reference": "x",', as_=users["owner_exhibitor"])

    assert_error(response, 400, "bad_request", {})
    assert Title.objects.count() == 0


def test_json_that_is_not_an_object_is_422(api, users) -> None:
    response = api.post("/titles", [1, 2], as_=users["owner_exhibitor"])

    assert_error(
        response,
        422,
        "validation_error",
        {"body": ["Input should be a valid dictionary or instance of TitleWriteIn"]},
    )


def test_empty_body_is_422_naming_the_missing_body(api, users) -> None:
    response = api.post("/titles", "", as_=users["owner_exhibitor"])

    assert_error(response, 422, "validation_error", {"body": ["Field required"]})


def test_wrong_types_and_bad_values_name_their_fields(api, users) -> None:
    body = {
        **MINIMAL,
        "year": "nineteen",
        "kind": "telenovela",
        "texts": [{"language": "en", "name": "A"}, {"language": "!!", "name": "B"}],
        "unknown_field": 1,
    }

    response = api.post("/titles", body, as_=users["owner_exhibitor"])

    error = assert_error(response, 422, "validation_error")
    assert error["fields"] == {
        "body.kind": [
            "“telenovela” is not one of: feature, series, animation_feature, animation_series, "
            "documentary, short, format_unscripted, format_scripted, book, comic, game"
        ],
        "body.year": ["Input should be a valid integer, unable to parse string as an integer"],
        "body.texts.1.language": [
            "“!!” is not a language tag (use BCP 47 like en, zh-Hant, ja, pt-BR)."
        ],
        "body.unknown_field": ["Extra inputs are not permitted"],
    }
    assert Title.objects.count() == 0


def test_rule_across_fields_is_reported_on_the_body(api, users) -> None:
    response = api.post("/titles", {**MINIMAL, "financing_secured": "5"}, as_=users["organiser"])

    assert_error(
        response, 422, "validation_error", {"body": ["financing_secured needs budget_amount"]}
    )


def test_unknown_enum_value_in_query(api) -> None:
    response = api.get("/titles", kind=["feature", "telenovela"])

    error = assert_error(response, 422, "validation_error")
    assert list(error["fields"]) == ["query.kind.1"]


def test_unknown_territory_in_query(api) -> None:
    response = api.get(
        "/titles", media="svod", territory="ATLANTIS", start="2025-01-01", end="2025-12-31"
    )

    assert_error(
        response,
        422,
        "validation_error",
        {"query.territory": ["Unknown territory code: 'ATLANTIS'"]},
    )


def test_unknown_media_in_query(api) -> None:
    response = api.get(
        "/titles", media="cinema", territory="HK", start="2025-01-01", end="2025-12-31"
    )

    error = assert_error(response, 422, "validation_error")
    assert list(error["fields"]) == ["query.media"]


def test_reversed_dates_in_query(api) -> None:
    response = api.get(
        "/titles", media="svod", territory="HK", start="2026-01-01", end="2025-01-01"
    )

    assert_error(response, 422, "validation_error", {"query.end": ["end is before start."]})


def test_bad_date_in_query(api) -> None:
    response = api.get(
        "/titles", media="svod", territory="HK", start="2025-02-30", end="2025-03-01"
    )

    error = assert_error(response, 422, "validation_error")
    assert list(error["fields"]) == ["query.start"]


def test_huge_page_number_is_an_empty_page(api, title) -> None:
    response = api.get("/titles", page=10**30)

    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "page": 10**30,
        "page_size": 20,
        "pages": 1,
        "items": [],
    }


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"page_size": -1}, "query.page_size", "Input should be greater than or equal to 1"),
        ({"page_size": 0}, "query.page_size", "Input should be greater than or equal to 1"),
        ({"page_size": 101}, "query.page_size", "Input should be less than or equal to 100"),
        ({"page": 0}, "query.page", "Input should be greater than or equal to 1"),
        (
            {"page": "two"},
            "query.page",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
    ],
)
def test_bad_paging(api, params, field, message) -> None:
    assert_error(api.get("/titles", **params), 422, "validation_error", {field: [message]})


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/titles/abc", "Input should be a valid integer, unable to parse string as an integer"),
        ("/titles/1.5", "Input should be a valid integer, unable to parse string as an integer"),
        ("/titles/0", "Input should be greater than or equal to 1"),
        ("/titles/-3", "Input should be greater than or equal to 1"),
        ("/titles/" + "9" * 30, "Input should be less than or equal to 9223372036854775807"),
        (
            "/titles/abc/availability",
            "Input should be a valid integer, unable to parse string as an integer",
        ),
    ],
)
def test_non_integer_ids_in_the_path(api, path, message) -> None:
    assert_error(api.get(path), 422, "validation_error", {"path.title_id": [message]})


def test_non_integer_id_on_a_write(api, users) -> None:
    response = api.put("/titles/abc/rights", [], as_=users["organiser"])

    assert_error(
        response,
        422,
        "validation_error",
        {
            "path.title_id": [
                "Input should be a valid integer, unable to parse string as an integer"
            ]
        },
    )


def test_unknown_title_id_is_404(api) -> None:
    assert_error(api.get("/titles/999999"), 404, "not_found", {})


def test_unknown_path_under_the_api_is_404_in_the_shape(api) -> None:
    assert_error(api.get("/no-such-thing"), 404, "not_found", {})
    assert_error(api.post("/titles/1/rights/extra", {}), 404, "not_found", {})


def test_method_not_allowed_is_405_in_the_shape(api) -> None:
    response = api.client.patch(f"{BASE}/titles", "{}", content_type="application/json")

    error = assert_error(response, 405, "method_not_allowed", {})
    assert sorted(response["Allow"].split(", ")) == ["GET", "POST"]
    assert error["message"] == f"Method PATCH not allowed; use {response['Allow']}."


def test_too_large_body_is_413(api, users, settings) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {**MINIMAL, "texts": [{"language": "en", "name": "A", "synopsis": "x" * 2000}]}

    assert_error(api.post("/titles", body, as_=users["owner_exhibitor"]), 413, "bad_request", {})


# --- auth ------------------------------------------------------------------------------------


def test_write_without_credentials_is_401(api) -> None:
    response = api.post("/titles", MINIMAL)

    assert_error(response, 401, "unauthorized", {})
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_unknown_token_is_401_even_on_reads(api, title) -> None:
    headers = {"Authorization": "Bearer rm_not-a-real-token"}

    response = api.client.get(f"{BASE}/titles", headers=headers)

    error = assert_error(response, 401, "unauthorized", {})
    assert error["message"] == "Invalid or revoked API token."
    assert_error(api.client.get(f"{BASE}/edition", headers=headers), 401, "unauthorized", {})


def test_revoked_token_is_401(api, users) -> None:
    token, key = api_token_create(user=users["organiser"], name="old")
    api_token_revoke(token=token)

    response = api.client.post(
        f"{BASE}/titles",
        {**MINIMAL, "organisation": "tokyo-sales"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )

    assert_error(response, 401, "unauthorized", {})
    assert Title.objects.count() == 0


def test_inactive_users_token_is_401(api, users) -> None:
    user = users["owner_exhibitor"]
    headers = api.headers(user)
    user.is_active = False
    user.save()

    assert_error(api.client.get(f"{BASE}/titles", headers=headers), 401, "unauthorized", {})


def test_session_write_needs_the_csrf_token(users, owner_org) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["owner_exhibitor"])

    response = browser.post(f"{BASE}/titles", MINIMAL, content_type="application/json")

    assert_error(response, 403, "permission_denied", {})
    assert Title.objects.count() == 0


def test_session_write_with_the_csrf_token_works(users, owner_org, settings) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["owner_exhibitor"])
    secret = "a" * 32  # the CSRF cookie's secret; the header must carry the same
    browser.cookies[settings.CSRF_COOKIE_NAME] = secret

    response = browser.post(
        f"{BASE}/titles", MINIMAL, content_type="application/json", headers={"X-CSRFToken": secret}
    )

    assert response.status_code == 201, response.content
    assert list(Title.objects.values_list("owner__slug", "reference")) == [("tokyo-sales", "NEW-1")]


def test_writes_are_throttled_per_user(api, users, owner_org, settings) -> None:
    settings.API_WRITE_RATE = "2/min"
    user = users["owner_exhibitor"]
    for n in (1, 2):
        assert api.post("/titles", {**MINIMAL, "reference": f"R{n}"}, as_=user).status_code == 201

    response = api.post("/titles", {**MINIMAL, "reference": "R3"}, as_=user)

    assert_error(response, 429, "rate_limited", {})
    assert "Retry-After" in response
    assert sorted(Title.objects.values_list("reference", flat=True)) == ["R1", "R2"]
    # Another user has their own allowance; reads are not throttled.
    assert (
        api.post(
            "/titles", {**MINIMAL, "organisation": "tokyo-sales"}, as_=users["organiser"]
        ).status_code
        == 201
    )
    assert api.get("/titles", as_=user).status_code == 200


def test_empty_write_rate_means_no_limit(api, users, owner_org, settings) -> None:
    settings.API_WRITE_RATE = ""
    user = users["owner_exhibitor"]

    statuses = [
        api.post("/titles", {**MINIMAL, "reference": f"R{n}"}, as_=user).status_code
        for n in range(4)
    ]

    assert statuses == [201, 201, 201, 201]


# --- handlers for errors raised deeper down --------------------------------------------------


def _raise(exc: Exception):
    request = RequestFactory().get(f"{BASE}/titles")
    return ninja_api.on_exception(request, exc)


def test_unexpected_exception_is_logged_and_500_in_the_shape(caplog) -> None:
    with caplog.at_level(logging.ERROR, logger="reelmarket.api"):
        response = _raise(RuntimeError("boom"))

    error = assert_error(response, 500, "server_error", {})
    assert error["message"] == "Internal server error."
    assert "boom" not in response.content.decode()
    assert caplog.records[-1].message == "Unhandled API error on GET /api/v1/titles"
    assert caplog.records[-1].exc_info[1].args == ("boom",)


def test_django_validation_error_is_422() -> None:
    response = _raise(DjangoValidationError({"year": ["Too early."], "__all__": ["Odd."]}))

    assert_error(response, 422, "validation_error", {"body.year": ["Too early."], "body": ["Odd."]})
    assert_error(_raise(DjangoValidationError("Nope.")), 422, "validation_error", {})


def test_object_does_not_exist_is_404() -> None:
    assert_error(_raise(Title.DoesNotExist()), 404, "not_found", {})


def test_http_errors_keep_their_status() -> None:
    assert_error(_raise(HttpError(409, "Busy")), 409, "conflict", {})
    assert_error(_raise(HttpError(418, "Teapot")), 418, "bad_request", {})
