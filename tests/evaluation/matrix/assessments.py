"""Permission matrix rows of the central evaluation (集中评议): every admin who sees the campaign sees the ranking of
its subtree and the pages of its own creating collectives, read-only; only the office running the campaign sets the
weights and scores (a unit admin who sees the page: 403); collectives and judges get 404 on every page, and so does
an admin for a collective outside its subtree or not creating in the campaign.

Objects: none of its own; the world's ``campaign`` has collective_a's and collective_b's filings (pending), and
``campaign_unfiled`` none."""

from tests.permission_matrix_data import ADMIN_SECTION, EMPTY, NOBODY, Body, Done, line

OFFICE_ONLY = (302, 200, 403, 403, 404, 404, 404, 404)
OFFICE_ONLY_DO = (302, Done(302), 403, 403, 404, 404, 404, 404)
SEE_A = (302, 200, 200, 404, 404, 404, 404, 404)
SEE_B = (302, 200, 404, 200, 404, 404, 404, 404)
SCORE_A = (302, Done(302), 403, 404, 404, 404, 404, 404)

WEIGHTS = Body("weights 30/20/20/15/15", lambda world, role: {
    "benchmark": "30", "study": "20", "families": "20", "open_week": "15", "works": "15"})
WEIGHTS_WRONG_SUM = Body("weights summing to 110", lambda world, role: {
    "benchmark": "30", "study": "20", "families": "20", "open_week": "20", "works": "20"})
ACCEPT = Body("accept the suggestion", lambda world, role: {"accept": "1"})
ADJUSTED = Body("score 88 with a reason", lambda world, role: {"score": "88", "reason": "实地考察表现突出"})
NO_REASON = Body("score 88 without a reason", lambda world, role: {"score": "88", "reason": ""})

PAGE_ROWS = [
    *line("GET", "evaluation:assessments", "campaign", ADMIN_SECTION),
    *line("GET", "evaluation:assessments", "campaign", SEE_A, query={"unit": "area_a"}),
    *line("GET", "evaluation:assessments", "campaign", (302, 200, 200, 404, 404, 404, 404, 404),
          query={"unit": "sub_a"}),
    *line("GET", "evaluation:assessments", "campaign_other_city", NOBODY),
    *line("GET", "evaluation:assessment_weights", "campaign", OFFICE_ONLY),
    *line("GET", "evaluation:assessment_weights", "campaign_other_city", NOBODY),
    *line("POST", "evaluation:assessment_weights", "campaign", OFFICE_ONLY_DO, body=WEIGHTS),
    *line("POST", "evaluation:assessment_weights", "campaign", (302, 422, 403, 403, 404, 404, 404, 404),
          body=WEIGHTS_WRONG_SUM),
    *line("GET", "evaluation:assess", ("campaign", "collective_a"), SEE_A),
    *line("GET", "evaluation:assess", ("campaign", "collective_b"), SEE_B),
    *line("GET", "evaluation:assess", ("campaign", "collective_sub"), NOBODY),  # no filing: not creating
    *line("GET", "evaluation:assess", ("campaign_unfiled", "collective_a"), NOBODY),
    *line("POST", "evaluation:assess", ("campaign", "collective_a"), SCORE_A, body=ACCEPT),
    *line("POST", "evaluation:assess", ("campaign", "collective_a"), SCORE_A, body=ADJUSTED),
    *line("POST", "evaluation:assess", ("campaign", "collective_a"), (302, 422, 403, 404, 404, 404, 404, 404),
          body=NO_REASON),
    *line("POST", "evaluation:assess", ("campaign_other_city", "collective_a"), NOBODY, body=ACCEPT),
    *line("POST", "evaluation:assessments_score_all", "campaign", OFFICE_ONLY_DO, body=EMPTY),
    *line("POST", "evaluation:assessments_score_all", "campaign_other_city", NOBODY, body=EMPTY),
]
API_ROWS: list = []


def applies(row) -> bool:
    return False  # the world's campaign and filings are all these rows need


def add_world(objects, settings, tmp_path) -> None:
    pass
