"""Public supervision (公众监督): a visitor's praise, suggestion or complaint about a post, and its handling by the
collective and the admins above it. Each write is one atomic, audited function; rule breaks raise RuleViolationError
with every unmet rule at once (nothing written), a wrong actor NotPermitted (403).

What a visitor sends is kept as plain text: tags are removed and control characters dropped, so no HTML is ever
stored (and the pages escape what is; a link is never made clickable). The visitor's address is kept only as its
keyed hash, for throttling (public/throttling.py); the contact, if given, is seen only by those who handle the item.

An item's life is one table, ``FEEDBACK_MOVES``: from which states a move may be made, to which state it leads (None:
the state stays), who may make it (a permission of public/rules.py), which kinds it applies to, and its audit key.
Nothing else says which moves are allowed: ``move_feedback`` follows it and the pages ask ``moves_for`` what to
offer."""

from __future__ import annotations

import re
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from wenminghao.accounts.models import User
from wenminghao.collectives.models import Collective
from wenminghao.core.audit import record_audit
from wenminghao.core.errors import NotPermitted, RuleViolationError, Violation
from wenminghao.core.notifications import notify
from wenminghao.core.roles import Role
from wenminghao.ledger.services import collective_accounts

from ..enums import FeedbackKind, FeedbackState, Satisfaction
from ..models import ANSWER_MAX_CHARS, FEEDBACK_CONTACT_MAX_CHARS, FEEDBACK_TEXT_MAX_CHARS, Feedback
from ..throttling import address_hash, check_feedback_allowed

# The reference a visitor follows an item by: 12 characters of an alphabet without look-alikes (no 0/O, 1/I/L), drawn
# by ``secrets``: 31^12 ≈ 8×10^17 references, so one cannot be guessed from another.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 12
REFERENCE_PATTERN = f"[{REFERENCE_ALPHABET}]{{{REFERENCE_LENGTH}}}"

OPEN, ANSWERED, CLOSED = FeedbackState.OPEN, FeedbackState.ANSWERED, FeedbackState.CLOSED
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


@dataclass(frozen=True)
class Move:
    """One allowed move of a feedback item."""

    sources: frozenset[str]  # the states it may be made from
    target: str | None  # the state it leads to; None: the state stays (verifying a complaint)
    perm: str  # who may make it (public/rules.py)
    action: str  # the audit key
    verb: str  # what it is called on the page and in messages
    kinds: frozenset[str] = frozenset(FeedbackKind.values)  # the kinds it applies to
    needs_answer: bool = False


FEEDBACK_MOVES: dict[str, Move] = {
    "answer": Move(frozenset({OPEN, ANSWERED}), ANSWERED, "public.answer_feedback", "feedback.answer", "答复",
                   needs_answer=True),
    "close": Move(frozenset({ANSWERED}), CLOSED, "public.close_feedback", "feedback.close", "办结"),
    "verify": Move(frozenset({OPEN, ANSWERED, CLOSED}), None, "public.verify_feedback", "feedback.verify",
                   "认定投诉属实（核实）", kinds=frozenset({FeedbackKind.COMPLAINT})),
}


def is_move_open(feedback: Feedback, name: str) -> bool:
    """Whether the table allows the move on the item now (whoever asks)."""
    move = FEEDBACK_MOVES[name]
    if feedback.kind not in move.kinds or feedback.state not in move.sources:
        return False
    return not (name == "verify" and feedback.verified)


def moves_for(user, feedback: Feedback) -> dict[str, Move]:
    """The moves this user may make on the item now (name -> move), for the page to offer."""
    return {name: move for name, move in FEEDBACK_MOVES.items()
            if is_move_open(feedback, name) and user.has_perm(move.perm, feedback)}


# --- what a visitor sends -----------------------------------------------------------------------------------------


