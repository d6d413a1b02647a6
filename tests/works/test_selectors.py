import pytest

from tests import factories
from tests.works.media_fixtures import add_pictures, make_work, media_storage  # noqa: F401 - fixture
from wenminghao.core.roles import Role
from wenminghao.works.enums import WorkStatus
from wenminghao.works.models import SimilarFile, Work
from wenminghao.works.selectors import similar_files_for, work_detail, work_list, works_visible_to


@pytest.fixture
def world(tree, users):
    campaign = factories.campaign(office=tree["city"])
    objects = {**tree, **users, "campaign": campaign}
    objects["delegate_a"] = factories.account(role=Role.COLLECTIVE, collective=tree["collective_a"], is_delegate=True)
    objects["work_a"] = make_work(actor=users["leader_a"], collective=tree["collective_a"], campaign=campaign,
                                  title="环翠窗口")
    objects["work_sub"] = make_work(actor=users["unit_admin_a"], collective=tree["collective_sub"],
                                    campaign=campaign, category="essay", title="社区征文")
    objects["work_b"] = make_work(actor=users["leader_b"], collective=tree["collective_b"], campaign=campaign,
                                  category="publicity", title="供电短片")
    return objects


VISIBLE = {
    "city_admin": {"work_a", "work_sub", "work_b"},
    "unit_admin_a": {"work_a", "work_sub"},
    "unit_admin_b": {"work_b"},
    "leader_a": {"work_a"},
    "delegate_a": {"work_a"},
    "leader_b": {"work_b"},
    "judge": set(),
}


@pytest.mark.parametrize("role", sorted(VISIBLE))
def test_works_visible_to_each_role(world, role):
    visible = set(works_visible_to(world[role]).values_list("pk", flat=True))
    assert visible == {world[name].pk for name in VISIBLE[role]}


def test_works_visible_to_anonymous_is_nothing(world):
    from django.contrib.auth.models import AnonymousUser

    assert not works_visible_to(AnonymousUser()).exists()


def test_work_list_filters(world):
    admin = world["city_admin"]
    assert [w.title for w in work_list(admin, unit=world["area_a"]).order_by("title")] == ["环翠窗口", "社区征文"]
    assert [w.title for w in work_list(admin, category="publicity")] == ["供电短片"]
    assert [w.title for w in work_list(admin, collective=world["collective_sub"])] == ["社区征文"]
    assert [w.title for w in work_list(admin, search="供电所")] == ["供电短片"]  # by collective name
    assert [w.title for w in work_list(admin, search="窗口")] == ["环翠窗口"]
    Work.objects.filter(pk=world["work_b"].pk).update(status=WorkStatus.SUBMITTED)
    assert [w.title for w in work_list(admin, status="submitted")] == ["供电短片"]
    other = factories.campaign(office=world["city"])
    assert list(work_list(admin, campaign=other)) == []
    assert work_list(admin, campaign=world["campaign"]).count() == 3


def test_work_list_counts_files(world, media_storage):  # noqa: F811
    add_pictures(world["work_a"], world["leader_a"], 2)
    row = work_list(world["leader_a"]).get()
    assert (row.file_count, row.picture_count) == (2, 2)


def test_work_list_query_count_does_not_grow_with_rows(world, django_assert_num_queries, media_storage):  # noqa: F811
    admin = world["city_admin"]

    def render(rows):
        return [(w.title, w.collective.name, w.collective.unit.name, w.campaign.name,
                 w.file_count) for w in rows]

    with django_assert_num_queries(2):  # the campaigns in the admin's scope, then the rows with everything shown
        assert len(render(work_list(admin, collective=world["collective_b"]))) == 1
    for index in range(3):
        work = make_work(actor=world["leader_b"], collective=world["collective_b"], campaign=world["campaign"],
                         title=f"图片{index}")
        add_pictures(work, world["leader_b"], index + 1)
    with django_assert_num_queries(2):
        rows = render(work_list(admin, collective=world["collective_b"]))
    assert sorted(row[-1] for row in rows) == [0, 1, 2, 3]


