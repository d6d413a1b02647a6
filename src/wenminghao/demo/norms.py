"""(being written, issue 15)"""


def load(loader) -> dict[str, int]:
    return {}
