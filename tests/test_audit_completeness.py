"""Every service that changes state writes an audit entry (issue 14, item 8).

The services are found, not listed: every public function defined in ``src/wenminghao/*/services.py`` and
``src/wenminghao/*/services/*.py``. Each must call ``record_audit`` itself or through a function of its own module
that does (one level of local calls). The few that do not write, or whose only write is bookkeeping nobody
decides, are in ``NOT_AUDITED`` with the reason; a new service that is neither audited nor listed fails here.
A sample of real services is then called and its audit row read back by its stable key.
"""

import ast
import importlib
import inspect
import pathlib
import sys
import textwrap
from types import ModuleType

import pytest

import wenminghao
from tests import factories
from tests.works.media_fixtures import add_pictures, make_work, media_storage  # noqa: F401 - fixture
from wenminghao.accounts.services import set_account_active, set_password
from wenminghao.campaigns.models import CreationFiling
from wenminghao.campaigns.services import decide_filing, file_creation
from wenminghao.collectives.services import update_collective
from wenminghao.core.audit_actions import ACTIONS
from wenminghao.core.models import AuditEntry
from wenminghao.works.services import update_work
from wenminghao.works.transitions import submit_work

PACKAGE = pathlib.Path(wenminghao.__file__).parent
# Writes that live outside a services module by the architecture's design: a work's one state machine.
EXTRA_MODULES = ("wenminghao.works.transitions",)

# "module:function" → why it writes no audit entry. Keep each reason to one line; a stale entry fails the test.
NOT_AUDITED: dict[str, str] = {
    # accounts
    "wenminghao.accounts.services:hash_token": "pure: the SHA-256 of a token",
    "wenminghao.accounts.services:issue_api_token": "a sign-in to the API, like a session (not audited either); "
                                                    "the refused ones are LoginFailure rows",
    "wenminghao.accounts.services:user_for_token": "read (the account of a bearer token); its one write is the "
                                                   "last_used_at stamp, bookkeeping at most every 5 minutes",
    # campaigns
    "wenminghao.campaigns.services:closed_campaign_violation": "pure: the violation of a closed campaign, or None",
    # collectives
    "wenminghao.collectives.services:protected_honours": "read: the honours a form may not edit",
    "wenminghao.collectives.services:editable_honours": "read: the honours a form may edit",
    # evaluation
    "wenminghao.evaluation.services.assessments:clean_weights": "pure: validates the weights a form sends",
    "wenminghao.evaluation.services.assessments:clean_score": "pure: validates one score",
    "wenminghao.evaluation.services.assessments:score_snapshot": "pure: the before/after values of an assessment",
    "wenminghao.evaluation.services.development:earliest_day": "pure: the first day a record may be dated",
    "wenminghao.evaluation.services.inspections:moves_for": "read: the moves an inspection allows a user",
    "wenminghao.evaluation.services.inspections:may_change_photos": "read: whether its photos may still change",
    "wenminghao.evaluation.services.inspections:photo_max_bytes": "pure: the size limit of a photo",
    "wenminghao.evaluation.services.inspections:clean_inspection": "pure: validates an inspection's fields",
    "wenminghao.evaluation.services.inspections:inspection_snapshot": "pure: the before/after values",
    "wenminghao.evaluation.services.naming:place_name": "pure: the place name in a title",
    "wenminghao.evaluation.services.naming:title_of": "pure: the wording of a title",
    "wenminghao.evaluation.services.naming:term_end": "pure: the last day of a title's term",
    "wenminghao.evaluation.services.naming:date_text": "pure: a date in Chinese",
    # ledger
    "wenminghao.ledger.services:clean_entry": "pure: validates an entry's fields",
    "wenminghao.ledger.services:entry_snapshot": "pure: the before/after values of an entry",
    "wenminghao.ledger.services:sniff_attachment": "pure: what a document or picture is by its content",
    "wenminghao.ledger.services:attachment_too_large_message": "pure: the Chinese message of a refused size",
    "wenminghao.ledger.services:collective_accounts": "read: the accounts of a collective",
    "wenminghao.ledger.services:pairing_snapshot": "pure: the before/after values of a pairing",
    "wenminghao.ledger.services:normalise_family_ref": "pure: a family's reference without spaces",
    # notices
    "wenminghao.notices.services:recipients_of": "read: the collectives a selection reaches (a queryset)",
    # public
    "wenminghao.public.services.feedback:is_move_open": "pure: whether a feedback move is open",
    "wenminghao.public.services.feedback:moves_for": "read: the moves a post allows a user",
    "wenminghao.public.services.feedback:plain_text": "pure: a visitor's text without markup",
    "wenminghao.public.services.feedback:clean_feedback": "pure: validates a visitor's post",
    "wenminghao.public.services.feedback:new_reference": "pure: a new random reference number",
    "wenminghao.public.services.pages:page_max_photo_bytes": "pure: the size limit of a page's photo",
    "wenminghao.public.services.pages:publish_violations": "read: why a page may not be published yet",
    # reviews
    "wenminghao.reviews.services.reports:sniff_scan": "pure: what a scan's first bytes say it is",
    "wenminghao.reviews.services.reports:scan_too_large_violation": "pure: the violation of a too large scan",
    # works (works/services.py is edited elsewhere: its gaps are reported, not fixed, by this test's author)
    "wenminghao.works.services:work_facts": "read: a work's facts for Attachment 1's rules",
    "wenminghao.works.services:submission_violations": "read: why a work may not be submitted yet",
    "wenminghao.works.transitions:register_guard": "start-up registry of a higher app's checks, no data",
    "wenminghao.works.transitions:review_transitions": "read: the transition table's review moves",
    "wenminghao.works.transitions:allowed_targets": "read: the statuses a work may move to",
    "wenminghao.works.transitions:may_change": "read: whether an actor may make a move",
    "wenminghao.works.transitions:may_act_at": "read: whether an actor acts at a stage",
    "wenminghao.works.transitions:reporting_unit_path": "read: the unit path a decision is filed under",
}