def plain_text(value, *, single_line: bool = False) -> str:
    """A visitor's text as plain text: tags removed (no HTML is kept), control and invisible formatting characters
    dropped, line ends unified, surrounding space trimmed; one line for a contact."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_tags(text)
    text = _CONTROL.sub("", text.replace("\t", " "))
    if single_line:
        text = " ".join(text.split())
    else:
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n")))
    return text.strip()


@dataclass(frozen=True)
class CleanFeedback:
    kind: str
    text: str
    contact: str
    satisfaction: str


def clean_feedback(data: Mapping[str, Any]) -> CleanFeedback:
    """Every rule of a visitor's item at once (RuleViolationError listing them all), or its clean values."""
    violations: list[Violation] = []
    kind = plain_text(data.get("kind"), single_line=True)
    kinds = "、".join(f"{label}（{value}）" for value, label in FeedbackKind.choices)
    if not kind:
        violations.append(Violation("feedback.kind_required", "请选择意见类型：表扬、建议或投诉", "kind"))
    elif kind not in FeedbackKind.values:
        violations.append(Violation("feedback.kind", f"意见类型“{kind[:20]}”不是可选的类型，可选：{kinds}", "kind"))
    text = plain_text(data.get("text"))
    if not text:
        violations.append(Violation("feedback.text_required", "请填写意见内容（1至500字）", "text"))
    elif len(text) > FEEDBACK_TEXT_MAX_CHARS:
        violations.append(Violation("feedback.text_too_long", f"意见内容为{len(text)}字，超过{FEEDBACK_TEXT_MAX_CHARS}"
                                                              "字的上限，请精简后再提交", "text"))
    contact = plain_text(data.get("contact"), single_line=True)
    if len(contact) > FEEDBACK_CONTACT_MAX_CHARS:
        violations.append(Violation(
            "feedback.contact_too_long",
            f"联系方式为{len(contact)}个字符，超过{FEEDBACK_CONTACT_MAX_CHARS}个字符的上限", "contact"))
    satisfaction = plain_text(data.get("satisfaction"), single_line=True)
    if satisfaction and satisfaction not in Satisfaction.values:
        choices = "、".join(f"{label}（{value}）" for value, label in Satisfaction.choices)
        violations.append(Violation("feedback.satisfaction", f"满意度“{satisfaction[:20]}”不是可选的值，可选："
                                                             f"{choices}，也可以不选", "satisfaction"))
    if violations:
        raise RuleViolationError(violations)
    return CleanFeedback(kind=kind, text=text, contact=contact, satisfaction=satisfaction)


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _unique_reference() -> str:
    for _ in range(10):
        reference = new_reference()
        if not Feedback.objects.filter(reference=reference).exists():
            return reference
    raise RuntimeError("no free feedback reference after 10 draws")  # never in practice: the random source is broken


def _unit_admins(collective: Collective) -> list:
    """The active admins of the collective's own unit, who hear of each new item."""
    return list(User.objects.filter(role__in=(Role.CITY_ADMIN, Role.UNIT_ADMIN), unit_id=collective.unit_id,
                                    is_active=True))


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _manage_link(feedback: Feedback) -> str:
    return reverse("public:feedback_item", args=[feedback.pk])


@dataclass(frozen=True)
class Submitted:
    """What the visitor is told: the reference to follow; ``stored`` False for a honeypot submission (told the
    same, nothing kept)."""

    reference: str
    stored: bool
    feedback: Feedback | None = None


def submit_feedback(*, collective: Collective, data: Mapping[str, Any], ip_address: str | None,
                    honeypot: str = "") -> Submitted:
    """A visitor's item about ``collective``'s post (the caller has checked that its page is public). ``data``:
    ``kind`` (praise, suggestion, complaint), ``text`` (1–500 字, kept as plain text), ``contact`` (optional, ≤64),
    ``satisfaction`` (optional). ``honeypot``: the hidden field people do not see; filled, the answer is the same as
    for an accepted item but nothing is stored, counted, audited or sent.

    Checks every rule at once (RuleViolationError), then the limits per address and per post (FeedbackThrottled,
    counted with the collective's row locked, so that a post's limit holds under concurrent submissions). Side
    effects: the Feedback row (the address only as its keyed hash), an audit entry ``feedback.create`` without the
    contact, and a notification to the collective's accounts and its unit's admins (e-mail after commit)."""
    clean = clean_feedback(data)
    if honeypot and honeypot.strip():
        return Submitted(reference=new_reference(), stored=False)
    hashed = address_hash(ip_address)
    with transaction.atomic():
        Collective.objects.select_for_update(no_key=True).filter(pk=collective.pk).values_list("pk").first()
        check_feedback_allowed(collective_id=collective.pk, hashed_address=hashed)
        feedback = Feedback(reference=_unique_reference(), collective=collective, kind=clean.kind, text=clean.text,
                            contact=clean.contact, satisfaction=clean.satisfaction, address_hash=hashed)
        feedback.full_clean()
        feedback.save()
        record_audit(actor=None, action="feedback.create", target=feedback, unit_path=collective.unit.path,
                     after={"reference": feedback.reference, "kind": feedback.kind,
                            "satisfaction": feedback.satisfaction, "text": feedback.text})
        label = FeedbackKind(feedback.kind).label
        notify([*collective_accounts(collective.pk), *_unit_admins(collective)],
               f"公众对“{collective.name}”提交了一条{label}（编号{feedback.reference}），请及时答复："
               f"{_excerpt(feedback.text)}", _manage_link(feedback))
    return Submitted(reference=feedback.reference, stored=True, feedback=feedback)


# --- handling an item ---------------------------------------------------------------------------------------------


def _locked(feedback: Feedback) -> Feedback:
    return (Feedback.objects.select_for_update(no_key=True).select_related("collective__unit")
            .get(pk=feedback.pk))


def _state_violation(feedback: Feedback, name: str) -> Violation:
    move = FEEDBACK_MOVES[name]
    if feedback.kind not in move.kinds:
        return Violation("feedback.kind", f"这条意见是{feedback.get_kind_display()}，只有投诉可以{move.verb}", "state")
    if name == "verify" and feedback.verified:
        return Violation("feedback.already_verified", "这条投诉已经核实，无需再次核实", "state")
    return Violation("feedback.state", f"这条意见的状态为“{feedback.get_state_display()}”，不能{move.verb}", "state")


