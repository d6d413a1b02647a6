"""The ledger's pages of a collective: its ledger, the form of each activity, the entry's page with its files and
comments, and the panel on the collective's page. Who sees what (404 for everyone outside), what a POST changes
(through the services, audited), what a refusal shows (every message at once, nothing changed), and the number of
queries of the ledger's page whatever its size."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests import factories
from tests.ledger.conftest import FAMILY_REF, entry_data
from tests.works.media_fixtures import media_storage  # noqa: F401
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.ledger.models import EntryAttachment, EntryComment, LedgerEntry
from wenminghao.ledger.selectors import study_summary

pytestmark = pytest.mark.django_db
OUTSIDERS = ["unit_admin_b", "leader_b", "judge"]
INSIDERS = ["leader_a", "unit_admin_a", "city_admin"]


def photo_bytes(width: int = 640, height: int = 480) -> bytes:
    """A real JPEG, made here with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 40, 40)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def page_text(response) -> str:
    return response.content.decode()


@pytest.fixture
def pairing(tree, make_pairing):
    return make_pairing(tree["collective_a"])


@pytest.fixture
def study(make_entry, tree):
    return make_entry("study", tree["collective_a"], title="学习党的十九大精神微团课")


def _form_data(activity: str, collective, **overrides) -> dict:
    """What the page's form posts for an entry (lists as repeated fields, as a browser sends them)."""
    data = entry_data(activity, collective, **overrides)
    data.pop("activity")
    if data.get("follow_up") is False:
        data.pop("follow_up")
    return {key: value for key, value in data.items() if value is not None}


# --- who sees the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", INSIDERS)
def test_the_ledger_its_entries_and_forms_render_for_the_collective_and_the_units_above(role, tree, users, signed_in,
                                                                                         study, pairing):
    client = signed_in(users[role])
    collective = tree["collective_a"]
    ledger = client.get(reverse("ledger:collective", args=[collective.pk]))
    assert ledger.status_code == 200
    assert study.title in page_text(ledger)
    entry_page = client.get(reverse("ledger:entry", args=[study.pk]))
    assert entry_page.status_code == 200 and study.title in page_text(entry_page)
    for activity in ("benchmark", "study", "families", "open_week"):
        form = client.get(reverse("ledger:entry_create", args=[collective.pk, activity]))
        assert form.status_code == 200, activity
    assert client.get(reverse("ledger:entry_edit", args=[study.pk])).status_code == 200


@pytest.mark.parametrize("role", OUTSIDERS)
def test_every_page_of_collective_as_ledger_is_404_for_everyone_outside(role, tree, users, signed_in, study,
                                                                         media_storage,  # noqa: F811
                                                                         django_capture_on_commit_callbacks):
    collective = tree["collective_a"]
    with django_capture_on_commit_callbacks(execute=True):
        attachment = _upload(signed_in(users["leader_a"]), study, "学习现场.jpg", photo_bytes())
    comment = _comment(signed_in(users["unit_admin_a"]), study, "请补充参学照片。")
    client = signed_in(users[role])
    gets = [
        reverse("ledger:collective", args=[collective.pk]),
        reverse("ledger:entry_create", args=[collective.pk, "study"]),
        reverse("ledger:entry", args=[study.pk]),
        reverse("ledger:entry_edit", args=[study.pk]),
        reverse("ledger:attachment", args=[study.pk, attachment.pk]),
        reverse("ledger:attachment", args=[study.pk, attachment.pk]) + "?thumb=1",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("ledger:entry_create", args=[collective.pk, "study"]),
        reverse("ledger:entry_edit", args=[study.pk]),
        reverse("ledger:entry_delete", args=[study.pk]),
        reverse("ledger:attachment_upload", args=[study.pk]),
        reverse("ledger:attachment_remove", args=[study.pk, attachment.pk]),
        reverse("ledger:comment_create", args=[study.pk]),
        reverse("ledger:comment_resolve", args=[comment.pk]),
    ]
    for url in posts:
        assert client.post(url, {"text": "看看", "title": "改掉"}).status_code == 404, url
    assert LedgerEntry.objects.filter(pk=study.pk, title=study.title).exists()
    assert EntryAttachment.objects.filter(pk=attachment.pk).exists()
    assert EntryComment.objects.get(pk=comment.pk).resolved_at is None


