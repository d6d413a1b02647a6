"""Who may do what with a notice. Who may *see* one is the selectors' (``notices_visible_to``: 404 for the rest):
the collectives it reaches, the admins of the units it was sent from or above, and the admins of the units below
that it reached. Of those who see it:

- the sender's unit and the units above it (the office) see its receipts and remind the unread;
- a unit it reached from above forwards it to its own collectives, with its guidance;
- a collective account of a collective it reaches confirms reading it, and replies when it asks for a reply.

Execution norms (执行规范): a unit's admins publish its versions (only for their own unit); the admins read the norms
of the units on their chain (above) and in their subtree (below), a collective's accounts those of its unit chain
(``selectors.norms_visible_to``: 404 for the rest); the overview of a subtree is for its admins.
"""

import rules

from wenminghao.core.predicates import is_admin, is_collective_account


@rules.predicate
def is_at_or_above_sender(user, notice) -> bool:
    return is_admin(user) and notice is not None and notice.sender_unit.path.startswith(user.unit.path)


@rules.predicate
def is_below_sender(user, notice) -> bool:
    """An admin of a unit strictly below the sender's unit, which the notice reached (a receipt in its subtree)."""
    if not is_admin(user) or notice is None:
        return False
    path = user.unit.path
    if path == notice.sender_unit.path or not path.startswith(notice.sender_unit.path):
        return False
    return notice.receipts.filter(unit_path__startswith=path).exists()


@rules.predicate
def is_reached_collective(user, notice) -> bool:
    return (is_collective_account(user) and notice is not None
            and notice.receipts.filter(collective_id=user.collective_id).exists())


@rules.predicate
def asks_reply(user, notice) -> bool:
    return notice is not None and notice.asks_reply


rules.add_perm("notices.publish_notice", is_admin)  # no object: to one's own subtree
rules.add_perm("notices.view_receipts", is_at_or_above_sender)
rules.add_perm("notices.remind_unread", is_at_or_above_sender)
rules.add_perm("notices.forward_notice", is_below_sender)
rules.add_perm("notices.read_notice", is_reached_collective)
rules.add_perm("notices.reply_notice", is_reached_collective & asks_reply)


@rules.predicate
def is_admin_of_unit(user, unit) -> bool:
    """An admin of exactly this unit (not of one above: a unit's norms are its own to write)."""
    return is_admin(user) and unit is not None and user.unit_id == unit.pk


@rules.predicate
def is_norm_reader(user, norm) -> bool:
    """Whom a norms version is for: admins of its unit's chain and subtree, accounts of collectives under it."""
    if norm is None:
        return False
    path = norm.unit.path
    if is_admin(user):
        return path.startswith(user.unit.path) or user.unit.path.startswith(path)
    return is_collective_account(user) and user.collective.unit.path.startswith(path)


rules.add_perm("notices.publish_norm", is_admin_of_unit)
rules.add_perm("notices.view_norm", is_norm_reader)
rules.add_perm("notices.view_norm_overview", is_admin)
