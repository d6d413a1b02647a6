"""The family's registry number (建档立卡编号) is personal data of a poor family with minors (PIPL arts. 28–31):
shown in full only on the pairing's own page (each view audited); masked everywhere else — lists, exports,
notifications, the audit log."""

VISIBLE_TAIL = 4


def mask_family_ref(family_ref: str) -> str:
    """All but the last 4 characters as ``*`` (``37100219****0042`` → ``************0042``); '' stays ''."""
    if not family_ref:
        return ""
    hidden = max(len(family_ref) - VISIBLE_TAIL, 0)
    return "*" * hidden + family_ref[hidden:]
