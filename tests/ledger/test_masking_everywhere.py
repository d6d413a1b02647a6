"""The family's registry number in full appears on exactly one page and one endpoint — the pairing's own — and
nowhere else: not in any other ledger page or API answer, not in the exported files (searched inside the zips of
.docx and .xlsx too), not in a notification, not in the audit log. The world holds a pairing with visits, a 回头看,
comments and a photo, recorded by every path a number could travel."""

import io
import json
import re
import zipfile

import pytest
from django.urls import URLPattern, reverse

from tests.ledger.conftest import FAMILY_REF
from tests.works.media_fixtures import jpeg, media_storage, upload  # noqa: F401
from wenminghao.accounts.services import issue_api_token
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.ledger import services
from wenminghao.ledger import urls as ledger_urls

pytestmark = pytest.mark.django_db
MASKED = "*" * (len(FAMILY_REF) - 4) + FAMILY_REF[-4:]
FULL_ONLY = {"ledger:pairing", "/api/v1/pairings/{pairing_id}"}


@pytest.fixture
def world(tree, users, campaign, make_entry, make_pairing, media_storage,  # noqa: F811
          django_capture_on_commit_callbacks):
    collective = tree["collective_a"]
    pairing = make_pairing(collective)
    with django_capture_on_commit_callbacks(execute=True):
        visit = make_entry("families", collective, pairing=pairing.pk, title="第一次走访结对家庭")
        services.add_attachment(actor=users["leader_a"], entry=visit, upload=upload("走访.jpg", jpeg(800, 600)))
    make_entry("families", collective, pairing=pairing.pk, follow_up=True, title="回头看走访")
    services.add_pairing_review(actor=users["leader_a"], pairing=pairing,
                                data={"date": visit.date.isoformat(), "outcome": "improving",
                                      "income_trend": "rising", "note": "家庭收入稳定增加。"})
    comment = services.add_comment(actor=users["unit_admin_a"], entry=visit, text="请补充走访照片说明。")
    services.create_pairing(actor=users["leader_a"], collective=collective,
                            data={"family_ref": "3710020000009999", "area": "宋村镇", "youth_count": 1,
                                  "help_kinds": ["income"], "started": "2018-05-01", "consent": True})
    return {"collective_id": collective.pk, "entry_id": visit.pk, "file_id": visit.attachments.get().pk,
            "comment_id": comment.pk, "pairing_id": pairing.pk, "activity": "families", "unit_id": tree["area_a"].pk,
            "campaign": campaign.pk}


def texts_of(content: bytes) -> list[bytes]:
    """The bytes of an answer, and of every member when it is a zip (.docx, .xlsx)."""
    parts = [content]
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts += [archive.read(name) for name in archive.namelist()]
    return parts


def assert_masked(content: bytes, label: str) -> None:
    for part in texts_of(content):
        assert FAMILY_REF.encode() not in part, f"{label} shows the full registry number"


def page_urls(world) -> list[tuple[str, str]]:
    urls = []
    for pattern in ledger_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        names = list(pattern.pattern.converters)
        if "fmt" in names:
            urls += [(f"ledger:{pattern.name}", reverse(f"ledger:{pattern.name}",
                                                        kwargs={**{n: world[n] for n in names if n != "fmt"},
                                                                "fmt": fmt}) + f"?campaign={world['campaign']}")
                     for fmt in ("docx", "pdf")]
            continue
        url = reverse(f"ledger:{pattern.name}", kwargs={name: world[name] for name in names})
        urls.append((f"ledger:{pattern.name}", url))
    urls.append(("ledger:attachment?thumb", reverse("ledger:attachment", kwargs={
        "entry_id": world["entry_id"], "file_id": world["file_id"]}) + "?thumb=1"))
    urls.append(("ledger:export_unit?unit", reverse("ledger:export_unit") + f"?unit={world['unit_id']}"))
    for name, kwargs in (("collectives:detail", {"pk": world["collective_id"]}), ("workbench:home", {}),
                         ("core:notifications", {}), ("core:audit", {})):
        urls.append((name, reverse(name, kwargs=kwargs)))
    return urls


@pytest.mark.parametrize("role", ["city_admin", "unit_admin_a", "leader_a"])
def test_no_page_but_the_pairings_own_shows_the_full_number(role, world, users, client):
    client.force_login(users[role], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    seen = 0
    for name, url in page_urls(world):
        response = client.get(url)
        if response.status_code in (302, 404, 405):  # a POST-only address, a page this role does not have (or is
            continue  # sent on from: 查阅台账 takes a collective account to its own ledger)
        assert response.status_code == 200, f"{name} {url}: {response.status_code}"
        content = b"".join(response.streaming_content) if response.streaming else response.content
        if name in FULL_ONLY:
            assert FAMILY_REF.encode() in content
        else:
            assert_masked(content, f"{name} as {role}")
        seen += 1
    assert seen >= 12


def api_paths(client, headers) -> list[str]:
    document = client.get("/api/v1/openapi.json").json()
    return [path for path, operations in document["paths"].items() if "get" in operations
            and re.search(r"ledger|pairings|indicators", path)]


@pytest.mark.parametrize("role", ["city_admin", "unit_admin_a", "leader_a"])
def test_no_api_answer_but_the_pairings_own_carries_the_full_number(role, world, users, client):
    headers = {"Authorization": f"Bearer {issue_api_token(user=users[role])}"}
    paths = api_paths(client, headers)
    assert "/api/v1/pairings/{pairing_id}" in paths
    for path in paths:
        url = re.sub(r"\{(\w+)\}", lambda match: str(world[match.group(1)]), path)
        url += f"?campaign={world['campaign']}"
        response = client.get(url, headers=headers)
        if response.status_code == 403 and "units" in path and role == "leader_a":
            continue  # a collective account sees its unit but not the unit's indicators
        assert response.status_code == 200, f"{url}: {response.status_code} {response.content[:200]!r}"
        if path in FULL_ONLY:
            assert response.json()["family_ref"] == FAMILY_REF
        else:
            assert FAMILY_REF not in response.content.decode(), f"{url} as {role}"
            if "pairings" in path:
                assert MASKED in response.content.decode()


def test_notifications_and_the_audit_log_hold_the_number_masked_only(world, users, client):
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    client.get(reverse("ledger:pairing", kwargs={"pairing_id": world["pairing_id"]}))  # an audited full view
    assert Notification.objects.exists()
    for message in Notification.objects.values_list("message", "link"):
        assert FAMILY_REF not in json.dumps(message, ensure_ascii=False)
    entries = list(AuditEntry.objects.values("object_repr", "before", "after"))
    assert any(entry["object_repr"] == f"结对家庭 {MASKED}" for entry in entries)
    assert FAMILY_REF not in json.dumps(entries, ensure_ascii=False)
    assert AuditEntry.objects.filter(action="pairing.view", actor=users["leader_a"]).count() == 1