def test_anonymous_visitors_are_sent_to_sign_in(client, tree, study):
    for url in (reverse("ledger:collective", args=[tree["collective_a"].pk]), reverse("ledger:entry", args=[study.pk])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_unknown_activity_is_404(tree, users, signed_in, campaign):
    client = signed_in(users["leader_a"])
    assert client.get(reverse("ledger:entry_create", args=[tree["collective_a"].pk, "sports"])).status_code == 404


# --- the ledger's page ---------------------------------------------------------------------------------------


def test_the_ledger_shows_each_activitys_key_facts_counts_and_the_study_summary(tree, users, signed_in, pairing,
                                                                                make_entry):
    collective = tree["collective_a"]
    members = list(collective.members.order_by("-is_leader", "id"))
    make_entry("study", collective, led_by=members[0].pk, attendees=[m.pk for m in members[:4]], topic="学习新思想")
    make_entry("study", collective, led_by=members[2].pk, attendees=[m.pk for m in members[:2]], topic="学党史")
    make_entry("families", collective, title="入户走访", follow_up=True)
    make_entry("benchmark", collective, title="对标济南市民服务中心")
    make_entry("open_week", collective, title="开放日")
    text = page_text(signed_in(users["leader_a"]).get(reverse("ledger:collective", args=[collective.pk])))
    assert "4人参学" in text and "2人参学" in text and "领学人：成员1（号长）" in text
    assert "**************0042" in text and FAMILY_REF not in text and "亲情陪伴、助学扶智" in text
    assert "对标：省级青年文明号·济南市民服务中心" in text and "社会效益30分钟" in text
    assert "示范承诺、监督电话、成员身份" in text and "参观36人" in text
    # 2 sessions, 2 members led one, the leader once; 4 of 8 members attended: 50%
    assert 'data-testid="study-sessions">2<' in text and 'data-testid="study-leaders">2<' in text
    assert 'data-testid="study-led-by-leader">1<' in text and "<strong>50%</strong>（4/8人至少参学一次）" in text
    assert "wmh-w-50" in text  # the coverage bar's width (a class: the CSP allows no style attribute)
    for activity in ("benchmark", "study", "families", "open_week"):
        assert reverse("ledger:entry_create", args=[collective.pk, activity]) in text
    assert reverse("ledger:pairings", args=[collective.pk]) in text
    assert reverse("ledger:export_collective", args=[collective.pk, "docx"]) in text
    assert reverse("ledger:export_collective", args=[collective.pk, "pdf"]) in text


def test_the_ledger_filters_by_activity_and_date(tree, users, signed_in, make_entry):
    collective = tree["collective_a"]
    today = timezone.localdate()
    make_entry("study", collective, title="早些时候的学习", date=(today - datetime.timedelta(days=40)).isoformat())
    make_entry("study", collective, title="最近的学习", date=(today - datetime.timedelta(days=2)).isoformat())
    make_entry("open_week", collective, title="最近的开放周")
    client = signed_in(users["leader_a"])
    url = reverse("ledger:collective", args=[collective.pk])
    text = page_text(client.get(url, {"activity": "study"}))
    assert "早些时候的学习" in text and "最近的学习" in text and "最近的开放周" not in text
    recent = (today - datetime.timedelta(days=10)).isoformat()
    text = page_text(client.get(url, {"date_from": recent}))
    assert "早些时候的学习" not in text and "最近的学习" in text and "最近的开放周" in text
    text = page_text(client.get(url, {"date_to": recent}))
    assert "早些时候的学习" in text and "最近的学习" not in text


def test_the_ledger_switches_between_the_collectives_campaigns(tree, users, signed_in, campaign, make_entry):
    collective = tree["collective_a"]
    make_entry("study", collective, title="今年的学习")
    older = factories.campaign(office=tree["city"], year=campaign.year - 1, name="上一年度的创建")
    client = signed_in(users["leader_a"])
    url = reverse("ledger:collective", args=[collective.pk])
    text = page_text(client.get(url))
    assert "今年的学习" in text and 'data-testid="campaign-switcher"' in text and "上一年度的创建" in text
    assert "今年的学习" not in page_text(client.get(url, {"campaign": older.pk}))


def test_a_collective_without_a_campaign_is_told_so(tree, users, signed_in):
    client = signed_in(users["leader_a"])
    text = page_text(client.get(reverse("ledger:collective", args=[tree["collective_a"].pk])))
    assert 'data-testid="no-campaign"' in text
    response = client.get(reverse("ledger:entry_create", args=[tree["collective_a"].pk, "study"]))
    assert response.status_code == 302


@pytest.mark.parametrize("role", ["leader_a", "unit_admin_a"])
def test_the_ledgers_queries_do_not_grow_with_its_entries(role, tree, users, signed_in, campaign, make_entry,
                                                         make_pairing, django_assert_num_queries):
    collective = tree["collective_a"]
    make_pairing(collective)
    client = signed_in(users[role])
    url = reverse("ledger:collective", args=[collective.pk])

    def add(count: int):
        for index in range(count):
            for activity in ("benchmark", "study", "families", "open_week"):
                make_entry(activity, collective, title=f"{activity}{index}")

    add(1)
    client.get(url)  # the session's first request
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(4)
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


# --- creating and editing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("activity", ["benchmark", "study", "families", "open_week"])
def test_each_activity_is_recorded_through_its_form_and_audited(activity, tree, users, signed_in, campaign, pairing):
    collective = tree["collective_a"]
    client = signed_in(users["leader_a"])
    response = client.post(reverse("ledger:entry_create", args=[collective.pk, activity]),
                           _form_data(activity, collective, title=f"页面记录{activity}"))
    entry = LedgerEntry.objects.get(title=f"页面记录{activity}")
    assert response.status_code == 302 and response["Location"] == reverse("ledger:entry", args=[entry.pk])
    assert entry.activity == activity and entry.campaign == campaign and entry.collective == collective
    if activity == "study":
        members = list(collective.members.order_by("id"))
        assert entry.led_by == members[1] and entry.attendees.count() == 5 and entry.study_form == "micro_lecture"
    elif activity == "families":
        assert entry.pairing == pairing and sorted(entry.help_kinds.values_list("kind", flat=True)) == [
            "companionship", "education"]
    elif activity == "benchmark":
        assert entry.stage == "target" and entry.benefit_value == 30 and entry.focus == "convenience"
    else:
        assert entry.visitors == 36 and entry.shown_items.count() == 3
    audit = AuditEntry.objects.get(action="ledger.entry_create", object_id=str(entry.pk))
    assert audit.actor == users["leader_a"] and audit.after["activity"] == activity
    followed = client.get(response["Location"])
    assert f"已记录{entry.get_activity_display()}“页面记录{activity}”" in page_text(followed)


def test_a_unit_admin_records_in_a_collective_of_its_subtree(tree, users, signed_in, campaign):
    collective = tree["collective_sub"]
    response = signed_in(users["unit_admin_a"]).post(
        reverse("ledger:entry_create", args=[collective.pk, "open_week"]),
        _form_data("open_week", collective, title="街道开放周"))
    assert response.status_code == 302
    assert LedgerEntry.objects.get(title="街道开放周").created_by == users["unit_admin_a"]


def test_a_bad_submission_changes_nothing_and_shows_every_message_at_once(tree, users, signed_in, campaign):
    collective = tree["collective_a"]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = signed_in(users["leader_a"]).post(
        reverse("ledger:entry_create", args=[collective.pk, "study"]),
        {"date": tomorrow, "title": "", "form": "", "topic": "", "led_by": "", "content": ""})
    assert response.status_code == 422
    text = page_text(response)
    for message in ("台账只记录已经开展的工作", "请填写标题", "请选择学习形式", "请填写学习主题",
                    "请选择领学人（号长或轮流领学的成员）", "请至少勾选一位参学成员"):
        assert message in text, message
    for name in ("date", "title", "form", "topic", "led_by", "attendees"):
        assert f'data-field-error="{name}"' in text, name
    assert not LedgerEntry.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="ledger.").exists()