# --- the static check -----------------------------------------------------------------------------------------


def service_modules() -> list[ModuleType]:
    """Every services module of every app, found on disk: a new app's services are checked without a line here."""
    files = sorted([*PACKAGE.glob("*/services.py"), *PACKAGE.glob("*/services/*.py")])
    names = [".".join(("wenminghao", *path.relative_to(PACKAGE).with_suffix("").parts)) for path in files]
    names += EXTRA_MODULES
    return [importlib.import_module(name) for name in names]


def _called_names(node: ast.AST) -> set[str]:
    names = set()
    for call in ast.walk(node):
        if isinstance(call, ast.Call):
            if isinstance(call.func, ast.Name):
                names.add(call.func.id)
            elif isinstance(call.func, ast.Attribute):
                names.add(call.func.attr)
    return names


def public_functions(module: ModuleType) -> dict[str, set[str]]:
    """The public functions defined in ``module`` (not imported into it), each with the names it calls, its own
    module's functions resolved one level deep (a service that audits through a local helper counts)."""
    tree = ast.parse(inspect.getsource(module))
    defined = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    direct = {name: _called_names(node) for name, node in defined.items()}
    found = {}
    for name, calls in direct.items():
        if name.startswith("_") or not inspect.isfunction(getattr(module, name, None)):
            continue
        found[name] = calls | {inner for helper in calls & defined.keys() - {name} for inner in direct[helper]}
    return found


def unaudited(modules) -> set[str]:
    """The "module:function" of every public service function that never reaches ``record_audit``."""
    return {
        f"{module.__name__}:{name}"
        for module in modules
        for name, calls in public_functions(module).items()
        if "record_audit" not in calls
    }


def test_services_are_found_in_every_app():
    """The discovery itself works: all the apps that have services, and their well-known writes, are seen."""
    modules = {module.__name__: module for module in service_modules()}
    apps = {name.split(".")[1] for name in modules}
    assert apps >= {"accounts", "orgs", "collectives", "campaigns", "works", "ledger", "reviews", "evaluation",
                    "public"}
    seen = {f"{name}:{function}" for name, module in modules.items() for function in public_functions(module)}
    assert {"wenminghao.works.services:create_work", "wenminghao.collectives.services:update_collective",
            "wenminghao.campaigns.services:decide_filing", "wenminghao.reviews.services.rounds:save_scores",
            "wenminghao.evaluation.services.naming:revoke_honour", "wenminghao.works.transitions:submit_work"} <= seen
    assert len(seen) > 100


