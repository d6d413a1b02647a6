"""The permission matrix's rows of the stories pages and API (issue 15), a part module like tests/notices/matrix.py:
joined in permission_matrix_data.py's tail; its world is added by test_permission_matrix.world (add_world)."""
#
# ROLES = anonymous, city_admin, unit_admin_a, unit_admin_b, leader_a, delegate_a, leader_b, judge

PAGE_ROWS: list = []
API_ROWS: list = []


def applies(row) -> bool:
    return row.route.startswith(("stories:", "/stories"))


def add_world(objects, settings, tmp_path) -> None:
    pass