def test_a_member_of_another_collective_is_refused_by_name(tree, users, signed_in, campaign):
    collective = tree["collective_a"]
    stranger = tree["collective_b"].members.first()
    data = _form_data("study", collective, attendees=[stranger.pk])
    response = signed_in(users["leader_a"]).post(reverse("ledger:entry_create", args=[collective.pk, "study"]), data)
    assert response.status_code == 422
    assert f"参学成员中编号为{stranger.pk}的人不是本集体的成员" in page_text(response)
    assert not LedgerEntry.objects.exists()


def test_the_study_form_lists_members_leader_first_and_defaults_to_today(tree, users, signed_in, campaign):
    collective = tree["collective_a"]
    text = page_text(signed_in(users["leader_a"]).get(
        reverse("ledger:entry_create", args=[collective.pk, "study"])))
    leader = collective.members.get(is_leader=True)
    assert text.index(f'<option value="{leader.pk}">{leader.name}（号长）</option>') < text.index(">成员2</option>")
    assert text.count('name="attendees"') == collective.members.count()
    assert f'value="{timezone.localdate().isoformat()}"' in text
    assert 'data-testid="select-all"' in text


def test_the_families_form_offers_active_pairings_masked_only(tree, users, signed_in, campaign, pairing,
                                                              make_pairing):
    from wenminghao.ledger import services

    ended = make_pairing(tree["collective_a"], family_ref="3710029900001234")
    services.end_pairing(actor=users["leader_a"], pairing=ended)
    text = page_text(signed_in(users["leader_a"]).get(
        reverse("ledger:entry_create", args=[tree["collective_a"].pk, "families"])))
    assert "**************0042" in text and FAMILY_REF not in text
    assert "*1234" not in text  # an ended pairing takes no more visits


