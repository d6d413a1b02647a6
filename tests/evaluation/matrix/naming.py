"""Permission matrix rows of naming and titles: every admin under or above the office reads a campaign's namings (its
own subtree's) and the 命名名单; only the office running the campaign names (unit admins 403); collectives and judges
get 404 on the naming pages. A title is seen by the admins above its collective and by the collective's own accounts
(read-only); only the office that named it reviews, warns and revokes (the others who see it: 403). The eligibility
check is for who may see the collective.

Objects (``add_world``): filing_a and filing_b accepted by their units; collective_a named in the campaign by the
city (honour_a, its title, valid: no term); collective_b left to be named by the rows that name."""

import datetime

from django.utils import timezone

from tests.permission_matrix_data import ADMIN_SECTION, NOBODY, Body, Done, line
from wenminghao.campaigns.services import decide_filing
from wenminghao.evaluation.services import naming

ROUTES = {"evaluation:namings", "evaluation:naming_list_docx", "evaluation:naming_list_xlsx", "evaluation:titles",
          "evaluation:title", "evaluation:title_review", "evaluation:title_warn", "evaluation:title_revoke",
          "/collectives/{collective_id}/eligibility", "/campaigns/{campaign_id}/namings", "/honours/{honour_id}/revoke"}
KEYS = {"honour_a"}

CITY_NAMES = (302, Done(302), 403, 403, 404, 404, 404, 404)
TITLES = (302, 200, 200, 200, 200, 200, 200, 404)
TITLE_A_SEE = (302, 200, 200, 404, 200, 200, 404, 404)
TITLE_A_DO = (302, Done(302), 403, 404, 403, 403, 404, 404)

NAME_B = Body("collectives=[collective_b]", lambda world, role: {"collectives": [world["collective_b"].pk]})
REVIEW = Body("review", lambda world, role: {"year": timezone.localdate().year, "result": "passed",
                                             "reason": "台账齐全，标识、服务承诺和监督电话均已公示"})
WARN = Body("warning", lambda world, role: {
    "reason": "监督电话未公示", "fix_by": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()})
REVOKE = Body("reason", lambda world, role: {"reason": "经核实的群众投诉"})

PAGE_ROWS = [
    *line("GET", "evaluation:namings", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:namings", "campaign", ADMIN_SECTION, query={"show": "named"}),
    *line("GET", "evaluation:namings", "campaign_other_city", NOBODY),
    *line("POST", "evaluation:namings", "campaign", CITY_NAMES, body=NAME_B),
    *line("POST", "evaluation:namings", "campaign_other_city", NOBODY, body=NAME_B),
    *line("GET", "evaluation:naming_list_docx", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:naming_list_xlsx", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:naming_list_xlsx", "campaign_other_city", NOBODY),
    *line("GET", "evaluation:titles", None, TITLES),
    *line("GET", "evaluation:titles", None, TITLES, query={"state": "valid", "level": "city"}),
    *line("GET", "evaluation:title", "honour_a", TITLE_A_SEE),
    *line("POST", "evaluation:title_review", "honour_a", TITLE_A_DO, body=REVIEW),
    *line("POST", "evaluation:title_warn", "honour_a", TITLE_A_DO, body=WARN),
    *line("POST", "evaluation:title_revoke", "honour_a", TITLE_A_DO, body=REVOKE),
]
API_ROWS = [
    *line("GET", "/collectives/{collective_id}/eligibility", "collective_a", (401, 200, 200, 404, 200, 200, 404, 404),
          query={"campaign": "campaign"}),
    *line("GET", "/collectives/{collective_id}/eligibility", "collective_b", (401, 200, 404, 200, 404, 404, 200, 404),
          query={"campaign": "campaign"}),
    *line("GET", "/collectives/{collective_id}/eligibility", "collective_a", (401, 404, 404, 404, 404, 404, 404, 404),
          query={"campaign": "campaign_other_city"}),
    # the matrix's judge sits in the city's office unit: it sees the city's campaigns, may not name
    *line("POST", "/campaigns/{campaign_id}/namings", "campaign", (401, Done(200), 403, 403, 403, 403, 403, 403),
          body=NAME_B),
    *line("POST", "/campaigns/{campaign_id}/namings", "campaign_other_city",
          (401, 404, 404, 404, 404, 404, 404, 404), body=NAME_B),
    *line("POST", "/honours/{honour_id}/revoke", "honour_a", (401, Done(200), 403, 404, 403, 403, 404, 404),
          body=REVOKE),
]


def applies(row) -> bool:
    return row.route in ROUTES or bool(KEYS & set(row.obj))


def add_world(objects, settings, tmp_path) -> None:
    # The matrix campaign is of 2018: with the default term its titles would have expired (2021), and an expired
    # title takes no review nor warning. No term here, so that honour_a is valid.
    settings.WMH_TITLE_TERM_YEARS = {**settings.WMH_TITLE_TERM_YEARS, "city": 0}
    for area in ("a", "b"):
        objects[f"filing_{area}"] = decide_filing(actor=objects[f"unit_admin_{area}"], filing=objects[f"filing_{area}"],
                                                  accept=True)
    named = naming.name_collectives(actor=objects["city_admin"], campaign=objects["campaign"],
                                    collectives=[objects["collective_a"]])
    objects["honour_a"] = named[0].honour
