from decimal import Decimal as D

import pytest
from django.urls import reverse

from tests import factories
from tests.works.media_fixtures import jpeg, upload
from wenminghao.core.errors import NotPermitted, RuleViolationError
from wenminghao.core.models import AuditEntry
from wenminghao.core.roles import Role
from wenminghao.reviews import services
from wenminghao.reviews.enums import RoundStatus
from wenminghao.reviews.models import Assignment, Criterion, ReviewRound, RoundJudge, Score
from wenminghao.works.models import Work


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "upload-tmp"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "media")}}}


def make_work(campaign, collective, user, *, status="recommended", title=None, category="photo"):
    form = {"photo": "picture", "publicity": "video", "essay": "essay"}[category]
    return Work.objects.create(campaign=campaign, collective=collective, category=category,
                               title=title or f"{collective.name}的作品", display_form=form, contact_name="张联系",
                               contact_phone="13800000000", status=status, created_by=user,
                               essay_text="青年文明号创建实践。" if category == "essay" else "")


@pytest.fixture
def setup(tree, users):
    """A campaign of the city with recommended photo works of collective_a (环翠), collective_sub (环翠楼街道,
    under 环翠) and collective_b (文登); a judge of 环翠区团委, a judge of the city office, a judge without unit."""
    campaign = factories.campaign(office=tree["city"])
    works = {
        "a": make_work(campaign, tree["collective_a"], users["leader_a"], title="窗口里的四十年"),
        "sub": make_work(campaign, tree["collective_sub"], users["leader_a"], title="社区的变迁"),
        "b": make_work(campaign, tree["collective_b"], users["leader_b"], title="供电所的变迁"),
        "b_short": make_work(campaign, tree["collective_b"], users["leader_b"], title="入围作品", status="shortlisted"),
        "b_submitted": make_work(campaign, tree["collective_b"], users["leader_b"], title="未推荐", status="submitted"),
        "b_essay": make_work(campaign, tree["collective_b"], users["leader_b"], title="征文", category="essay"),
    }
    judges = {
        "huancui": factories.account(username="judge_huancui", role=Role.JUDGE, unit=tree["area_a"],
                                     display_name="环翠评委"),
        "city": users["judge"],
        "free": factories.account(username="judge_free", role=Role.JUDGE, display_name="外聘评委"),
    }
    return {"campaign": campaign, "works": works, "judges": judges, **tree, **users}


def open_round(setup, *, blind=True, trim=1, judges=("huancui", "city", "free")):
    city = setup["city_admin"]
    round_ = services.create_round(actor=city, campaign=setup["campaign"], category="photo", name="图片作品集中评议",
                                   is_blind=blind, trim_count=trim)
    services.set_rubric(actor=city, round_=round_, criteria=[
        {"name": name, "weight": weight, "max_score": maximum} for name, weight, maximum in services.DEFAULT_RUBRIC])
    services.set_judges(actor=city, round_=round_, judges=[setup["judges"][key] for key in judges])
    result = services.assign_works(actor=city, round_=round_)
    return round_, result


def full_scores(round_, value="8"):
    return {c.pk: value for c in Criterion.objects.filter(round=round_)}


# --- services ---------------------------------------------------------------------------------------------


def test_create_round_office_admin_only(setup):
    with pytest.raises(NotPermitted):
        services.create_round(actor=setup["unit_admin_a"], campaign=setup["campaign"], category="photo", name="x")
    with pytest.raises(NotPermitted):
        services.create_round(actor=setup["judge"], campaign=setup["campaign"], category="photo", name="x")


def test_create_round_every_violation_listed(setup):
    with pytest.raises(RuleViolationError) as error:
        services.create_round(actor=setup["city_admin"], campaign=setup["campaign"], category="poem", name=" ",
                              trim_count=6)
    assert [v.code for v in error.value.violations] == ["round.category", "round.name", "round.trim_count"]
    assert "现为6" in error.value.violations[2].message
    assert not ReviewRound.objects.exists()


def test_create_round_audited(setup):
    round_ = services.create_round(actor=setup["city_admin"], campaign=setup["campaign"], category="essay",
                                   name="征文评议", is_blind=False, trim_count=0)
    assert (round_.category, round_.is_blind, round_.trim_count, round_.status) == ("essay", False, 0, "open")
    assert AuditEntry.objects.filter(action="round.create", object_id=str(round_.pk)).exists()