def test_a_visit_started_from_a_pairings_page_has_that_pairing_chosen(tree, users, signed_in, campaign, pairing,
                                                                      make_pairing):
    other = make_pairing(tree["collective_a"], family_ref="3710029900005678")
    url = reverse("ledger:entry_create", args=[tree["collective_a"].pk, "families"])
    client = signed_in(users["leader_a"])
    for chosen in (pairing, other):
        text = client.get(url, {"pairing": chosen.pk}).content.decode()
        selected = re.findall(r'<option value="(\d+)"[^>]*selected', text)
        assert selected == [str(chosen.pk)]
    foreign = make_pairing(tree["collective_b"], actor=users["leader_b"], family_ref="3710810000000777")
    text = client.get(url, {"pairing": foreign.pk}).content.decode()
    assert not re.findall(r'<option value="\d+"[^>]*selected', text)  # not one the form offers: nothing chosen


def test_the_benchmark_form_offers_the_areas_of_the_collectives_sector(tree, users, signed_in, campaign, make_entry):
    target = make_entry("benchmark", tree["collective_a"], title="窗口办件提速目标")
    text = page_text(signed_in(users["leader_a"]).get(
        reverse("ledger:entry_create", args=[tree["collective_a"].pk, "benchmark"])))
    assert "便民服务举措" in text and "服务方式" in text and "生产工艺" not in text
    assert f'<option value="{target.pk}">' in text and 'data-testid="meets-target"' in text


def test_the_open_week_form_says_where_the_commitment_and_phone_are_kept(tree, users, signed_in, campaign):
    text = page_text(signed_in(users["leader_a"]).get(
        reverse("ledger:entry_create", args=[tree["collective_a"].pk, "open_week"])))
    assert 'data-testid="commitment-note"' in text
    assert reverse("collectives:edit", args=[tree["collective_a"].pk]) in text


