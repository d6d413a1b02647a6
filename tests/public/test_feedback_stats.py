"""The response times and open items per direct child unit, against figures computed by hand: counted and averaged
in SQL (``answered_at - created_at``; run on SQLite and PostgreSQL), one row per child of the unit looked at."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.public import feedback_fixtures
from tests.public.feedback_fixtures import leave
from wenminghao.public.enums import FeedbackState
from wenminghao.public.models import Feedback
from wenminghao.public.selectors.feedback import feedback_by_child_unit

pytestmark = pytest.mark.django_db
posts = feedback_fixtures.posts  # a fixture


def item(collective, *, kind="suggestion", hours=None, state=None, verified=False):
    """An item received a day ago, answered ``hours`` later (None: open)."""
    feedback = leave(collective, kind=kind, ip_address=f"198.51.100.{Feedback.objects.count()}")
    received = timezone.now() - datetime.timedelta(days=1)
    changes = {"created_at": received, "verified": verified}
    if hours is not None:
        changes.update(answered_at=received + datetime.timedelta(hours=hours), answer="已处理",
                       state=state or FeedbackState.ANSWERED)
    Feedback.objects.filter(pk=feedback.pk).update(**changes)
    return feedback


@pytest.fixture
def figures(posts):
    """环翠区 (area_a): collective_a open, answered after 2 h, closed after 4 h; collective_sub (under sub_a)
    answered after 9 h, a verified complaint. 文登区 (area_b): collective_b two open complaints. A new area with no
    feedback. By hand: area_a 4 items, 1 open, 2 answered, 1 closed, average (2 + 4 + 9) / 3 = 5 h; area_b 2, 2
    open, no average; the city (1 + 2 + 1 … ) 6 items, average 5 h."""
    tree = posts
    item(tree["collective_a"])
    item(tree["collective_a"], hours=2)
    item(tree["collective_a"], hours=4, state=FeedbackState.CLOSED)
    item(tree["collective_sub"], kind="complaint", hours=9, verified=True)
    item(tree["collective_b"], kind="complaint")
    item(tree["collective_b"], kind="complaint")
    tree["area_c"] = factories.unit(parent=tree["city"], name="荣成市团委")
    return tree


def by_unit(rows):
    return {row.unit.name if row.unit else "own": row for row in rows}


def test_per_child_unit_figures_of_the_city(figures):
    rows, total = feedback_by_child_unit(figures["city"])
    table = by_unit(rows)
    assert set(table) == {"环翠区团委", "文登区团委", "荣成市团委"}
    a, b, c = table["环翠区团委"], table["文登区团委"], table["荣成市团委"]
    assert (a.total, a.open, a.answered, a.closed, a.complaints, a.verified) == (4, 1, 2, 1, 1, 1)
    assert a.answer_hours == pytest.approx(5.0, abs=0.01)
    assert (b.total, b.open, b.answered, b.closed, b.complaints, b.verified) == (2, 2, 0, 0, 2, 0)
    assert b.answer_hours is None
    assert (c.total, c.answer_hours) == (0, None)
    assert (total.total, total.open, total.answered, total.closed) == (6, 3, 2, 1)
    assert total.answer_hours == pytest.approx(5.0, abs=0.01)


def test_per_child_unit_figures_of_an_area_with_its_own_collectives(figures):
    rows, total = feedback_by_child_unit(figures["area_a"])
    table = by_unit(rows)
    assert set(table) == {"own", "环翠楼街道团委"}
    own, sub = table["own"], table["环翠楼街道团委"]
    assert (own.total, own.open) == (3, 1)
    assert own.answer_hours == pytest.approx(3.0, abs=0.01)
    assert (sub.total, sub.answered, sub.verified) == (1, 1, 1)
    assert sub.answer_hours == pytest.approx(9.0, abs=0.01)
    assert total.answer_hours == pytest.approx(5.0, abs=0.01)


def test_the_page_shows_the_rows(figures, signed_in, users):
    page = signed_in(users["city_admin"]).get(reverse("public:feedback_stats")).content.decode()
    assert "环翠区团委" in page and "5.0小时" in page and "荣成市团委" in page
    page = signed_in(users["unit_admin_a"]).get(reverse("public:feedback_stats")).content.decode()
    assert "环翠区团委直属" in page and "9.0小时" in page and "文登区团委" not in page
    assert signed_in(users["unit_admin_a"]).get(
        reverse("public:feedback_stats"), {"unit": figures["area_b"].pk}).status_code == 404
