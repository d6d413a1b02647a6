"""Permission matrix rows of reminders (催办提醒): unit and city admins open the page of a campaign they see for
their own subtree (another unit's: 404) and send; a reminder's page is for the admins of the unit that sent it and of
the units above; collectives (who receive reminders in their messages) and judges get 404 everywhere.

Objects (``add_world``): reminder_a, huancui's reminder about 青年大学习 to area_a's creating collectives, sent just
now, so that huancui's (or the city's) same reminder is refused as a double submit (422, nothing sent)."""

from tests.permission_matrix_data import ADMIN_SECTION, NOBODY, Body, Done, line
from wenminghao.evaluation.services.reminders import send_reminder

OWN_UNITS = {"city_admin": "city", "unit_admin_a": "area_a", "unit_admin_b": "area_b"}


def _reminder(unit_key: str | None, activity: str):
    """The page's form: the role's own unit (or ``unit_key``), ``activity`` and a message."""

    def build(world, role):
        unit = world[unit_key or OWN_UNITS.get(role, "city")]
        return {"unit": unit.pk, "activity": activity, "message": "请尽快开展并记录本项活动。"}

    return Body(f"{unit_key or 'own unit'} {activity}", build)


PAGE_ROWS = [
    *line("GET", "evaluation:reminders", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:reminders", "campaign", ADMIN_SECTION, query={"activity": "families"}),
    *line("GET", "evaluation:reminders", "campaign", (302, 200, 404, 200, 404, 404, 404, 404),
          query={"unit": "area_b"}),
    *line("GET", "evaluation:reminders", "campaign_other_city", NOBODY),
    *line("POST", "evaluation:reminders", "campaign", (302, Done(302), Done(302), Done(302), 404, 404, 404, 404),
          body=_reminder(None, "open_week")),
    *line("POST", "evaluation:reminders", "campaign", (302, Done(302), 404, Done(302), 404, 404, 404, 404),
          body=_reminder("area_b", "open_week")),
    # sent a moment ago by huancui: a double submit, refused with its reason and nothing sent
    *line("POST", "evaluation:reminders", "campaign", (302, 422, 422, 404, 404, 404, 404, 404),
          body=_reminder("area_a", "study")),
    *line("POST", "evaluation:reminders", "campaign_other_city", NOBODY, body=_reminder(None, "open_week")),
    *line("GET", "evaluation:reminder", "reminder_a", (302, 200, 200, 404, 404, 404, 404, 404)),
]
API_ROWS: list = []

ROUTES = {"evaluation:reminders", "evaluation:reminder"}


def applies(row) -> bool:
    return row.route in ROUTES or "reminder_a" in row.obj


def add_world(objects, settings, tmp_path) -> None:
    objects["reminder_a"] = send_reminder(actor=objects["unit_admin_a"], campaign=objects["campaign"],
                                          unit=objects["area_a"], activity="study", message="请记录青年大学习。")