def test_editing_an_entry_keeps_its_values_and_saves_the_change(tree, users, signed_in, study):
    client = signed_in(users["leader_a"])
    url = reverse("ledger:entry_edit", args=[study.pk])
    text = page_text(client.get(url))
    assert f'value="{study.title}"' in text and text.count("checked") >= 5
    data = _form_data("study", study.collective, title="改过的标题", attendees=[
        member.pk for member in study.collective.members.order_by("id")[:3]])
    response = client.post(url, data)
    assert response.status_code == 302
    study.refresh_from_db()
    assert study.title == "改过的标题" and study.attendees.count() == 3
    assert AuditEntry.objects.filter(action="ledger.entry_update", object_id=str(study.pk)).exists()


def test_deleting_an_entry_asks_first_and_goes_back_to_the_ledger(tree, users, signed_in, study):
    client = signed_in(users["leader_a"])
    assert "确定删除这条记录吗" in page_text(client.get(reverse("ledger:entry", args=[study.pk])))
    response = client.post(reverse("ledger:entry_delete", args=[study.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ledger:collective", args=[study.collective_id]))
    assert not LedgerEntry.objects.filter(pk=study.pk).exists()
    assert AuditEntry.objects.filter(action="ledger.entry_delete").exists()
    assert signed_in(users["leader_a"]).get(reverse("ledger:entry_delete", args=[study.pk])).status_code == 405


# --- the entry's page: fields, files -------------------------------------------------------------------------


def test_the_entry_page_shows_all_fields_and_the_attendees_names(tree, users, signed_in, study):
    text = page_text(signed_in(users["unit_admin_a"]).get(reverse("ledger:entry", args=[study.pk])))
    assert "微团课" in text and "学习党的十九大精神" in text and "5人参学：" in text
    assert "成员1（号长）、成员2、成员3、成员4、成员5" in text and "开展情况说明。" in text


def test_a_visit_shows_the_family_masked_with_a_link_to_the_pairing(tree, users, signed_in, pairing, make_entry):
    visit = make_entry("families", tree["collective_a"])
    text = page_text(signed_in(users["leader_a"]).get(reverse("ledger:entry", args=[visit.pk])))
    assert "**************0042" in text and FAMILY_REF not in text
    assert reverse("ledger:pairing", args=[pairing.pk]) in text


def _upload(client, entry, name: str, data: bytes, content_type: str = "image/jpeg"):
    response = client.post(reverse("ledger:attachment_upload", args=[entry.pk]),
                           {"file": SimpleUploadedFile(name, data, content_type=content_type)})
    assert response.status_code == 302, page_text(response)
    return EntryAttachment.objects.get(entry=entry, original_name=name)


def test_a_photo_is_uploaded_listed_with_its_thumbnail_and_served_privately(tree, users, signed_in, study,
                                                                           media_storage,  # noqa: F811
                                                                           django_capture_on_commit_callbacks):
    client = signed_in(users["leader_a"])
    with django_capture_on_commit_callbacks(execute=True):
        attachment = _upload(client, study, "学习现场.jpg", photo_bytes())
    attachment.refresh_from_db()
    assert attachment.kind == "picture" and attachment.thumbnail
    assert AuditEntry.objects.filter(action="ledger.file_upload", object_id=str(study.pk)).exists()
    text = page_text(client.get(reverse("ledger:entry", args=[study.pk])))
    file_url = reverse("ledger:attachment", args=[study.pk, attachment.pk])
    assert "学习现场.jpg" in text and f'src="{file_url}?thumb=1"' in text
    for viewer in ("leader_a", "unit_admin_a", "city_admin"):
        original = signed_in(users[viewer]).get(file_url)
        assert original.status_code == 200 and original["Content-Type"] == "image/jpeg"
        assert original["Cache-Control"] == "private, max-age=300"
        assert b"".join(original.streaming_content) == photo_bytes()
        assert original["Content-Disposition"].startswith("inline")
    thumbnail = client.get(file_url, {"thumb": "1"})
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(thumbnail.streaming_content))).size[0] <= 400
    download = client.get(file_url, {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == photo_bytes()  # read to the end: the client closes the file


def test_a_document_is_listed_with_an_icon_and_downloaded(tree, users, signed_in, study,
                                                          media_storage):  # noqa: F811
    client = signed_in(users["leader_a"])
    attachment = _upload(client, study, "学习心得.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n",
                         "application/pdf")
    text = page_text(client.get(reverse("ledger:entry", args=[study.pk])))
    assert "学习心得.pdf" in text and "bi-file-earmark-pdf" in text
    assert client.get(reverse("ledger:attachment", args=[study.pk, attachment.pk]), {"thumb": "1"}).status_code == 404


def test_a_text_file_named_jpg_is_refused_with_the_reason(tree, users, signed_in, study,
                                                          media_storage):  # noqa: F811
    media_root, _ = media_storage
    response = signed_in(users["leader_a"]).post(
        reverse("ledger:attachment_upload", args=[study.pk]),
        {"file": SimpleUploadedFile("照片.jpg", "这不是图片，只是文字。".encode() * 20, content_type="image/jpeg")})
    assert response.status_code == 422
    assert "文件（照片.jpg）不是可识别的图片或文档" in page_text(response)
    assert not EntryAttachment.objects.exists()
    assert not [path for path in media_root.rglob("*") if path.is_file()]


@pytest.mark.parametrize("padding", [120_000, 20_000])  # refused from Content-Length; refused while streaming
def test_a_file_past_the_limit_answers_413_with_the_limit(padding, tree, users, signed_in, study, settings,
                                                          media_storage):  # noqa: F811
    media_root, temp_dir = media_storage
    settings.WMH_LEDGER_FILE_MAX_BYTES = 10 * 1024
    response = signed_in(users["leader_a"]).post(
        reverse("ledger:attachment_upload", args=[study.pk]),
        {"file": SimpleUploadedFile("大照片.jpg", photo_bytes() + b"\0" * padding)})
    assert response.status_code == 413
    assert "超过10KB的上限，请压缩后再上传" in page_text(response)
    assert not EntryAttachment.objects.exists()
    assert not [path for path in (*media_root.rglob("*"), *temp_dir.rglob("*")) if path.is_file()]


def test_an_upload_without_a_file_says_so(tree, users, signed_in, study, media_storage):  # noqa: F811
    response = signed_in(users["leader_a"]).post(reverse("ledger:attachment_upload", args=[study.pk]), {})
    assert response.status_code == 422 and "请选择要上传的图片或文档" in page_text(response)


def test_removing_a_file(tree, users, signed_in, study, media_storage):  # noqa: F811
    client = signed_in(users["leader_a"])
    attachment = _upload(client, study, "多余的.jpg", photo_bytes())
    response = client.post(reverse("ledger:attachment_remove", args=[study.pk, attachment.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("ledger:entry", args=[study.pk])
    assert not EntryAttachment.objects.filter(pk=attachment.pk).exists()
    assert AuditEntry.objects.filter(action="ledger.file_remove").exists()


def test_the_upload_needs_the_csrf_token(tree, users, study, media_storage):  # noqa: F811
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["leader_a"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    response = client.post(reverse("ledger:attachment_upload", args=[study.pk]),
                           {"file": SimpleUploadedFile("a.jpg", photo_bytes())})
    assert response.status_code == 403
    assert not EntryAttachment.objects.exists()


# --- comments (查阅台账) -------------------------------------------------------------------------------------


def _comment(client, entry, text: str) -> EntryComment:
    response = client.post(reverse("ledger:comment_create", args=[entry.pk]), {"text": text})
    assert response.status_code == 302, page_text(response)
    return EntryComment.objects.get(entry=entry, text=text)


def test_a_units_comment_notifies_the_leader_and_shows_on_the_entry(tree, users, signed_in, study):
    comment = _comment(signed_in(users["unit_admin_a"]), study, "请补充参学照片。")
    assert comment.author == users["unit_admin_a"] and comment.author_unit == tree["area_a"]
    notice = Notification.objects.get(recipient=users["leader_a"])
    assert "环翠区团委评阅了台账记录《学习党的十九大精神微团课》" in notice.message
    assert notice.link == reverse("ledger:entry", args=[study.pk])
    assert AuditEntry.objects.filter(action="ledger.comment", object_id=str(study.pk)).exists()
    text = page_text(signed_in(users["leader_a"]).get(reverse("ledger:entry", args=[study.pk])))
    assert "请补充参学照片。" in text and "环翠区团委" in text and 'data-testid="open"' in text
    assert 'data-testid="resolve-comment"' in text and 'data-testid="comment-form"' not in text


def test_the_collective_may_not_comment_on_its_own_ledger(tree, users, signed_in, study):
    response = signed_in(users["leader_a"]).post(reverse("ledger:comment_create", args=[study.pk]), {"text": "自评"})
    assert response.status_code == 403
    assert not EntryComment.objects.exists()


def test_a_refused_comment_keeps_its_text_and_says_why(tree, users, signed_in, study, pairing):
    response = signed_in(users["unit_admin_a"]).post(reverse("ledger:comment_create", args=[study.pk]),
                                                     {"text": f"请核实编号{FAMILY_REF}的家庭"})
    assert response.status_code == 422
    text = page_text(response)
    assert "意见中含有结对家庭的建档立卡编号（**************0042）" in text
    assert not EntryComment.objects.exists() and not Notification.objects.exists()
    empty = signed_in(users["unit_admin_a"]).post(reverse("ledger:comment_create", args=[study.pk]), {"text": " "})
    assert empty.status_code == 422 and "请填写评阅意见" in page_text(empty)


def test_the_leader_marks_a_comment_handled(tree, users, signed_in, study):
    comment = _comment(signed_in(users["city_admin"]), study, "学习记录很完整。")
    client = signed_in(users["leader_a"])
    response = client.post(reverse("ledger:comment_resolve", args=[comment.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger:entry", args=[study.pk]) + "#comments"
    comment.refresh_from_db()
    assert comment.resolved_at is not None and comment.resolved_by == users["leader_a"]
    assert AuditEntry.objects.filter(action="ledger.comment_resolve").exists()
    text = page_text(client.get(reverse("ledger:entry", args=[study.pk])))
    assert 'data-testid="resolved"' in text and 'data-testid="resolve-comment"' not in text


# --- the panel on the collective's page ----------------------------------------------------------------------


@pytest.mark.parametrize("role", INSIDERS)
def test_the_collective_page_shows_the_ledger_panel(role, tree, users, signed_in, study):
    text = page_text(signed_in(users[role]).get(reverse("collectives:detail", args=[tree["collective_a"].pk])))
    percent = study_summary(tree["collective_a"], study.campaign).coverage_percent
    assert 'data-panel="ledger"' in text and f"参学覆盖率 <strong>{percent}%</strong>（5/8人）" in text
    assert reverse("ledger:collective", args=[tree["collective_a"].pk]) in text
    assert reverse("ledger:pairings", args=[tree["collective_a"].pk]) in text


def test_the_panel_says_when_there_is_no_campaign(tree, users, signed_in):
    text = page_text(signed_in(users["leader_a"]).get(reverse("collectives:detail", args=[tree["collective_a"].pk])))
    assert 'data-panel="ledger"' in text and "尚无创建活动，暂无台账记录。" in text


def test_the_navigation_links_to_the_ledger(tree, users, signed_in):
    leader = page_text(signed_in(users["leader_a"]).get(reverse("workbench:home")))
    own = reverse("ledger:collective", args=[tree["collective_a"].pk])
    assert f'href="{own}" data-testid="nav-ledger">台账' in leader
    admin = page_text(signed_in(users["unit_admin_a"]).get(reverse("workbench:home")))
    assert f'href="{reverse("ledger:review")}" data-testid="nav-ledger">查阅台账' in admin
    assert 'data-testid="nav-ledger"' not in page_text(signed_in(users["judge"]).get(reverse("workbench:home")))
