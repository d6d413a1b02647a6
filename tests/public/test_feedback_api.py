"""``POST /api/v1/public/posts/{id}/feedback`` exactly as API.md: no sign-in (and no CSRF token), 201 ``{reference}``,
422 in the API's error shape for an empty or overlong text, 429 with Retry-After when one address sends too many, 404
for a post that is not public; never the contact in any answer."""

import json

import pytest
from django.test import Client

from tests.public import feedback_fixtures
from tests.public.feedback_fixtures import CONTACT
from wenminghao.public.models import Feedback

pytestmark = pytest.mark.django_db
posts = feedback_fixtures.posts  # a fixture


def url(collective_or_pk) -> str:
    pk = getattr(collective_or_pk, "pk", collective_or_pk)
    return f"/api/v1/public/posts/{pk}/feedback"


def post(client, collective, body, ip="203.0.113.7"):
    return client.post(url(collective), json.dumps(body), content_type="application/json", REMOTE_ADDR=ip)


def test_an_anonymous_visitor_gets_201_and_a_reference_without_csrf(posts):
    client = Client(enforce_csrf_checks=True)
    response = post(client, posts["collective_a"], {"kind": "praise", "text": "服务很好", "contact": CONTACT,
                                                    "satisfaction": "satisfied"})
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"reference"}
    item = Feedback.objects.get()
    assert body["reference"] == item.reference
    assert (item.kind, item.text, item.contact, item.satisfaction) == ("praise", "服务很好", CONTACT, "satisfied")
    assert CONTACT not in response.content.decode()


def test_kind_text_and_contact_only_as_api_md_writes_it(client, posts):
    response = post(client, posts["collective_b"], {"kind": "complaint", "text": "窗口无人"})
    assert response.status_code == 201
    assert Feedback.objects.get().contact == ""


@pytest.mark.parametrize(("body", "codes"), [
    ({"kind": "suggestion", "text": ""}, ["feedback.text_required"]),
    ({"kind": "suggestion"}, ["feedback.text_required"]),
    ({"kind": "suggestion", "text": "字" * 501}, ["feedback.text_too_long"]),
    ({"kind": "threat", "text": "字" * 501, "contact": "x" * 65},
     ["feedback.kind", "feedback.text_too_long", "feedback.contact_too_long"]),
    ({"text": "好"}, ["feedback.kind_required"]),
])
def test_rule_violations_answer_422_in_the_error_shape(client, posts, body, codes):
    response = post(client, posts["collective_a"], body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [error["code"] for error in errors] == codes
    assert all(error["message"] and "field" in error for error in errors)
    assert not Feedback.objects.exists()


def test_too_many_from_one_address_answers_429(client, posts, settings):
    settings.WMH_FEEDBACK_PER_ADDRESS_10MIN = 1
    assert post(client, posts["collective_a"], {"kind": "praise", "text": "好"}).status_code == 201
    response = post(client, posts["collective_b"], {"kind": "praise", "text": "好"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert response.json()["errors"][0]["code"] == "feedback.throttled"
    assert "10分钟" in response.json()["errors"][0]["message"]


def test_a_post_that_is_not_public_answers_404(client, posts):
    for pk in (posts["collective_sub"].pk, 999999):
        response = post(client, pk, {"kind": "praise", "text": "好"})
        assert response.status_code == 404
        assert response.json()["errors"][0]["code"] == "not_found"
    assert not Feedback.objects.exists()


def test_the_operation_is_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/api/v1/public/posts/{post_id}/feedback"]["post"]
    assert {"201", "404", "422", "429"} <= set(operation["responses"])
