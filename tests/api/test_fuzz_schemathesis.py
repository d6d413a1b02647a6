"""Fuzzing the HTTP API from its own OpenAPI document (schemathesis, issue 14).

The document is read from ``GET /api/v1/openapi.json`` of the app in-process (WSGI, no server), and every
operation in it is called with requests generated from its schema, valid and invalid, as one of the demo accounts
(``load_demo_data``: the office admin ``city``, the unit admin ``huancui``, the leader ``hc_zwfw``, the judge
``judge1``) or as nobody; integer ids in the path are often those of real demo objects, so the calls reach past
the 404. Every answer must:

- never be a 5xx;
- if it is a 4xx, be in the one error shape ``{"errors": [{"code", "message", "field"}]}`` with a Chinese message;
- match the schema the document declares for its status.

Each example runs in a savepoint that is rolled back, so every call sees the demo data as loaded and a failing
example replays the same. ``WMH_FUZZ_EXAMPLES`` (default 10) is the number of generated examples per operation;
raise it for a longer run by hand (docs/api.md).
"""

import json
import os
import re
from collections import Counter, defaultdict
from io import StringIO

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test.utils import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks

from wenminghao.accounts.models import User
from wenminghao.accounts.services import issue_api_token

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("WMH_FUZZ_EXAMPLES", "10"))
ACCOUNTS = ("city", "huancui", "hc_zwfw", "judge1")  # office admin, unit admin, collective leader, judge
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002a6df]")
# a field named by its English name only, as in "collectives（collectives）为必填项" (errors.FIELD_LABELS lacked it)
UNNAMED_FIELD = re.compile(r"(?<![\w.])([A-Za-z_]\w*)（\1）")

# The app as a WSGI callable. Django's own test client keeps a request from closing the database connection at
# its end; called through WSGI it would, in the middle of the test's transaction, so the fixture below does the
# same as the test client while the module runs.
APP = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APP)
# The token is the test's (one of the accounts, or none), not a generated one.
schema.config.generation.update(with_security_parameters=False)

# Ids of real demo objects by path parameter name, filled once the demo is loaded.
REAL_IDS: dict[str, list[int]] = {}
# Answers by operation and status, written to the file WMH_FUZZ_REPORT names (if set) when the module ends.
STATUSES: defaultdict[str, Counter] = defaultdict(Counter)


def _real_ids() -> dict[str, list[int]]:
    from wenminghao.campaigns.models import Campaign, CreationFiling
    from wenminghao.collectives.models import Collective, Honour
    from wenminghao.ledger.models import EntryAttachment, EntryComment, LedgerEntry, Pairing
    from wenminghao.notices.models import Notice
    from wenminghao.orgs.models import Unit
    from wenminghao.works.models import Work, WorkFile

    def ids(model) -> list[int]:
        return list(model.objects.order_by("pk").values_list("pk", flat=True))

    return {
        "unit_id": ids(Unit),
        "collective_id": ids(Collective),
        "post_id": ids(Collective),
        "campaign_id": ids(Campaign),
        "application_id": ids(CreationFiling),
        "work_id": ids(Work),
        "file_id": ids(WorkFile) + ids(EntryAttachment),
        "entry_id": ids(LedgerEntry),
        "comment_id": ids(EntryComment),
        "pairing_id": ids(Pairing),
        "honour_id": ids(Honour),
        "notice_id": ids(Notice),  # none until the demo publishes notices: then the ids are drawn as they are
    }


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    """An integer id in the path is three times out of four one of a real object of that kind."""
    if not path_parameters:
        return st.just(path_parameters)
    choices = {}
    for name, value in path_parameters.items():
        real = REAL_IDS.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and real:
            choices[name] = st.one_of(*[st.sampled_from(real)] * 3, st.just(value))
        else:
            choices[name] = st.just(value)
    return st.fixed_dictionaries(choices)


@pytest.fixture(scope="module")
def demo_tokens(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, loaded once for the module in a transaction rolled back at its end (stored files in a
    temporary directory), and a bearer token for each of ACCOUNTS."""
    media_root = tmp_path_factory.mktemp("fuzz-media")
    overrides = override_settings(
        MEDIA_ROOT=media_root,
        FILE_UPLOAD_TEMP_DIR=tmp_path_factory.mktemp("fuzz-upload-tmp"),
        STORAGES={**django_settings.STORAGES, "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": media_root},
        }},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        with django_db_blocker.unblock(), overrides, transaction.atomic():
            call_command("load_demo_data", stdout=StringIO())
            REAL_IDS.update(_real_ids())
            yield {username: issue_api_token(user=User.objects.get(username=username)) for username in ACCOUNTS}
            transaction.set_rollback(True)
    finally:
        REAL_IDS.clear()
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
        if os.environ.get("WMH_FUZZ_REPORT"):
            with open(os.environ["WMH_FUZZ_REPORT"], "w", encoding="utf-8") as report:
                json.dump({label: dict(sorted(counts.items())) for label, counts in sorted(STATUSES.items())},
                          report, indent=1)


def check_error_shape(response) -> None:
    """A 4xx answers ``{"errors": [{"code", "message", "field"}, ...]}``, each message in Chinese."""
    status = response.status_code
    content_type = (response.headers.get("content-type") or [""])[0]
    assert content_type.startswith("application/json"), (
        f"{status} answered {content_type!r}, not JSON: {response.text[:300]!r}"
    )
    body = response.json()
    assert isinstance(body, dict) and set(body) == {"errors"}, f"{status} body is not the error shape: {body!r}"
    errors = body["errors"]
    assert isinstance(errors, list) and errors, f"{status} with no errors listed: {body!r}"
    for error in errors:
        assert isinstance(error, dict) and set(error) == {"code", "message", "field"}, f"{status}: {error!r}"
        assert isinstance(error["code"], str) and error["code"], f"{status}: {error!r}"
        assert isinstance(error["field"], str | None), f"{status}: {error!r}"
        assert isinstance(error["message"], str) and CJK.search(error["message"]), (
            f"{status} message not in Chinese: {error['message']!r}"
        )
        assert not UNNAMED_FIELD.search(error["message"]), f"{status} names a field in English: {error['message']!r}"


@schema.parametrize()
@schema.given(data=st.data())
@settings(
    max_examples=EXAMPLES,
    derandomize="WMH_FUZZ_EXAMPLES" not in os.environ,  # the same examples on every CI run; a longer run explores
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_without_5xx_and_in_the_error_shape(case, data, demo_tokens):
    account = data.draw(st.sampled_from((*ACCOUNTS, None)), label="account")
    headers = {"Authorization": f"Bearer {demo_tokens[account]}"} if account else {}
    with transaction.atomic():
        try:
            # buffered: Werkzeug reads the answer and closes it, and so Django the request (and its upload files)
            response = case.call(headers=headers, buffered=True)
            STATUSES[case.operation.label][response.status_code] += 1
            assert response.status_code < 500, f"{response.status_code} as {account}: {response.text[:3000]}"
            if 400 <= response.status_code < 500:
                check_error_shape(response)
            # the schema's checks; schema-valid input may still break a rule of the service (422), so not
            # positive_data_acceptance. Inside the savepoint: some checks call again (without the token, say).
            case.validate_response(response, headers=headers, excluded_checks=[checks.positive_data_acceptance])
        finally:
            transaction.set_rollback(True)
