"""works.transitions.change_work_status: the one way a work moves through review."""

import pytest
from django.utils import timezone

from tests import factories
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry, Notification
from wenminghao.core.roles import Role
from wenminghao.reviews.models import UnitReport
from wenminghao.works.models import Work, WorkDecision
from wenminghao.works.transitions import TRANSITIONS, change_work_status, reporting_unit_path


def make_work(campaign, collective, user, *, status, title="窗口里的四十年", category="photo"):
    return Work.objects.create(campaign=campaign, collective=collective, category=category, title=title,
                               display_form="picture" if category == "photo" else "essay", contact_name="张联系",
                               contact_phone="13800000000", status=status, created_by=user)


@pytest.fixture
def campaign(tree):
    return factories.campaign(office=tree["city"])


OK = "ok"
FORBIDDEN = "403"

# (from status, to status, actor, comment, expected: OK, FORBIDDEN or the violation code)
CASES = [
    ("submitted", "recommended", "unit_admin_a", "", OK),
    ("submitted", "recommended", "city_admin", "", OK),
    ("submitted", "recommended", "unit_admin_b", "", FORBIDDEN),
    ("submitted", "recommended", "leader_a", "", FORBIDDEN),
    ("submitted", "recommended", "judge", "", FORBIDDEN),
    ("submitted", "returned", "unit_admin_a", "第3张照片模糊，请更换。", OK),
    ("submitted", "returned", "unit_admin_a", "", "review.comment_required"),
    ("submitted", "returned", "unit_admin_a", "长" * 1001, "review.comment_too_long"),
    ("recommended", "submitted", "unit_admin_a", "", OK),
    ("recommended", "returned", "unit_admin_a", "请修改", FORBIDDEN),
    ("recommended", "returned", "city_admin", "请修改说明", OK),
    ("recommended", "shortlisted", "city_admin", "", OK),
    ("recommended", "shortlisted", "unit_admin_a", "", FORBIDDEN),
    ("shortlisted", "recommended", "city_admin", "", OK),
    ("recommended", "showcased", "city_admin", "", OK),
    ("shortlisted", "showcased", "city_admin", "", OK),
    ("recommended", "showcased", "unit_admin_a", "", FORBIDDEN),
    ("showcased", "shortlisted", "city_admin", "", OK),
    ("showcased", "forwarded", "city_admin", "", OK),
    ("showcased", "forwarded", "unit_admin_a", "", FORBIDDEN),
    ("forwarded", "showcased", "city_admin", "", OK),
    ("draft", "recommended", "unit_admin_a", "", "work.state"),
    ("returned", "recommended", "unit_admin_a", "", "work.state"),
    ("submitted", "showcased", "city_admin", "", "work.state"),
    ("submitted", "forwarded", "city_admin", "", "work.state"),
    ("forwarded", "draft", "city_admin", "", "work.state"),
    ("submitted", "nonsense", "city_admin", "", "work.state"),
]


@pytest.mark.parametrize(("from_status", "to_status", "actor", "comment", "expected"), CASES)
def test_transition_table(tree, users, campaign, from_status, to_status, actor, comment, expected):
    work = make_work(campaign, tree["collective_a"], users["leader_a"], status=from_status)
    audits, decisions = AuditEntry.objects.count(), WorkDecision.objects.count()
    if expected == OK:
        change_work_status(actor=users[actor], work=work, to_status=to_status, comment=comment)
        work.refresh_from_db()
        assert work.status == to_status
        decision = WorkDecision.objects.get(work=work)
        assert (decision.from_status, decision.to_status, decision.actor) == (from_status, to_status, users[actor])
        assert decision.stage == TRANSITIONS[(from_status, to_status)].stage
        assert decision.comment == comment
        entry = AuditEntry.objects.latest("id")
        assert entry.before == {"status": from_status}
        assert entry.after["status"] == to_status
        return
    expected_error = NotPermitted if expected == FORBIDDEN else RuleViolationError
    with pytest.raises(expected_error) as raised:
        change_work_status(actor=users[actor], work=work, to_status=to_status, comment=comment)
    if expected != FORBIDDEN:
        assert [v.code for v in raised.value.violations] == [expected]
        assert all(v.message for v in raised.value.violations)
    work.refresh_from_db()
    assert work.status == from_status, "a refused transition changes nothing"
    assert (AuditEntry.objects.count(), WorkDecision.objects.count()) == (audits, decisions)
    assert not Notification.objects.exists()


def test_state_message_names_the_work_and_the_possible_targets(tree, users, campaign):
    work = make_work(campaign, tree["collective_a"], users["leader_a"], status="submitted", title="海边的灯塔")
    with pytest.raises(RuleViolationError) as raised:
        change_work_status(actor=users["city_admin"], work=work, to_status="forwarded")
    message = raised.value.violations[0].message
    assert "海边的灯塔" in message and "已提交" in message and "推报团省委" in message and "已推荐" in message


def test_state_message_for_a_work_not_yet_submitted(tree, users, campaign):
    work = make_work(campaign, tree["collective_a"], users["leader_a"], status="draft", title="海边的灯塔")
    with pytest.raises(RuleViolationError) as raised:
        change_work_status(actor=users["unit_admin_a"], work=work, to_status="recommended")
    assert raised.value.violations[0].message == (
        "作品“海边的灯塔”当前状态为“草稿”，不能改为“已推荐”（创作集体提交后才能审核）。")


