"""(being written)"""

PAGE_ROWS: list = []
API_ROWS: list = []


def applies(row) -> bool:
    return False


def add_world(objects, settings, tmp_path) -> None:
    pass
