"""The one error shape, malformed input, and the OpenAPI document."""

import pytest

from tests import factories

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
    assert response.json()["errors"] == [{
        "code": "request.not_object", "message": "请求内容应为 JSON 对象（以 { 开头，列出各字段），而不是数组。",
        "field": None,
    }]


def test_a_body_that_is_no_object_is_refused_even_where_every_field_is_optional(client):
    # found by the fuzzing (test_fuzz_schemathesis.py): ninja read a number as an object with every field omitted,
    # so an all-optional body (feedback, PATCH /works/{id}, POST /pairings/{id}/end) went on to the endpoint
    for body, kind in (("6.1e-105", "数字"), ('"praise"', "文本"), ("true", "true 或 false")):
        response = client.post("/api/v1/public/posts/1/feedback", data=body, content_type="application/json")
        assert response.status_code == 422, body
        assert error_codes(response) == ["request.not_object"]
        assert response.json()["errors"][0]["message"].endswith(f"而不是{kind}。")


def test_an_integer_beyond_64_bits_in_a_body_answers_422_naming_it(api, users):
    # found by the fuzzing: POST /campaigns/{id}/namings with the collective 2**63 was a 500 (SQLite's OverflowError)
    response = api.post("/campaigns/1/namings", {"collectives": [3, 2**63]}, user=users["city_admin"])
    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "code": "field.invalid", "message": "第2项命名的集体（collectives.2）应不大于9223372036854775807",
        "field": "collectives.2",
    }]
    response = api.post("/campaigns/1/namings", {"collectives": [-(2**63) - 1]}, user=users["city_admin"])
    assert response.status_code == 422
    assert error_codes(response) == ["field.invalid"]


def test_an_id_beyond_64_bits_in_the_path_finds_nothing(api, users):
    assert api.get(f"/collectives/{2**64}", user=users["city_admin"]).status_code == 404


@pytest.mark.parametrize("value", [str(2**63), str(-(2**63) - 1), "1" * 5000, " +00009223372036854775808"])
def test_an_integer_beyond_64_bits_in_the_query_answers_422_naming_it(api, users, value):
    # found by the fuzzing: GET /public/showcase?campaign=2**63 was a 500 (a foreign key's lookup hands the value to
    # SQLite, which raised OverflowError)
    for path, name in (("/public/showcase", "campaign"), ("/collectives", "unit")):
        response = api.get(path, user=users["city_admin"], **{name: value})
        assert response.status_code == 422, (path, response.content)
        [error] = response.json()["errors"]
        assert error["code"] == "field.invalid" and error["field"] == name
        assert "9223372036854775" in error["message"] and name in error["message"]


def _request_fields(document: dict) -> dict[str, str]:
    """Every name a request may carry (path, query, header, and the properties of bodies, nested), with one
    operation that takes it."""
    schemas = document["components"]["schemas"]
    fields: dict[str, str] = {}

    def walk(schema: dict, operation: str, seen: tuple = ()) -> None:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            if name not in seen:
                walk(schemas[name], operation, (*seen, name))
            return
        for part in (*schema.get("anyOf", ()), *schema.get("allOf", ()), *schema.get("oneOf", ())):
            walk(part, operation, seen)
        if "items" in schema:
            walk(schema["items"], operation, seen)
        for name, inner in schema.get("properties", {}).items():
            fields.setdefault(name, operation)
            walk(inner, operation, seen)

    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", ()):
                fields.setdefault(parameter["name"], label)
            for content in operation.get("requestBody", {}).get("content", {}).values():
                walk(content["schema"], label)
    return fields


def test_every_request_field_has_a_chinese_name_for_the_messages(client):
    # found by the fuzzing: "collectives（collectives）为必填项" and the like, a field named only in English
    from wenminghao.api.errors import FIELD_LABELS

    fields = _request_fields(client.get("/api/v1/openapi.json").json())
    assert {name: operation for name, operation in fields.items() if name not in FIELD_LABELS} == {}


def test_every_operation_with_input_declares_the_422_of_malformed_input(client):
    # found by the fuzzing: GET /collectives/abc answers 422 (the id is no integer), which the document did not list
    document = client.get("/api/v1/openapi.json").json()
    missing = [f"{method.upper()} {path}" for path, operations in document["paths"].items()
               for method, operation in operations.items()
               if (operation.get("parameters") or operation.get("requestBody")) and "422" not in operation["responses"]]
    assert missing == []
    operation = document["paths"]["/api/v1/collectives/{collective_id}"]["get"]
    assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorsOut"
    }


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


@pytest.mark.parametrize("value", ["0.0", "0", "1543593600", "2018-8-1", "2018-08-01T00:00:00", "明天"])
def test_a_date_in_the_query_is_written_yyyy_mm_dd(api, users, tree, value):
    # found by the fuzzing: ?date_to=0.0 was read as seconds since 1970 (1970-01-01) and answered 200
    collective = tree["collective_a"]
    response = api.get(f"/collectives/{collective.pk}/ledger", user=users["city_admin"], date_to=value)
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == [{"code": "field.invalid", "field": "date_to",
                                          "message": "截止日期（date_to）应为日期，格式为 YYYY-MM-DD，例如 1990-01-31"}]
    assert api.get(f"/collectives/{collective.pk}/ledger", user=users["city_admin"],
                   date_to="2018-08-20").status_code == 200


def test_a_date_in_a_body_is_not_a_number(api, users, tree):
    campaign = factories.campaign(office=tree["city"])
    response = api.post(f"/collectives/{tree['collective_a'].pk}/ledger",
                        {"campaign": campaign.pk, "activity": "open_week", "date": 1543593600, "topic": "开放日"},
                        user=users["leader_a"])
    assert response.status_code == 422
    [error] = [error for error in response.json()["errors"] if error["field"] == "date"]
    assert error["code"] == "field.invalid" and error["message"].startswith("日期（date）应为")


def test_a_field_the_api_does_not_know_is_named_as_sent(api, users):
    # found by the fuzzing: an unknown field "A" holding a NUL was named "A（A）"
    response = api.post("/applications", {"A": "x\x00y"}, user=users["leader_a"])
    assert response.status_code == 422
    assert response.json()["errors"] == [{"code": "field.invalid", "field": "A",
                                          "message": "字段“A”不能包含空字符（U+0000），请删除后重试"}]
