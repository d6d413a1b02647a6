"""API test helpers: a client that calls as a given account with a real bearer token."""

import json

import pytest

from wenminghao.accounts.services import issue_api_token


class ApiClient:
    """``api.get("/me", user=...)``: calls /api/v1 with that user's bearer token (or none)."""

    prefix = "/api/v1"

    def __init__(self, client):
        self.client = client
        self._tokens = {}

    def headers(self, user):
        if user is None:
            return {}
        if user.pk not in self._tokens:
            self._tokens[user.pk] = issue_api_token(user=user)
        return {"Authorization": f"Bearer {self._tokens[user.pk]}"}

    def get(self, path, user=None, **params):
        return self.client.get(self.prefix + path, data=params, headers=self.headers(user))

    def post(self, path, body=None, user=None):
        return self.client.post(
            self.prefix + path, data=json.dumps(body if body is not None else {}), content_type="application/json",
            headers=self.headers(user),
        )


@pytest.fixture
def api(client):
    return ApiClient(client)


def error_codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]
