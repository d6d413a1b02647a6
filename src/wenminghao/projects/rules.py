"""Who may do what with a joint project. Who may *see* one is the selectors' (``projects_visible_to``: 404 for the
rest): the accounts of each partner collective and the admins of every unit above any partner. Of those:

- a collective's leader (for its own collective as the lead) and the units' admins create projects;
- the lead collective's leader and the admins of the managing unit (``owner_unit``) or above it change the project,
  add and remove partners and finish it (成果);
- every account of a partner collective, and those who manage it, add progress entries and record 互学互访 visits.
"""

import rules

from wenminghao.core.predicates import is_admin, is_collective_account, is_collective_leader


@rules.predicate
def manages_project(user, project) -> bool:
    if project is None:
        return False
    if is_collective_leader(user) and user.collective_id == project.lead_id:
        return True
    return is_admin(user) and project.owner_unit.path.startswith(user.unit.path)


@rules.predicate
def is_partner_account(user, project) -> bool:
    return (is_collective_account(user) and project is not None
            and project.partners.filter(collective_id=user.collective_id).exists())


@rules.predicate
def is_ongoing(user, project) -> bool:
    return project is not None and project.finished_at is None


rules.add_perm("projects.create_project", is_admin | is_collective_leader)  # no object
rules.add_perm("projects.change_project", manages_project)
rules.add_perm("projects.manage_partners", manages_project & is_ongoing)
rules.add_perm("projects.finish_project", manages_project & is_ongoing)
rules.add_perm("projects.add_progress", is_partner_account | manages_project)
rules.add_perm("projects.record_visit", is_partner_account | manages_project)
