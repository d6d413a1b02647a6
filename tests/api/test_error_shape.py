"""Unknown addresses and wrong methods under /api/v1/ answer in the API's error shape too."""

import pytest

pytestmark = pytest.mark.django_db


def test_unknown_api_address_answers_404_in_the_error_shape(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json() == {
        "errors": [{"code": "not_found", "message": "未找到该内容，或您无权查看。", "field": None}]
    }


def test_wrong_method_answers_405_in_the_error_shape(client):
    response = client.delete("/api/v1/auth/token")
    assert response.status_code == 405
    error = response.json()["errors"][0]
    assert error["code"] == "method_not_allowed"
    assert "DELETE" in error["message"]
    assert "POST" in response["Allow"]


def test_pages_outside_the_api_keep_their_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")