def test_set_rubric_violations_per_line(setup):
    round_ = services.create_round(actor=setup["city_admin"], campaign=setup["campaign"], category="photo", name="x")
    with pytest.raises(RuleViolationError) as error:
        services.set_rubric(actor=setup["city_admin"], round_=round_, criteria=[
            {"name": "主题契合", "weight": "0.5", "max_score": "10"},
            {"name": "主题契合", "weight": "0", "max_score": "10"},
            {"name": "", "weight": "0.2", "max_score": "-1"},
        ])
    messages = [v.message for v in error.value.violations]
    assert messages[0] == "第2项“主题契合”：与前面的评分项重名。"
    assert any(m.startswith("第2项“主题契合”：权重应大于0") for m in messages)
    assert "第3项：请填写评分项名称。" in messages
    assert any(m.startswith("第3项：满分应大于0") and "现为-1" in m for m in messages)
    assert not Criterion.objects.filter(round=round_).exists()


def test_set_rubric_refused_once_scored(setup):
    round_, _ = open_round(setup)
    assignment = Assignment.objects.filter(round=round_, judge=setup["judges"]["city"]).first()
    services.save_scores(actor=setup["judges"]["city"], assignment=assignment, scores=full_scores(round_))
    with pytest.raises(RuleViolationError) as error:
        services.set_rubric(actor=setup["city_admin"], round_=round_, criteria=[
            {"name": "总分", "weight": "1", "max_score": "100"}])
    assert error.value.violations[0].code == "rubric.scored"
    assert Criterion.objects.filter(round=round_).count() == 4


def test_set_judges_refuses_non_judges_and_removing_a_judge_who_scored(setup):
    round_, _ = open_round(setup)
    with pytest.raises(RuleViolationError) as error:
        services.set_judges(actor=setup["city_admin"], round_=round_, judges=[setup["unit_admin_a"]])
    assert "“huancui”不是评委账号" in error.value.violations[0].message
    judge = setup["judges"]["free"]
    assignment = Assignment.objects.filter(round=round_, judge=judge).first()
    services.save_scores(actor=judge, assignment=assignment, scores=full_scores(round_))
    with pytest.raises(RuleViolationError) as error:
        services.set_judges(actor=setup["city_admin"], round_=round_, judges=[setup["judges"]["city"]])
    assert error.value.violations[0].message == "评委“judge_free”已经打分，不能从本轮移除。"
    # a judge without scores can be taken off: their assignments go with them
    services.set_judges(actor=setup["city_admin"], round_=round_,
                        judges=[setup["judges"]["city"], setup["judges"]["free"]])
    assert not Assignment.objects.filter(round=round_, judge=setup["judges"]["huancui"]).exists()
    assert not RoundJudge.objects.filter(round=round_, judge=setup["judges"]["huancui"]).exists()


def test_assign_works_skips_conflicts_of_interest(setup):
    round_, result = open_round(setup)
    works, judges = setup["works"], setup["judges"]
    pairs = set(Assignment.objects.filter(round=round_).values_list("work_id", "judge_id"))
    photo = [works["a"], works["sub"], works["b"], works["b_short"]]
    # the city's judge and the judge without a unit get every recommended or shortlisted photo work
    for key in ("city", "free"):
        assert {w for w, j in pairs if j == judges[key].pk} == {w.pk for w in photo}
    # the judge of 环翠区团委 never gets a work of 环翠区 (nor of the street unit below it)
    assert {w for w, j in pairs if j == judges["huancui"].pk} == {works["b"].pk, works["b_short"].pk}
    assert {(w.pk, j.pk) for w, j in result["skipped"]} == {(works["a"].pk, judges["huancui"].pk),
                                                            (works["sub"].pk, judges["huancui"].pk)}
    assert result["created"] == 10
    # again: nothing new, the same conflicts reported
    again = services.assign_works(actor=setup["city_admin"], round_=round_)
    assert again["created"] == 0 and len(again["skipped"]) == 2
    assert Assignment.objects.filter(round=round_).count() == 10


def test_assign_works_without_judges_or_works_says_why(setup):
    round_ = services.create_round(actor=setup["city_admin"], campaign=setup["campaign"], category="publicity",
                                   name="宣传作品")
    with pytest.raises(RuleViolationError) as error:
        services.assign_works(actor=setup["city_admin"], round_=round_)
    assert [v.code for v in error.value.violations] == ["round.no_judges", "round.no_works"]


