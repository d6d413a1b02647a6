"""Two people editing the same collective at once lose no update (issue 14, concurrency): the edit form carries the
collective's version, ``services.update_collective`` locks the row and compares, and a save made on an older version
is refused with a clear message and changes nothing (core/versions.py)."""

import pytest
from django.urls import reverse

from tests.collectives.test_views import collective_post
from tests.concurrency import hold_then_try, needs_postgresql
from wenminghao.collectives.models import Collective
from wenminghao.collectives.services import update_collective
from wenminghao.core.errors import StaleEditError
from wenminghao.core.models import AuditEntry

STALE = "该集体已被其他人修改"
NOT_SAVED = "请刷新后重新编辑；您的修改未保存。"


def updates_of(collective) -> int:
    return AuditEntry.objects.filter(action="collective.update", object_id=str(collective.pk)).count()


def member_rows(collective) -> list[dict]:
    return [{"id": str(m.pk), "name": m.name, "birth_date": m.birth_date.isoformat(), "post": m.post,
             **({"is_leader": "on"} if m.is_leader else {})} for m in collective.members.all()]


def edit_post(collective, **overrides) -> dict:
    """What the edit page posts back: the collective's fields, its members, its version (overridable)."""
    rows = member_rows(collective)
    return collective_post(unit=collective.unit, name=collective.name, host_org=collective.host_org,
                           members=rows, initial_members=len(rows), **overrides)


# --- one thread: both databases ------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_save_on_an_older_version_is_refused_and_changes_nothing(tree, users):
    collective = tree["collective_a"]
    seen = collective.version
    update_collective(actor=users["unit_admin_a"], collective=collective, fields={"contact_name": "甲改的联系人"},
                      expected_version=seen)
    with pytest.raises(StaleEditError) as refused:
        update_collective(actor=users["city_admin"], collective=collective, fields={"contact_name": "乙改的联系人"},
                          members=[], expected_version=seen)
    [violation] = refused.value.violations
    assert violation.code == "collective.stale"
    assert violation.message.startswith(STALE) and violation.message.endswith(NOT_SAVED)
    assert "修改人：huancui" in violation.message  # who saved in between (the account's name)
    collective.refresh_from_db()
    assert (collective.contact_name, collective.version) == ("甲改的联系人", seen + 1)
    assert collective.members.count() == 8  # the refused save's empty member list deleted nobody
    assert updates_of(collective) == 1


@pytest.mark.django_db
def test_a_save_on_the_current_version_goes_through_and_raises_it(tree, users):
    collective = tree["collective_a"]
    for step in range(3):
        update_collective(actor=users["unit_admin_a"], collective=collective, fields={"contact_name": f"联系人{step}"},
                          expected_version=collective.version)
        collective.refresh_from_db()
    assert collective.version == 4


@pytest.mark.django_db
def test_a_save_that_changes_nothing_keeps_the_version(tree, users):
    collective = tree["collective_a"]
    update_collective(actor=users["unit_admin_a"], collective=collective, fields={"name": collective.name},
                      expected_version=collective.version)
    collective.refresh_from_db()
    assert collective.version == 1  # another editor's open form stays valid


@pytest.mark.django_db
def test_without_a_version_the_last_save_wins(tree, users):
    collective = tree["collective_a"]
    update_collective(actor=users["unit_admin_a"], collective=collective, fields={"contact_name": "甲"})
    update_collective(actor=users["city_admin"], collective=collective, fields={"contact_name": "乙"})
    collective.refresh_from_db()
    assert (collective.contact_name, collective.version) == ("乙", 3)


@pytest.mark.django_db
def test_two_edit_pages_open_at_once_the_second_save_is_refused_on_the_page(tree, users, signed_in, client):
    collective = tree["collective_a"]
    url = reverse("collectives:edit", args=[collective.pk])
    page = signed_in(users["unit_admin_a"]).get(url)
    assert f'name="version" value="{collective.version}"' in page.content.decode()
    data = edit_post(collective, version=str(collective.version))

    assert client.post(url, {**data, "contact_name": "甲改的联系人"}).status_code == 302
    client.force_login(users["city_admin"], backend="wenminghao.accounts.backends.UsernameOrMobileBackend")
    refused = client.post(url, {**data, "contact_name": "乙改的联系人"})

    assert refused.status_code in (200, 422)  # the form again, not a redirect to the saved object
    body = refused.content.decode()
    assert STALE in body and NOT_SAVED in body
    assert 'data-testid="stale"' in body and f'href="{url}"' in body  # a link to reopen the form
    assert "乙改的联系人" in body  # what the second editor typed is still on the page, to copy
    collective.refresh_from_db()
    assert (collective.contact_name, collective.version) == ("甲改的联系人", 2)
    assert updates_of(collective) == 1


# --- two transactions at once: PostgreSQL ---------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_admins_saving_at_once_the_second_waits_and_is_refused(tree, users):
    needs_postgresql()
    collective = Collective.objects.get(pk=tree["collective_a"].pk)
    seen = collective.version

    def save(actor, contact):
        return lambda: update_collective(actor=actor, collective=collective, fields={"contact_name": contact},
                                         members=[], expected_version=seen)

    first, second, committing = hold_then_try(save(users["unit_admin_a"], "甲"), save(users["city_admin"], "乙"))

    assert first.error is None
    assert isinstance(second.error, StaleEditError), second.error
    assert second.finished >= committing  # it waited for the first one's row lock, then compared
    collective.refresh_from_db()
    assert (collective.contact_name, collective.version) == ("甲", seen + 1)
    assert collective.members.count() == 0  # the first save's (empty) member list, not mixed with the second's
    assert updates_of(collective) == 1
