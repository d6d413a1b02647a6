"""Who may do what with a story. Who may *see* one is the selectors' (``stories_visible_to``: 404 for the rest). Of
those who see it:

- its writers (the collective's accounts, or the admins of the unit whose own story it is) change it, add and remove
  photos and submit it while it is a draft or returned;
- the admins of the unit it was reported to and of the units above it, below the city office, forward it to the city
  and return it;
- the city office (a city admin of the story's ``office``, the 市级团委 above it) returns what reached it, promotes it
  to the public showcase and withdraws the promotion. Nobody else promotes: not a district, not the province.

Whether the story's status allows the step is the services' (``TRANSITIONS``: 422 naming the status).
"""

import rules

from wenminghao.core.predicates import is_admin, is_city_admin, is_collective_account


@rules.predicate
def is_writer(user, story) -> bool:
    if story is None:
        return False
    if story.collective_id:
        return is_collective_account(user) and user.collective_id == story.collective_id
    return is_admin(user) and user.unit_id == story.unit_id


@rules.predicate
def is_on_the_way(user, story) -> bool:
    """An admin of the unit the story was reported to, or of a unit above it, below the story's city office."""
    if not is_admin(user) or story is None or not story.reached_path or user.unit_id == story.office_id:
        return False
    path = user.unit.path
    return story.reached_path.startswith(path) and path.startswith(story.office.path)


@rules.predicate
def has_reached_office(user, story) -> bool:
    """The city office of the story, once it was reported to it."""
    return (is_city_admin(user) and story is not None and user.unit_id == story.office_id
            and story.reached_id == story.office_id)


rules.add_perm("stories.create_story", is_collective_account | is_admin)  # no object: one's collective or unit
rules.add_perm("stories.change_story", is_writer)
rules.add_perm("stories.submit_story", is_writer)
rules.add_perm("stories.forward_story", is_on_the_way)
rules.add_perm("stories.return_story", is_on_the_way | has_reached_office)
rules.add_perm("stories.promote_story", has_reached_office)
