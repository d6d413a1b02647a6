"""The indicator dashboard (指标看板) in the permission matrix: the admins of a unit and of the units above it
(the city) see its dashboard and download its .xlsx; a unit outside their subtree, a campaign of another city, and
every page for collectives and judges answer 404. The home page sends an admin to the dashboard of the newest
campaign with creating collectives in their subtree (the world's campaign has collective_a's and collective_b's
filings)."""

from tests.permission_matrix_data import line

NOBODY = (302, 404, 404, 404, 404, 404, 404, 404)
ADMINS = (302, 200, 200, 200, 404, 404, 404, 404)
AREA_A = (302, 200, 200, 404, 404, 404, 404, 404)
AREA_B = (302, 200, 404, 200, 404, 404, 404, 404)
CITY = (302, 200, 404, 404, 404, 404, 404, 404)


def _unit_rows(route: str) -> list:
    return [
        *line("GET", route, "campaign", ADMINS),
        *line("GET", route, "campaign", CITY, query={"unit": "city"}),
        *line("GET", route, "campaign", AREA_A, query={"unit": "area_a"}),
        *line("GET", route, "campaign", AREA_A, query={"unit": "sub_a"}),
        *line("GET", route, "campaign", AREA_B, query={"unit": "area_b"}),
        *line("GET", route, "campaign", NOBODY, query={"unit": "other_city"}),
        *line("GET", route, "campaign_other_city", NOBODY),
    ]


PAGE_ROWS: list = [
    *line("GET", "evaluation:home", None, (302, 302, 302, 302, 404, 404, 404, 404)),
    *_unit_rows("evaluation:dashboard"),
    *_unit_rows("evaluation:dashboard_xlsx"),
]
API_ROWS: list = []  # the dashboard has no API of its own: GET /units/{id}/indicators is the ledger's rows


def applies(row) -> bool:
    return False  # the world's campaign, filings and units are all these rows need


def add_world(objects, settings, tmp_path) -> None:
    pass