@pytest.mark.parametrize(("value", "code"), [
    ("-1", "score.range"), ("10.01", "score.range"), ("11", "score.range"), ("8.555", "score.precision"),
    ("abc", "score.number"), ("", "score.missing"), ("NaN", "score.range"),
])
def test_save_scores_bounds(setup, value, code):
    round_, _ = open_round(setup)
    judge = setup["judges"]["city"]
    assignment = Assignment.objects.filter(round=round_, judge=judge).first()
    scores = full_scores(round_)
    first = Criterion.objects.filter(round=round_).first()
    scores[first.pk] = value
    with pytest.raises(RuleViolationError) as error:
        services.save_scores(actor=judge, assignment=assignment, scores=scores)
    assert [v.code for v in error.value.violations] == [code]
    assert "主题契合" in error.value.violations[0].message
    assert not Score.objects.filter(assignment=assignment).exists()


def test_save_scores_limits_accepted_and_revisable_until_close(setup):
    round_, _ = open_round(setup)
    judge = setup["judges"]["city"]
    assignment = Assignment.objects.filter(round=round_, judge=judge).first()
    criteria = list(Criterion.objects.filter(round=round_))
    scores = {criteria[0].pk: "0", criteria[1].pk: "10", criteria[2].pk: "9.5", criteria[3].pk: "7.25"}
    services.save_scores(actor=judge, assignment=assignment, scores=scores, comment="构图不错")
    assert dict(Score.objects.filter(assignment=assignment).values_list("criterion_id", "value")) == {
        criteria[0].pk: D("0"), criteria[1].pk: D("10"), criteria[2].pk: D("9.5"), criteria[3].pk: D("7.25")}
    services.save_scores(actor=judge, assignment=assignment, scores=full_scores(round_, "6"), comment="再看一遍")
    assignment.refresh_from_db()
    assert assignment.comment == "再看一遍"
    assert set(Score.objects.filter(assignment=assignment).values_list("value", flat=True)) == {D("6")}
    assert Score.objects.filter(assignment=assignment).count() == 4
    services.close_round(actor=setup["city_admin"], round_=round_)
    with pytest.raises(RuleViolationError) as error:
        services.save_scores(actor=judge, assignment=assignment, scores=full_scores(round_, "9"))
    assert error.value.violations[0].code == "round.closed"
    assert set(Score.objects.filter(assignment=assignment).values_list("value", flat=True)) == {D("6")}
    with pytest.raises(RuleViolationError):
        services.close_round(actor=setup["city_admin"], round_=round_)


def test_save_scores_only_the_assigned_judge(setup):
    round_, _ = open_round(setup)
    assignment = Assignment.objects.filter(round=round_, judge=setup["judges"]["city"]).first()
    for actor in (setup["judges"]["free"], setup["city_admin"], setup["leader_b"]):
        with pytest.raises(NotPermitted):
            services.save_scores(actor=actor, assignment=assignment, scores=full_scores(round_))


def test_save_scores_refused_for_a_conflicted_assignment(setup):
    """Even an assignment made behind the services' back (or before the judge moved unit) is never scored."""
    round_, _ = open_round(setup)
    judge = setup["judges"]["huancui"]
    stale = Assignment.objects.create(round=round_, work=setup["works"]["a"], judge=judge)
    with pytest.raises(NotPermitted):
        services.save_scores(actor=judge, assignment=stale, scores=full_scores(round_))


def test_close_round_office_admin_only(setup):
    round_, _ = open_round(setup)
    with pytest.raises(NotPermitted):
        services.close_round(actor=setup["unit_admin_a"], round_=round_)
    services.close_round(actor=setup["city_admin"], round_=round_)
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED and round_.closed_at is not None


# --- judge pages ------------------------------------------------------------------------------------------


def test_conflicted_judge_never_sees_own_units_work(setup, signed_in):
    round_, _ = open_round(setup)
    judge = setup["judges"]["huancui"]
    stale = Assignment.objects.create(round=round_, work=setup["works"]["a"], judge=judge)
    client = signed_in(judge)
    assert client.get(reverse("reviews:judge_assignment", args=[stale.pk])).status_code == 404
    assert client.post(reverse("reviews:judge_assignment", args=[stale.pk]), {}).status_code == 404
    home = client.get(reverse("reviews:judge_home")).content.decode()
    assert "窗口里的四十年" not in home and "社区的变迁" not in home
    assert "供电所的变迁" in home