def test_recommending_places_work_last_in_the_units_order(tree, users, campaign):
    first = make_work(campaign, tree["collective_a"], users["leader_a"], status="submitted", title="一")
    second = make_work(campaign, tree["collective_sub"], users["leader_a"], status="submitted", title="二")
    elsewhere = make_work(campaign, tree["collective_b"], users["leader_b"], status="submitted", title="文登")
    essay = make_work(campaign, tree["collective_a"], users["leader_a"], status="submitted", title="征",
                      category="essay")
    for work, actor in ((first, "unit_admin_a"), (second, "unit_admin_a"), (elsewhere, "unit_admin_b"),
                        (essay, "unit_admin_a")):
        change_work_status(actor=users[actor], work=work, to_status="recommended")
    ranks = {w.title: w.unit_rank for w in Work.objects.all()}
    # 环翠楼街道 reports through 环翠区团委: one order per reporting unit and category
    assert ranks == {"一": 1, "二": 2, "文登": 1, "征": 1}
    change_work_status(actor=users["unit_admin_a"], work=first, to_status="submitted")
    first.refresh_from_db()
    assert first.unit_rank is None


def test_reporting_unit_is_the_offices_child_above_the_collective(tree, users, campaign):
    work = make_work(campaign, tree["collective_sub"], users["leader_a"], status="submitted")
    assert reporting_unit_path(work) == tree["area_a"].path


def test_return_keeps_the_comment_for_the_collective(tree, users, campaign):
    work = make_work(campaign, tree["collective_a"], users["leader_a"], status="submitted")
    change_work_status(actor=users["unit_admin_a"], work=work, to_status="returned", comment="  请补充作品说明。 ")
    work.refresh_from_db()
    assert work.return_comment == "请补充作品说明。"


def test_withdrawal_refused_once_the_stamped_table_is_uploaded(tree, users, campaign):
    work = make_work(campaign, tree["collective_sub"], users["leader_a"], status="recommended")
    UnitReport.objects.create(campaign=campaign, unit=tree["area_a"], stamped_scan="reports/x.pdf", scan_name="x.pdf",
                              scan_size=10, scan_sha256="0" * 64, scan_content_type="application/pdf",
                              uploaded_by=users["unit_admin_a"], uploaded_at=timezone.now(), work_count=1)
    with pytest.raises(RuleViolationError) as raised:
        change_work_status(actor=users["unit_admin_a"], work=work, to_status="submitted")
    assert raised.value.violations[0].code == "review.report_uploaded"
    assert "环翠区团委" in raised.value.violations[0].message
    # another unit's report does not freeze it, and the city may still return it
    change_work_status(actor=users["city_admin"], work=work, to_status="returned", comment="请重新拍摄。")


def test_unit_decision_notifies_the_collective_only(tree, users, campaign, mailoutbox, settings,
                                                    django_capture_on_commit_callbacks):
    settings.WMH_SITE_URL = "http://wmh.example.org"
    users["leader_a"].email = "leader@example.cn"
    users["leader_a"].save()
    delegate = factories.account(username="delegate_a", role=Role.COLLECTIVE, collective=tree["collective_a"],
                                 email="delegate@example.cn")
    work = make_work(campaign, tree["collective_a"], users["leader_a"], status="submitted", title="海边的灯塔")
    with django_capture_on_commit_callbacks(execute=True):
        change_work_status(actor=users["unit_admin_a"], work=work, to_status="returned", comment="请补充说明。")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"leader_a", delegate.username}
    message = Notification.objects.first().message
    assert "海边的灯塔" in message and "退回" in message and "请补充说明。" in message
    # One message per address: neither recipient sees the other's address.
    assert sorted(mail.to[0] for mail in mailoutbox) == ["delegate@example.cn", "leader@example.cn"]
    assert all(len(mail.to) == 1 and not mail.cc and not mail.bcc for mail in mailoutbox)
    assert "海边的灯塔" in mailoutbox[0].subject + mailoutbox[0].body
    assert f"http://wmh.example.org/works/{work.pk}/" in mailoutbox[0].body


def test_city_decision_notifies_collective_and_reporting_unit(tree, users, campaign, mailoutbox,
                                                              django_capture_on_commit_callbacks):
    work = make_work(campaign, tree["collective_sub"], users["leader_a"], status="recommended")
    with django_capture_on_commit_callbacks(execute=True):
        change_work_status(actor=users["city_admin"], work=work, to_status="showcased")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    # collective_sub has no account of its own in the fixture; its reporting unit is 环翠区团委
    assert recipients == {"huancui"}
    assert mailoutbox == []  # no addresses


def test_mail_failure_does_not_undo_the_decision(tree, users, campaign, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.reviews.test_transitions.BrokenBackend"
    users["leader_a"].email = "leader@example.cn"
    users["leader_a"].save()
    work = make_work(campaign, tree["collective_a"], users["leader_a"], status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        change_work_status(actor=users["unit_admin_a"], work=work, to_status="recommended")
    work.refresh_from_db()
    assert work.status == "recommended"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")