DENIED = {
    "answer": "只有该岗位集体的账号及其归口单位、上级单位可以答复这条意见。",
    "close": "只有该岗位集体的账号及其归口单位、上级单位可以办结这条意见。",
    "verify": "只有该集体的归口单位或上级单位可以核实投诉，集体本身不能核实针对自己的投诉。",
}


def move_feedback(*, actor, feedback: Feedback, move: str, answer: str = "",
                  ip_address: str | None = None) -> Feedback:
    """Make the move ``move`` of ``FEEDBACK_MOVES`` on the item: ``answer`` (open or answered → answered, with the
    ``answer`` text, 1–1000 字; answering again replaces the answer, the first answer's time stays the response
    time), ``close`` (answered → closed), ``verify`` (a complaint, in any state, marked verified by an admin above
    the collective: it is then listed on the collective's record).

    Locks the item's row, checks the actor (NotPermitted) and the move (RuleViolationError ``feedback.state``,
    ``feedback.kind`` and the answer's rules, all at once), saves with ``update_fields`` and writes the move's audit
    entry. An answer and a verification notify the collective's accounts (when the actor is not one of them); the
    visitor reads the answer by the reference."""
    if move not in FEEDBACK_MOVES:
        raise RuleViolationError.single("feedback.move", f"“{move}”不是可以进行的操作", "state")
    rule = FEEDBACK_MOVES[move]
    if not actor.has_perm(rule.perm, feedback):
        raise NotPermitted(DENIED[move])
    with transaction.atomic():
        feedback = _locked(feedback)
        violations = [] if is_move_open(feedback, move) else [_state_violation(feedback, move)]
        now = timezone.now()
        before: dict[str, Any] = {"state": feedback.state}
        after: dict[str, Any] = {}
        fields: list[str] = []
        if rule.needs_answer:
            answer = plain_text(answer)
            if not answer:
                violations.append(Violation("feedback.answer_required", "请填写答复内容", "answer"))
            elif len(answer) > ANSWER_MAX_CHARS:
                violations.append(Violation(
                    "feedback.answer_too_long", f"答复内容为{len(answer)}字，超过{ANSWER_MAX_CHARS}字的上限，请精简",
                    "answer"))
        if violations:
            raise RuleViolationError(violations)
        if rule.needs_answer:
            before["answer"] = feedback.answer
            feedback.answer, feedback.answered_by = answer, actor
            if feedback.answered_at is None:
                feedback.answered_at = now
            fields += ["answer", "answered_by", "answered_at"]
            after["answer"] = answer
        if move == "close":
            feedback.closed_at = now
            fields.append("closed_at")
        if move == "verify":
            feedback.verified, feedback.verified_at, feedback.verified_by = True, now, actor
            fields += ["verified", "verified_at", "verified_by"]
            before["verified"], after["verified"] = False, True
        if rule.target is not None:
            feedback.state = rule.target
            fields.append("state")
        after["state"] = feedback.state
        feedback.save(update_fields=fields)
        record_audit(actor=actor, action=rule.action, target=feedback, unit_path=feedback.collective.unit.path,
                     before=before, after=after, ip_address=ip_address)
        _notify_move(actor, feedback, move)
    return feedback


def answer_feedback(*, actor, feedback: Feedback, answer: str, ip_address: str | None = None) -> Feedback:
    """Answer the item (``move_feedback`` with ``answer``; audited ``feedback.answer``)."""
    return move_feedback(actor=actor, feedback=feedback, move="answer", answer=answer, ip_address=ip_address)


def close_feedback(*, actor, feedback: Feedback, ip_address: str | None = None) -> Feedback:
    """Close an answered item (``move_feedback`` with ``close``; audited ``feedback.close``)."""
    return move_feedback(actor=actor, feedback=feedback, move="close", ip_address=ip_address)


def verify_complaint(*, actor, feedback: Feedback, ip_address: str | None = None) -> Feedback:
    """Mark a complaint verified (``move_feedback`` with ``verify``; audited ``feedback.verify``)."""
    return move_feedback(actor=actor, feedback=feedback, move="verify", ip_address=ip_address)


def _notify_move(actor, feedback: Feedback, move: str) -> None:
    if move == "close" or actor.collective_id == feedback.collective_id:
        return
    if move == "answer":
        message = (f"{actor.home_unit.name if actor.home_unit else '上级单位'}答复了公众对本集体的"
                   f"{feedback.get_kind_display()}（编号{feedback.reference}）：{_excerpt(feedback.answer)}")
    else:
        message = (f"{actor.unit.name}核实了公众对本集体的投诉（编号{feedback.reference}），该投诉已记入本集体的"
                   f"称号动态管理记录：{_excerpt(feedback.text)}")
    notify(collective_accounts(feedback.collective_id), message, _manage_link(feedback))
