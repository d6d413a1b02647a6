"""The one error shape, malformed input, and the OpenAPI document."""

from .conftest import error_codes

NOT_FOUND = {"errors": [{"code": "not_found", "message": "未找到该内容，或您无权查看。", "field": None}]}


def test_not_found_has_errors_shape(api, users):
    response = api.get("/collectives/999999", user=users["city_admin"])
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_answers_are_utf8_json(api, users):
    response = api.get("/me", user=users["city_admin"])
    assert response["Content-Type"].startswith("application/json")
    assert "威海市团委".encode() in response.content


def test_invalid_json_answers_422(api, users):
    response = api.client.post(
        "/api/v1/collectives", data="{\"name\": ", content_type="application/json",
        headers=api.headers(users["city_admin"]),
    )
    assert response.status_code == 422
    assert error_codes(response) == ["request.invalid_json"]
    assert "不是有效的 JSON" in response.json()["errors"][0]["message"]


def test_json_array_body_answers_422(api, users):
    response = api.client.post(
        "/api/v1/applications", data="[1, 2]", content_type="application/json",
        headers=api.headers(users["city_admin"]),
    )
    assert response.status_code == 422
    assert error_codes(response) == ["field.required", "field.required"]


def test_wrong_types_answer_422_naming_each_field(api, users):
    response = api.post(
        "/collectives",
        {
            "name": "窗口", "host_org": "单位", "unit": "第一", "sector": "farming", "org_type": "social",
            "contact_name": "张三", "contact_phone": "138",
            "members": [{"name": "甲", "birth_date": "1990-01-01"}, {"name": "乙", "birth_date": "1990-02-30"}],
            "honours": [{"level": "city", "year": "去年", "title": "称号"}],
        },
        user=users["city_admin"],
    )
    assert response.status_code == 422
    errors = {error["field"]: error for error in response.json()["errors"]}
    assert set(errors) == {"unit", "sector", "members.2.birth_date", "honours.1.year"}
    assert errors["unit"]["message"] == "归口单位（unit）应为整数"
    assert "production（生产经营）" in errors["sector"]["message"]
    assert errors["members.2.birth_date"]["message"].startswith("第2位成员的出生日期（members.2.birth_date）应为日期")
    assert errors["honours.1.year"]["message"] == "第1项荣誉的年度（honours.1.year）应为整数"
    assert all(error["code"] == "field.invalid" for error in errors.values())


def test_empty_body_answers_422(api, users):
    response = api.client.post(
        "/api/v1/applications", data="", content_type="application/json", headers=api.headers(users["city_admin"])
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"code": "field.required", "message": "请求内容为空，请以 JSON 对象提交所需字段。", "field": None}
    ]


def test_empty_object_lists_every_missing_field(api, users):
    response = api.post("/applications", {}, user=users["city_admin"])
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"code": "field.required", "message": "集体（collective）为必填项，请提供", "field": "collective"},
        {"code": "field.required", "message": "创建活动（campaign）为必填项，请提供", "field": "campaign"},
    ]


def test_body_over_limit_answers_413(api, users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = api.client.post(
        "/api/v1/applications", data="{\"x\": \"" + "a" * 2048 + "\"}", content_type="application/json",
        headers=api.headers(users["city_admin"]),
    )
    assert response.status_code == 413
    assert error_codes(response) == ["request.too_large"]


def test_openapi_document_lists_the_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    for path in (
        "/api/v1/auth/token", "/api/v1/me", "/api/v1/units", "/api/v1/campaigns", "/api/v1/collectives",
        "/api/v1/collectives/{collective_id}", "/api/v1/applications",
    ):
        assert path in document["paths"], path
    assert set(document["paths"]["/api/v1/collectives"]) == {"get", "post"}
    assert "422" in document["paths"]["/api/v1/applications"]["post"]["responses"]
    schemas = document["components"]["schemas"]
    assert schemas["Sector"]["enum"] == ["production", "administration", "service", "research"]
    assert schemas["OrgType"]["enum"] == ["state_enterprise", "public_institution", "non_public", "social"]
    assert schemas["UnitKind"]["enum"] == ["national", "province", "city", "area", "industry"]
    assert schemas["Role"]["enum"] == ["city_admin", "unit_admin", "collective", "judge"]
    assert set(schemas["HonourLevel"]["enum"]) == {"district", "city", "province", "national"}


def test_docs_page_uses_local_assets(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert "cdn." not in page
    assert "<script>" not in page  # no inline script: the Content-Security-Policy allows none
