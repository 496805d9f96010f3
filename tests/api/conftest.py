"""An API client that calls /api/v1/ as one of the ``users`` (with a real API token)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from reelmarket.accounts.services import api_token_create

BASE = "/api/v1"


class Api:
    """``api.get("/titles", as_=user, q="x")``, ``api.post("/titles", body, as_=user)``."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._keys: dict[int, str] = {}

    def headers(self, user: Any) -> dict[str, str]:
        if user is None:
            return {}
        if user.pk not in self._keys:
            self._keys[user.pk] = api_token_create(user=user, name="tests")[1]
        return {"Authorization": f"Bearer {self._keys[user.pk]}"}

    def get(self, path: str, *, as_: Any = None, **params: Any) -> Any:
        return self.client.get(BASE + path, params, headers=self.headers(as_))

    def _send(self, method: str, path: str, body: Any, as_: Any) -> Any:
        data = body if isinstance(body, (str, bytes)) else json.dumps(body, default=str)
        return getattr(self.client, method)(
            BASE + path, data, content_type="application/json", headers=self.headers(as_)
        )

    def post(self, path: str, body: Any, *, as_: Any = None) -> Any:
        return self._send("post", path, body, as_)

    def put(self, path: str, body: Any, *, as_: Any = None) -> Any:
        return self._send("put", path, body, as_)

    def delete(self, path: str, *, as_: Any = None) -> Any:
        return self.client.delete(BASE + path, headers=self.headers(as_))


@pytest.fixture
def api(client: Client) -> Api:
    return Api(client)


def assert_error(response: Any, status: int, code: str, fields: dict | None = None) -> dict:
    """The one error shape, exactly: {"error": {"code", "message", "fields"}}."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    if fields is not None:
        assert body["error"]["fields"] == fields
    return body["error"]