def test_every_state_changing_service_writes_an_audit_entry():
    missing = unaudited(service_modules()) - NOT_AUDITED.keys()
    assert missing == set(), (
        "these services change state without record_audit: audit them (a key in core/audit_actions.py), or, if "
        "they change nothing people decide, list them in NOT_AUDITED with the reason"
    )


def test_the_allow_list_has_no_stale_entries():
    """An entry whose function is gone or now audits itself is removed, so the list says only what is true."""
    assert set(NOT_AUDITED) - unaudited(service_modules()) == set()
    assert all(reason.strip() for reason in NOT_AUDITED.values())


SYNTHETIC = '''
from wenminghao.core.audit import record_audit


def _audit(work):
    record_audit(actor=None, action="work.update", target=work, unit_path="/")


def archive_work(*, actor, work):
    work.status = "archived"
    work.save()


def rename_work(*, actor, work, title):
    work.title = title
    work.save()
    record_audit(actor=actor, action="work.update", target=work, unit_path="/")


def retitle_work(*, actor, work, title):
    work.title = title
    work.save()
    _audit(work)


def _helper_of_helper(work):
    _audit(work)


def deep_work(*, actor, work):
    _helper_of_helper(work)
'''


def test_a_new_service_without_an_audit_entry_fails_the_check(tmp_path, monkeypatch):
    """A module like an app's services.py: the unaudited write is found, the audited ones (directly or through a
    local helper) pass; two levels of helpers are not followed (keep the audit call close to the write)."""
    (tmp_path / "synthetic_services.py").write_text(textwrap.dedent(SYNTHETIC))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("synthetic_services")
    try:
        assert unaudited([module]) == {"synthetic_services:archive_work", "synthetic_services:deep_work"}
    finally:
        sys.modules.pop("synthetic_services", None)


# --- the dynamic sample: real services, their rows by key -----------------------------------------------------


def only_entry(action: str, target) -> AuditEntry:
    entries = AuditEntry.objects.filter(action=action, object_type=target._meta.label_lower,
                                        object_id=str(target.pk))
    assert entries.count() == 1, f"{action}: {entries.count()} entries"
    assert action in ACTIONS
    return entries.get()


@pytest.mark.django_db
def test_real_services_write_their_audit_rows(tree, users, media_storage):  # noqa: F811
    leader, unit_admin, city_admin = users["leader_a"], users["unit_admin_a"], users["city_admin"]
    campaign = factories.campaign(office=tree["city"])
    collective = tree["collective_a"]

    work = make_work(actor=leader, collective=collective, campaign=campaign)
    entry = only_entry("work.create", work)
    assert (entry.actor, entry.unit_path) == (leader, collective.unit.path)

    update_work(actor=leader, work=work, fields={"title": "窗口里的笑脸"})
    assert only_entry("work.update", work).after["title"] == "窗口里的笑脸"

    add_pictures(work, leader, 4)
    assert AuditEntry.objects.filter(action="work.picture_upload", object_id=str(work.pk)).count() == 4
    submit_work(actor=leader, work=work)
    assert only_entry("work.submit", work).actor == leader

    update_collective(actor=unit_admin, collective=collective, fields={"contact_name": "李新"})
    entry = only_entry("collective.update", collective)
    assert (entry.before["contact_name"], entry.after["contact_name"]) == ("张联系", "李新")

    filing = file_creation(actor=users["unit_admin_b"], collective=tree["collective_b"], campaign=campaign)
    only_entry("filing.create", filing)
    decide_filing(actor=city_admin, filing=filing, accept=True)
    assert CreationFiling.objects.get(pk=filing.pk).status == "accepted"
    assert only_entry("filing.accept", filing).actor == city_admin

    set_account_active(actor=city_admin, account=users["judge"], active=False)
    assert only_entry("account.deactivate", users["judge"]).actor == city_admin
    set_password(actor=city_admin, account=users["leader_b"], password="Qingnian-2018-wm")
    entry = only_entry("account.reset_password", users["leader_b"])
    assert "password" not in (entry.after or {}) and "Qingnian" not in str(entry.after)
