"""Permission matrix rows of leader training, exchange visits and new-and-old pairs: the admins of the units taking
part in the campaign see its pages and record their own; a training's attendees are ticked, and a pair ended, by the
unit that recorded it and the units above (another admin who sees it: 403); collectives and judges get 404 on every
page (a collective reads its own part on its page's panel).

Objects (``add_world``): collective_sub files too (so huancui has two creating collectives); training_city (by the
city; collective_a's and collective_b's leaders attended), training_a (by huancui; collective_a's leader),
exchange_a (by huancui: collective_sub hosts collective_a), pair_a (by huancui: collective_sub guides collective_a),
pair_city (by the city: collective_sub guides collective_b)."""

from tests.permission_matrix_data import ADMIN_SECTION, EMPTY, NOBODY, Body, Done, line
from wenminghao.campaigns.services import file_creation
from wenminghao.evaluation.services import development

DAY = "2018-06-01"  # inside the matrix campaign (2018) and before today
ADMINS_DO = (302, Done(302), Done(302), Done(302), 404, 404, 404, 404)
UNIT_A = (302, 200, 200, 404, 404, 404, 404, 404)
UNIT_A_DO = (302, Done(302), Done(302), 404, 404, 404, 404, 404)
CITY_ONLY_DO = (302, Done(302), 403, 403, 404, 404, 404, 404)
# huancui's collectives are outside wendeng's subtree: the form comes back (422) with the reasons, nothing recorded.
OUTSIDE_FOR_B = (302, Done(302), Done(302), 422, 404, 404, 404, 404)

TRAINING = Body("training", lambda world, role: {"date": DAY, "title": "号长培训班", "place": "团市委会议室",
                                                  "content": "台账填报要求"})
UNTICK_A = Body("untick collective_a", lambda world, role: {"shown": [world["collective_a"].pk]})
EXCHANGE = Body("collective_sub hosts collective_a", lambda world, role: {
    "date": DAY, "topic": "窗口服务观摩", "host": world["collective_sub"].pk, "visitors": [world["collective_a"].pk]})
PAIR = Body("collective_a guides collective_sub", lambda world, role: {
    "mentor": world["collective_a"].pk, "mentee": world["collective_sub"].pk, "started": DAY})

PAGE_ROWS = [
    *line("GET", "evaluation:trainings", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:trainings", "campaign", ADMIN_SECTION, query={"show": "leaders", "trained": "untrained"}),
    *line("GET", "evaluation:trainings", "campaign_other_city", NOBODY),
    *line("GET", "evaluation:training_new", "campaign", ADMIN_SECTION),
    *line("POST", "evaluation:training_new", "campaign", ADMINS_DO, body=TRAINING),
    *line("POST", "evaluation:training_new", "campaign_other_city", NOBODY, body=TRAINING),
    *line("GET", "evaluation:training", "training_a", UNIT_A),
    *line("GET", "evaluation:training", "training_city", ADMIN_SECTION),
    *line("POST", "evaluation:training", "training_a", UNIT_A_DO, body=UNTICK_A),
    *line("POST", "evaluation:training", "training_city", CITY_ONLY_DO, body=UNTICK_A),
    *line("GET", "evaluation:exchanges", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:exchange_new", "campaign", ADMIN_SECTION),
    *line("POST", "evaluation:exchange_new", "campaign", OUTSIDE_FOR_B, body=EXCHANGE),
    *line("GET", "evaluation:exchange", "exchange_a", UNIT_A),
    *line("GET", "evaluation:mentor_pairs", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:mentor_pair_new", "campaign", ADMIN_SECTION),
    *line("POST", "evaluation:mentor_pair_new", "campaign", OUTSIDE_FOR_B, body=PAIR),
    *line("POST", "evaluation:mentor_pair_delete", "pair_a", UNIT_A_DO, body=EMPTY),
    *line("POST", "evaluation:mentor_pair_delete", "pair_city", CITY_ONLY_DO, body=EMPTY),
    *line("GET", "evaluation:collective_options", "campaign", ADMIN_SECTION, query={"field": "host", "q": "环翠"}),
    *line("GET", "evaluation:collective_options", "campaign_other_city", NOBODY, query={"field": "host"}),
]
API_ROWS: list = []

KEYS = {"training_a", "training_city", "exchange_a", "pair_a", "pair_city"}
ROUTES = {"evaluation:trainings", "evaluation:training_new", "evaluation:training", "evaluation:exchanges",
          "evaluation:exchange_new", "evaluation:exchange", "evaluation:mentor_pairs", "evaluation:mentor_pair_new",
          "evaluation:mentor_pair_delete", "evaluation:collective_options"}


def applies(row) -> bool:
    return row.route in ROUTES or bool(KEYS & set(row.obj))


def add_world(objects, settings, tmp_path) -> None:
    campaign, city, huancui = objects["campaign"], objects["city_admin"], objects["unit_admin_a"]
    file_creation(actor=city, collective=objects["collective_sub"], campaign=campaign)
    a, b, sub = objects["collective_a"], objects["collective_b"], objects["collective_sub"]
    objects["training_city"] = development.create_training(actor=city, campaign=campaign,
                                                           data={"date": DAY, "title": "全市号长培训"})
    development.set_training_attendance(actor=city, session=objects["training_city"], shown=[], attended=[a, b])
    objects["training_a"] = development.create_training(actor=huancui, campaign=campaign,
                                                        data={"date": DAY, "title": "环翠区号长培训"})
    development.set_training_attendance(actor=huancui, session=objects["training_a"], shown=[], attended=[a])
    objects["exchange_a"] = development.create_exchange_visit(actor=huancui, campaign=campaign, data={
        "date": DAY, "topic": "社区服务观摩", "host": sub.pk, "visitors": [a.pk]})
    objects["pair_a"] = development.create_mentor_pair(actor=huancui, campaign=campaign, data={
        "mentor": sub.pk, "mentee": a.pk, "started": DAY})
    objects["pair_city"] = development.create_mentor_pair(actor=city, campaign=campaign, data={
        "mentor": sub.pk, "mentee": b.pk, "started": DAY})
