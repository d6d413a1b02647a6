"""A ledger picture's thumbnail is made once (issue 14, concurrency): the task run claims the file first, as a work
file's previews are claimed (``works.tasks.claim_derivatives``); a second run — another worker, a retry while the
first still runs — makes nothing, and a run after a killed one takes the file over once its claim has expired."""

import datetime
import os

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tests.concurrency import at_once, needs_postgresql
from tests.works.media_fixtures import jpeg, media_storage, upload  # noqa: F401
from wenminghao.ledger import services, tasks
from wenminghao.ledger.enums import DerivativeState
from wenminghao.ledger.models import EntryAttachment
from wenminghao.works.tasks import claim_derivatives, claim_lease


@pytest.fixture
def picture(tree, users, make_entry, media_storage, settings):  # noqa: F811
    """A ledger picture whose thumbnail is still to be made (the task is not run at upload)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    entry = make_entry("open_week", tree["collective_a"])
    attachment = services.add_attachment(actor=users["leader_a"], entry=entry, upload=upload("开放日.jpg",
                                                                                             jpeg(800, 600)))
    assert attachment.derivatives == DerivativeState.PENDING and not attachment.thumbnail
    return attachment


def thumbnails(attachment) -> list[str]:
    folder = os.path.dirname(attachment.original.name)
    return sorted(name for name in default_storage.listdir(folder)[1] if name.startswith("thumb-"))


@pytest.mark.django_db
def test_a_picture_another_worker_is_making_is_skipped_until_its_claim_expires(picture):
    rows = EntryAttachment.objects.filter(pk=picture.pk)
    assert claim_derivatives(rows) is not None  # a first worker took it and is still at it
    assert tasks.make_attachment_thumbnail.call(picture.pk) == "skipped"
    assert thumbnails(picture) == []
    # that worker was killed in the middle: once its claim is older than the lease, a retry takes the file over
    rows.update(derivatives_claimed_at=timezone.now() - claim_lease() - datetime.timedelta(seconds=1))
    assert tasks.make_attachment_thumbnail.call(picture.pk) == DerivativeState.READY
    picture.refresh_from_db()
    assert picture.derivatives_claimed_at is None and picture.derivatives == DerivativeState.READY
    assert thumbnails(picture) == [os.path.basename(picture.thumbnail.name)]


@pytest.mark.django_db
def test_a_ready_thumbnail_is_made_again_only_when_asked(picture):
    assert tasks.make_attachment_thumbnail.call(picture.pk) == DerivativeState.READY
    made = thumbnails(picture)
    assert tasks.make_attachment_thumbnail.call(picture.pk) == "skipped"
    assert thumbnails(picture) == made
    assert tasks.make_attachment_thumbnail.call(picture.pk, redo=True) == DerivativeState.READY
    again = thumbnails(picture)
    assert len(again) == 1 and again != made  # replaced, the earlier one deleted


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_make_a_ledger_thumbnail_once(picture):
    needs_postgresql()
    rows = EntryAttachment.objects.filter(pk=picture.pk)
    for _ in range(10):  # the claim itself, from three connections at once: exactly one wins each time
        rows.update(derivatives_claimed_at=None)
        outcomes = at_once(*[lambda: claim_derivatives(EntryAttachment.objects.filter(pk=picture.pk))] * 3,
                           atomic=False)
        assert sum(outcome.value is not None for outcome in outcomes) == 1, outcomes
    rows.update(derivatives_claimed_at=None)
    outcomes = at_once(lambda: tasks.make_attachment_thumbnail.call(picture.pk),
                       lambda: tasks.make_attachment_thumbnail.call(picture.pk), atomic=False)
    assert [outcome.error for outcome in outcomes] == [None, None]
    assert sorted(outcome.value for outcome in outcomes) == [DerivativeState.READY, "skipped"]
    picture.refresh_from_db()
    assert thumbnails(picture) == [os.path.basename(picture.thumbnail.name)]
