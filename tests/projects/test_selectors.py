"""Who sees which joint project: the accounts of each partner collective and the admins of every unit above any
partner, and no other (a project of 环翠区 and 文登区 posts is seen by 环翠区, 文登区 and the city, not by 荣成市);
the list's filters (kind, mine/unit, ongoing/ended) and its counts."""

import pytest

from wenminghao.projects import selectors, services
from wenminghao.projects.enums import ProjectKind

pytestmark = pytest.mark.django_db


def seen_by(world, project) -> set[str]:
    return {role for role, account in world["accounts"].items()
            if selectors.projects_visible_to(account).filter(pk=project.pk).exists()}


def test_each_partners_unit_and_no_other(world, make_project):
    project = make_project()  # collective_a (环翠区) leads, collective_b (文登区) takes part
    assert seen_by(world, project) == {"city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "delegate_a",
                                       "leader_b"}
    # not 荣成市 (area_c), not the 街道 below 环翠区 (no partner there), not another city, no judge


def test_a_partner_below_a_unit_shows_it_to_that_unit_and_a_removed_partner_no_longer_sees_it(world, make_project):
    project = make_project(partners=[world["collective_b"], world["collective_sub"]])
    assert {"unit_admin_sub", "leader_sub"} <= seen_by(world, project)
    services.remove_partner(actor=world["accounts"]["leader_a"], project=project, collective=world["collective_sub"])
    assert not {"unit_admin_sub", "leader_sub"} & seen_by(world, project)


def test_the_list_filters_by_kind_scope_and_state(world, make_project):
    regional = make_project(kind=ProjectKind.REGIONAL)
    other = make_project("unit_admin_b", title="文登荣成服务联创", lead=world["collective_b"],
                         partners=[world["collective_c"]])
    services.finish_project(actor=world["accounts"]["unit_admin_b"], project=other, results="成果")
    city = world["accounts"]["city_admin"]
    assert list(selectors.project_list(city)) == [other, regional]  # the same start: the newest first
    assert list(selectors.project_list(city, kind="regional")) == [regional]
    assert list(selectors.project_list(city, state="ended")) == [other]
    assert list(selectors.project_list(city, state="ongoing")) == [regional]
    admin_b = world["accounts"]["unit_admin_b"]
    assert set(selectors.project_list(admin_b)) == {regional, other}
    assert list(selectors.project_list(admin_b, scope="mine")) == [other]  # managed by 文登区
    assert list(selectors.project_list(world["accounts"]["leader_a"], scope="mine")) == [regional]
    assert list(selectors.project_list(world["accounts"]["unit_admin_c"])) == [other]
    row = selectors.project_list(city).get(pk=regional.pk)
    assert (row.partner_count, row.progress_count) == (2, 0)


def test_the_ledger_card_counts_the_collectives_projects(world, make_project):
    make_project()
    make_project(title="第二个项目")
    card = selectors.collective_projects(world["accounts"]["leader_b"], world["collective_b"])
    assert card["count"] == 2 and len(card["items"]) == 2
    assert selectors.collective_projects(world["accounts"]["leader_b"], world["collective_c"])["count"] == 0


def test_the_current_campaign_of_the_office_is_the_newest(world):
    assert selectors.current_campaign(selectors.office_of(world["collective_b"].unit)) == world["campaign"]
    assert selectors.office_of(world["sub_a"]) == world["city"]