def test_judge_sees_only_own_assignments(setup, signed_in):
    round_, _ = open_round(setup)
    other = Assignment.objects.filter(round=round_, judge=setup["judges"]["free"]).first()
    client = signed_in(setup["judges"]["city"])
    assert client.get(reverse("reviews:judge_assignment", args=[other.pk])).status_code == 404
    for user in (setup["city_admin"], setup["unit_admin_b"], setup["leader_b"]):
        response = signed_in(user).get(reverse("reviews:judge_assignment", args=[other.pk]))
        assert response.status_code == 404


def test_blind_round_pages_never_name_the_collective_or_unit(setup, signed_in):
    round_, _ = open_round(setup, blind=True)
    judge = setup["judges"]["city"]
    work = setup["works"]["b"]
    picture = factories_picture(work, setup["leader_b"], name="文登区供电所-合影.jpg")
    assignment = Assignment.objects.get(round=round_, judge=judge, work=work)
    client = signed_in(judge)
    pages = [client.get(reverse("reviews:judge_home")), client.get(reverse("reviews:judge_assignment",
                                                                           args=[assignment.pk]))]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        for name in ("文登区供电所", "文登区团委", "环翠区政务服务中心窗口", "环翠区团委", "环翠楼社区服务站", "张联系",
                     "13800000000"):
            assert name not in text, name
    assert "作品 #3" in pages[1].content.decode()
    # the file itself comes under a neutral name
    response = client.get(reverse("works:file", args=[work.pk, picture.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert "文登" not in response["Content-Disposition"]
    assert "%E6%96%87%E7%99%BB" not in response["Content-Disposition"]  # 文登, percent-encoded


def test_open_round_pages_name_the_collective(setup, signed_in):
    round_, _ = open_round(setup, blind=False)
    assignment = Assignment.objects.get(round=round_, judge=setup["judges"]["city"], work=setup["works"]["b"])
    text = signed_in(setup["judges"]["city"]).get(reverse("reviews:judge_assignment", args=[assignment.pk]))
    assert "文登区供电所（文登区团委）" in text.content.decode()


def factories_picture(work, actor, *, name):
    from wenminghao.works.models import WorkFile
    from wenminghao.works.services import add_work_file

    Work.objects.filter(pk=work.pk).update(status="draft")
    work.refresh_from_db()
    item = add_work_file(actor=actor, work=work, upload=upload(name, jpeg(seed=7)))
    Work.objects.filter(pk=work.pk).update(status="recommended")
    return WorkFile.objects.get(pk=item.pk)


def test_judge_file_access_only_for_assigned_works(setup, signed_in):
    round_, _ = open_round(setup)
    picture = factories_picture(setup["works"]["a"], setup["leader_a"], name="照片.jpg")
    url = reverse("works:file", args=[setup["works"]["a"].pk, picture.pk])
    assert signed_in(setup["judges"]["huancui"]).get(url).status_code == 404  # conflict: never assigned
    response = signed_in(setup["judges"]["free"]).get(url)
    assert response.status_code == 200
    b"".join(response.streaming_content)
    services.close_round(actor=setup["city_admin"], round_=round_)
    response = signed_in(setup["judges"]["free"]).get(url)  # closed rounds stay readable
    assert response.status_code == 200
    b"".join(response.streaming_content)


def test_judge_scores_on_the_page_and_revises_until_close(setup, signed_in):
    round_, _ = open_round(setup)
    judge = setup["judges"]["city"]
    assignment = Assignment.objects.get(round=round_, judge=judge, work=setup["works"]["b"])
    url = reverse("reviews:judge_assignment", args=[assignment.pk])
    client = signed_in(judge)
    criteria = list(Criterion.objects.filter(round=round_))
    body = {f"criterion_{c.pk}": "8" for c in criteria} | {"comment": "主题鲜明"}
    response = client.post(url, body)
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "您的得分：<span class=\"fw-semibold\">80.00</span>" in page
    assert "主题鲜明" in page
    body[f"criterion_{criteria[0].pk}"] = "12"
    response = client.post(url, body)
    assert response.status_code == 422
    assert "“主题契合”的得分应在0到10分之间，现为12。" in response.content.decode()
    assert Score.objects.get(assignment=assignment, criterion=criteria[0]).value == D("8")
    services.close_round(actor=setup["city_admin"], round_=round_)
    body[f"criterion_{criteria[0].pk}"] = "9"
    response = client.post(url, body)
    assert response.status_code == 422
    assert "已结束，不能再修改评分" in response.content.decode()
    assert Score.objects.get(assignment=assignment, criterion=criteria[0]).value == D("8")
    page = client.get(url).content.decode()
    assert "本轮评审已结束" in page and 'data-testid="score-form"' not in page


def test_judge_home_query_count_constant(setup, signed_in, django_assert_num_queries):
    round_, _ = open_round(setup, judges=("huancui",))
    client = signed_in(setup["judges"]["huancui"])
    client.get(reverse("reviews:judge_home"))
    with django_assert_num_queries(9) as few:  # session, user, unread, panels, rounds, counts, count, rows
        assert client.get(reverse("reviews:judge_home")).status_code == 200
    for index in range(3):
        work = make_work(setup["campaign"], setup["collective_b"], setup["leader_b"], title=f"更多{index}")
        Assignment.objects.create(round=round_, work=work, judge=setup["judges"]["huancui"])
    with django_assert_num_queries(len(few.captured_queries)):
        assert client.get(reverse("reviews:judge_home")).status_code == 200


# --- city pages -------------------------------------------------------------------------------------------


def test_round_pages_flow(setup, signed_in):
    client = signed_in(setup["city_admin"])
    campaign = setup["campaign"]
    assert client.get(reverse("reviews:round_create", args=[campaign.pk])).status_code == 200
    response = client.post(reverse("reviews:round_create", args=[campaign.pk]),
                           {"category": "photo", "name": "图片作品集中评议", "is_blind": "on", "trim_count": 1})
    round_ = ReviewRound.objects.get()
    assert response["Location"] == reverse("reviews:round_rubric", args=[round_.pk])
    rubric = client.get(response["Location"]).content.decode()
    for name in ("主题契合", "原创性", "表现力", "示范推广价值"):
        assert f'value="{name}"' in rubric
    body = {"form-TOTAL_FORMS": 3, "form-INITIAL_FORMS": 0,
            "form-0-name": "主题契合", "form-0-weight": "0.6", "form-0-max_score": "10",
            "form-1-name": "表现力", "form-1-weight": "0.4", "form-1-max_score": "20",
            "form-2-name": "", "form-2-weight": "", "form-2-max_score": ""}
    assert client.post(reverse("reviews:round_rubric", args=[round_.pk]), body).status_code == 302
    assert list(Criterion.objects.filter(round=round_).values_list("name", "max_score")) == [
        ("主题契合", D("10")), ("表现力", D("20"))]
    judges = setup["judges"]
    response = client.post(reverse("reviews:round_judges", args=[round_.pk]),
                           {"judges": [judges["huancui"].pk, judges["city"].pk]})
    assert response.status_code == 302
    client.post(reverse("reviews:round_assign", args=[round_.pk]))
    detail = client.get(reverse("reviews:round_detail", args=[round_.pk])).content.decode()
    assert "回避（未分配）：2 份" in detail
    assert "评委所在单位“环翠区团委”含该作品的创作集体" in detail
    assert "已评 0 / 应评 6" in detail
    results = client.get(reverse("reviews:round_results", args=[round_.pk]))
    assert results.status_code == 200
    assert "窗口里的四十年" in results.content.decode()
    assert client.post(reverse("reviews:round_close", args=[round_.pk])).status_code == 302
    round_.refresh_from_db()
    assert round_.status == RoundStatus.CLOSED


def test_rubric_page_lists_every_bad_line(setup, signed_in):
    round_ = services.create_round(actor=setup["city_admin"], campaign=setup["campaign"], category="photo", name="x")
    body = {"form-TOTAL_FORMS": 2, "form-INITIAL_FORMS": 0,
            "form-0-name": "原创性", "form-0-weight": "0", "form-0-max_score": "10",
            "form-1-name": "原创性", "form-1-weight": "1", "form-1-max_score": "10"}
    response = signed_in(setup["city_admin"]).post(reverse("reviews:round_rubric", args=[round_.pk]), body)
    assert response.status_code == 422
    text = response.content.decode()
    assert "第1项“原创性”：权重应大于0" in text and "第2项“原创性”：与前面的评分项重名。" in text


def test_round_list_query_count_constant(setup, signed_in, django_assert_num_queries):
    client = signed_in(setup["city_admin"])
    url = reverse("reviews:round_list", args=[setup["campaign"].pk])
    services.create_round(actor=setup["city_admin"], campaign=setup["campaign"], category="photo", name="第1轮")
    client.get(url)
    with django_assert_num_queries(6) as one:
        assert client.get(url).status_code == 200
    for index in range(2, 5):
        open_round(setup) if index == 2 else services.create_round(
            actor=setup["city_admin"], campaign=setup["campaign"], category="essay", name=f"第{index}轮")
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("data-testid=\"round-table\"") == 1
    assert "图片作品集中评议" in response.content.decode()


def test_round_results_page_query_count_constant(setup, signed_in, django_assert_num_queries):
    round_, _ = open_round(setup, judges=("free",))
    client = signed_in(setup["city_admin"])
    url = reverse("reviews:round_results", args=[round_.pk])
    first = Assignment.objects.filter(round=round_).select_related("judge").first()
    services.save_scores(actor=first.judge, assignment=first, scores=full_scores(round_))  # something to rank
    client.get(url)
    with django_assert_num_queries(12) as few:
        assert client.get(url).status_code == 200
    services.set_judges(actor=setup["city_admin"], round_=round_,
                        judges=[setup["judges"]["free"], setup["judges"]["city"], setup["judges"]["huancui"]])
    services.assign_works(actor=setup["city_admin"], round_=round_)
    for assignment in Assignment.objects.filter(round=round_).select_related("judge"):
        if assignment.judge.username != "judge_huancui":
            services.save_scores(actor=assignment.judge, assignment=assignment, scores=full_scores(round_))
    with django_assert_num_queries(len(few.captured_queries)):
        text = client.get(url).content.decode()
    assert text.count('data-testid="rank">1<') == 4  # four works, all 80.00: a four-way tie


def test_round_pages_forbidden_to_others(setup, signed_in):
    round_, _ = open_round(setup)
    for user, status in ((setup["unit_admin_a"], 403), (setup["judge"], 403), (setup["leader_a"], 403)):
        client = signed_in(user)
        assert client.get(reverse("reviews:round_detail", args=[round_.pk])).status_code == status
        assert client.get(reverse("reviews:round_list", args=[setup["campaign"].pk])).status_code == status
    other_city = factories.unit(name="烟台市团委", kind="city")
    other_admin = factories.account(username="yantai", role=Role.CITY_ADMIN, unit=other_city)
    assert signed_in(other_admin).get(reverse("reviews:round_detail", args=[round_.pk])).status_code == 404


def test_round_decisions_showcase_forward_and_undo(setup, signed_in):
    """优秀展示 / 推报团省委 and their undo through works.transitions.change_work_status (audited)."""
    round_, _ = open_round(setup)
    work = setup["works"]["b"]
    client = signed_in(setup["city_admin"])
    url = reverse("reviews:round_decide", args=[round_.pk, work.pk])
    for to_status in ("showcased", "forwarded", "showcased", "shortlisted"):
        before = AuditEntry.objects.count()
        assert client.post(url, {"to_status": to_status}).status_code == 302
        work.refresh_from_db()
        assert work.status == to_status
        assert AuditEntry.objects.count() > before
    # a work not in the round
    other = reverse("reviews:round_decide", args=[round_.pk, setup["works"]["b_essay"].pk])
    assert client.post(other, {"to_status": "showcased"}).status_code == 404
    assert signed_in(setup["unit_admin_b"]).post(url, {"to_status": "showcased"}).status_code == 403


def test_judges_are_told_how_many_works_they_have(setup):
    from wenminghao.core.models import Notification

    open_round(setup)
    messages = dict(Notification.objects.values_list("recipient__username", "message"))
    # 4 photo works recommended or shortlisted; 环翠's judge never gets 环翠's two
    assert "分配了4件评审作品" in messages["judge"] and "分配了2件评审作品" in messages["judge_huancui"]
    services.assign_works(actor=setup["city_admin"], round_=ReviewRound.objects.get())  # nothing new: no message
    assert Notification.objects.count() == 3
