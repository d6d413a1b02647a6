"""The demo's field inspections and reminder (demo/evaluation_inspections.py, demo/evaluation_reminders.py), loaded
after the demo through the services: three inspections (none of hc_zwfw's post: that one is the tester's), one answered
with a photo and awaiting acceptance, one overdue; huancui's past reminder about 开放周; a second run makes nothing."""

import pytest
from django.utils import timezone

from tests.demo.test_demo_data import _demo_media, loaded  # noqa: F401 - fixtures
from tests.works.media_fixtures import media_storage  # noqa: F401 - a pytest fixture
from wenminghao.core.models import Notification
from wenminghao.demo import evaluation_inspections, evaluation_reminders
from wenminghao.demo.management.commands.load_demo_data import Loader
from wenminghao.evaluation.models import Inspection, InspectionPhoto, Reminder
from wenminghao.evaluation.selectors.inspections import inspection_summary, overdue_q
from wenminghao.evaluation.selectors.reminders import reminders_sent

pytestmark = pytest.mark.django_db


def _loader() -> Loader:
    loader = Loader(timezone.localdate())
    loader.run()  # the demo is there already: this only finds its units, collectives and campaigns
    return loader


def test_the_demo_inspects_three_posts_but_not_hc_zwfw(loaded):  # noqa: F811
    loader = _loader()
    # load_demo_data ran the module (its counts: 3 inspections, 1 photo, 1 answer); a second run makes nothing
    assert not any(evaluation_inspections.load(loader).values())
    assert InspectionPhoto.objects.count() == 1
    states = {row.collective.name: (row.get_rating_display(), row.rectification_state, row.photos.count())
              for row in Inspection.objects.select_related("collective")}
    assert states == {
        "文登区人民医院急诊科": ("良好", "none", 0),
        "不动产登记受理窗口": ("合格", "answered", 1),
        "曲轴精磨车间": ("不合格", "asked", 0),
    }
    assert not Inspection.objects.filter(collective=loader.collectives["hc_zwfw"]).exists()
    assert list(Inspection.objects.filter(overdue_q()).values_list("collective__name", flat=True)) == ["曲轴精磨车间"]
    campaign = loader.campaigns["current_city"]
    assert inspection_summary(loader.units["city"], campaign).overdue == 1
    assert not any(evaluation_inspections.load(loader).values())


def test_the_demo_has_huancuis_past_reminder_about_the_open_week(loaded):  # noqa: F811
    loader = _loader()
    assert not any(evaluation_reminders.load(loader).values())  # load_demo_data made it; a second run makes none
    reminder = Reminder.objects.get()
    assert reminder.sent_by.username == "huancui" and reminder.activity == "open_week"
    assert (timezone.now() - reminder.sent_at).days == evaluation_reminders.DAYS_AGO
    reached = set(reminder.recipients.values_list("collective__name", flat=True))
    assert reached == {"生鲜加工班组", "鲸园街道便民服务中心综合窗口", "鲸园街道乐龄社会工作服务站"}
    assert Notification.objects.filter(message__contains="开放周", recipient__username="hc_jjy").exists()
    assert [row.pk for row in reminders_sent(loader.campaigns["current_city"], loader.units["city"])] == [reminder.pk]
    assert not any(evaluation_reminders.load(loader).values())