def test_work_detail_prefetches_files_and_flags(world, django_assert_num_queries, media_storage):  # noqa: F811
    leader = world["leader_a"]
    files = add_pictures(world["work_a"], leader, 3)
    other = make_work(actor=leader, collective=world["collective_a"], campaign=world["campaign"], title="另一组")
    (copy,) = add_pictures(other, leader, 1)  # the same bytes as files[0] (same seed)
    SimilarFile.objects.create(file=files[0], other=copy, kind=SimilarFile.Kind.IDENTICAL)
    SimilarFile.objects.create(file=copy, other=files[0], kind=SimilarFile.Kind.IDENTICAL)
    with django_assert_num_queries(3):
        work = work_detail(leader, world["work_a"].pk)
        names = [(f.position, f.original_name, [s.other.work.title for s in f.similar.all()]) for f in work.files.all()]
        assert work.collective.unit.name and work.campaign.office.name
    assert names == [(1, "照片1.jpg", ["另一组"]), (2, "照片2.jpg", []), (3, "照片3.jpg", [])]


def test_work_detail_of_an_invisible_work_does_not_exist(world):
    with pytest.raises(Work.DoesNotExist):
        work_detail(world["leader_b"], world["work_a"].pk)
    with pytest.raises(Work.DoesNotExist):
        work_detail(world["unit_admin_b"], world["work_a"].pk)


def test_similar_files_for_shows_the_other_work(world, media_storage):  # noqa: F811
    leader = world["leader_a"]
    (mine,) = add_pictures(world["work_a"], leader, 1)
    other = make_work(actor=leader, collective=world["collective_a"], campaign=world["campaign"], title="旧作品")
    (theirs,) = add_pictures(other, leader, 1, first_seed=3)
    (same_work,) = add_pictures(world["work_a"], leader, 1, first_seed=3)
    SimilarFile.objects.create(file=mine, other=theirs, kind=SimilarFile.Kind.PERCEPTUAL, distance=2)
    SimilarFile.objects.create(file=theirs, other=mine, kind=SimilarFile.Kind.PERCEPTUAL, distance=2)
    SimilarFile.objects.create(file=mine, other=same_work, kind=SimilarFile.Kind.PERCEPTUAL, distance=1)
    flags = list(similar_files_for(world["work_a"]))
    assert [(flag.file, flag.other, flag.other.work.title, flag.distance) for flag in flags] == [
        (mine, theirs, "旧作品", 2)
    ]
    assert [(flag.file, flag.other) for flag in similar_files_for(other)] == [(theirs, mine)]


# --- permission rules -------------------------------------------------------------------------------------------

PEOPLE = ["city_admin", "unit_admin_a", "unit_admin_b", "leader_a", "delegate_a", "leader_b", "judge"]
# Who may, for collective_a's work: see it; add a work for collective_a; change and submit it while editable.
MAY_VIEW = {"city_admin", "unit_admin_a", "leader_a", "delegate_a"}
MAY_ADD = MAY_VIEW
MAY_CHANGE = MAY_VIEW


@pytest.mark.parametrize("role", PEOPLE)
@pytest.mark.parametrize("status", [WorkStatus.DRAFT, WorkStatus.RETURNED, WorkStatus.SUBMITTED,
                                    WorkStatus.RECOMMENDED, WorkStatus.SHOWCASED])
def test_permission_matrix_for_a_work(world, role, status):
    work = world["work_a"]
    work.status = status
    user = world[role]
    editable = status in (WorkStatus.DRAFT, WorkStatus.RETURNED)
    assert user.has_perm("works.view_work", work) == (role in MAY_VIEW)
    assert user.has_perm("works.add_work", world["collective_a"]) == (role in MAY_ADD)
    assert user.has_perm("works.change_work", work) == (role in MAY_CHANGE and editable)
    assert user.has_perm("works.submit_work", work) == (role in MAY_CHANGE and editable)


def test_permission_the_unit_admin_of_an_upper_unit_covers_lower_units(world):
    work = world["work_sub"]
    assert world["unit_admin_a"].has_perm("works.change_work", work)
    assert not world["leader_a"].has_perm("works.view_work", work)
    assert not world["unit_admin_b"].has_perm("works.view_work", work)


def test_permission_anonymous_has_none(world):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for perm in ("works.view_work", "works.change_work", "works.submit_work"):
        assert not anonymous.has_perm(perm, world["work_a"])
    assert not anonymous.has_perm("works.add_work", world["collective_a"])
