"""Who may read and write the ledger and the pairings. Three may see a collective's ledger and its pairings: the
collective's own accounts, the admins of the units above it (its unit and up), and the office; judges, other
units, other collectives and the public see nothing (the selectors return nothing: 404)."""

import rules

from wenminghao.core.predicates import has_object_in_scope, is_admin, is_collective_account, is_own_collective

from .enums import PairingState


@rules.predicate
def is_own_collectives_record(user, record) -> bool:
    """A collective account (the leader or a delegate) of the collective the entry or pairing belongs to."""
    return is_collective_account(user) and record is not None and record.collective_id == user.collective_id


@rules.predicate
def is_pairing_active(user, pairing) -> bool:
    return pairing is not None and pairing.state == PairingState.ACTIVE


# The object is a collective.
rules.add_perm("ledger.view_ledger", has_object_in_scope | is_own_collective)
rules.add_perm("ledger.add_entry", has_object_in_scope | is_own_collective)
rules.add_perm("ledger.add_pairing", has_object_in_scope | is_own_collective)
rules.add_perm("ledger.export_ledger", has_object_in_scope | is_own_collective)
# The object is an entry.
rules.add_perm("ledger.view_entry", has_object_in_scope | is_own_collectives_record)
rules.add_perm("ledger.change_entry", has_object_in_scope | is_own_collectives_record)
# 查阅台账: the units above the collective and the office comment; the collective answers by handling them.
rules.add_perm("ledger.comment_entry", has_object_in_scope)
rules.add_perm("ledger.resolve_comment", has_object_in_scope | is_own_collectives_record)
# The object is a pairing.
rules.add_perm("ledger.view_pairing", has_object_in_scope | is_own_collectives_record)
rules.add_perm("ledger.change_pairing", (has_object_in_scope | is_own_collectives_record) & is_pairing_active)
# No object: the 查阅台账 page of a unit's collectives; the object is a unit: its export and indicators.
rules.add_perm("ledger.review_ledgers", is_admin)
rules.add_perm("ledger.export_unit_ledgers", has_object_in_scope)
rules.add_perm("ledger.view_indicators", has_object_in_scope)
