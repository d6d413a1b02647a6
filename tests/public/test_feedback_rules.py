"""The rules of a visitor's item (``services.feedback.clean_feedback``, shared by the form and the API), as a table:
each input and the codes it breaks, all reported at once; the plain-text cleaning; the reference; the move table."""

import pytest

from wenminghao.core.errors import RuleViolationError
from wenminghao.public.enums import FeedbackKind, FeedbackState
from wenminghao.public.services.feedback import (
    FEEDBACK_MOVES,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    clean_feedback,
    new_reference,
    plain_text,
)

OK = {"kind": "suggestion", "text": "建议增开窗口。"}

CASES = [
    ("a suggestion", {}, []),
    ("praise with contact and mark", {"kind": "praise", "contact": "13912345678", "satisfaction": "satisfied"}, []),
    ("a complaint, basically satisfied", {"kind": "complaint", "satisfaction": "basically"}, []),
    ("exactly 500 characters", {"text": "字" * 500}, []),
    ("a contact of 64 characters", {"contact": "a" * 64}, []),
    ("no kind", {"kind": ""}, ["feedback.kind_required"]),
    ("an unknown kind", {"kind": "threat"}, ["feedback.kind"]),
    ("no text", {"text": ""}, ["feedback.text_required"]),
    ("only spaces", {"text": "   \n\t "}, ["feedback.text_required"]),
    ("only tags", {"text": "<b></b><script></script>"}, ["feedback.text_required"]),
    ("501 characters", {"text": "字" * 501}, ["feedback.text_too_long"]),
    ("a contact of 65 characters", {"contact": "a" * 65}, ["feedback.contact_too_long"]),
    ("an unknown mark", {"satisfaction": "meh"}, ["feedback.satisfaction"]),
    ("everything wrong at once", {"kind": "", "text": "", "contact": "a" * 65, "satisfaction": "meh"},
     ["feedback.kind_required", "feedback.text_required", "feedback.contact_too_long", "feedback.satisfaction"]),
]


@pytest.mark.parametrize(("label", "changes", "codes"), CASES, ids=[case[0] for case in CASES])
def test_feedback_rules(label, changes, codes):
    data = {**OK, **changes}
    if not codes:
        clean = clean_feedback(data)
        assert clean.kind == data["kind"]
        return
    with pytest.raises(RuleViolationError) as raised:
        clean_feedback(data)
    assert [violation.code for violation in raised.value.violations] == codes
    assert all(violation.message for violation in raised.value.violations)


def test_too_long_message_names_the_length_and_the_limit():
    with pytest.raises(RuleViolationError) as raised:
        clean_feedback({**OK, "text": "字" * 612})
    assert raised.value.violations[0].message == "意见内容为612字，超过500字的上限，请精简后再提交"


PLAIN = [
    ("<b>很好</b>的服务", "很好的服务"),
    ('<a href="https://evil.example/">点这里</a>', "点这里"),
    ("<script>alert(1)</script>谢谢", "alert(1)谢谢"),
    ("第一行\r\n第二行", "第一行\n第二行"),
    ("零宽\u200b字符\x00与控制\x07字符", "零宽字符与控制字符"),
    ("  前后空白  ", "前后空白"),
    ("a < b 且 c > d", "a < b 且 c > d"),
]


@pytest.mark.parametrize(("given", "kept"), PLAIN)
def test_plain_text_keeps_no_html_and_no_control_characters(given, kept):
    assert plain_text(given) == kept


def test_tags_do_not_count_toward_the_length():
    clean = clean_feedback({**OK, "text": "<p>" + "字" * 500 + "</p>"})
    assert clean.text == "字" * 500


def test_references_are_twelve_unambiguous_characters_and_differ():
    references = {new_reference() for _ in range(200)}
    assert len(references) == 200
    for reference in references:
        assert len(reference) == REFERENCE_LENGTH
        assert set(reference) <= set(REFERENCE_ALPHABET)
    assert not set("01OIL") & set(REFERENCE_ALPHABET)


def test_the_move_table():
    """Answer from open (or again while answered), close only once answered, verify only complaints, in any state."""
    assert FEEDBACK_MOVES["answer"].sources == {FeedbackState.OPEN, FeedbackState.ANSWERED}
    assert FEEDBACK_MOVES["answer"].target == FeedbackState.ANSWERED
    assert FEEDBACK_MOVES["close"].sources == {FeedbackState.ANSWERED}
    assert FEEDBACK_MOVES["close"].target == FeedbackState.CLOSED
    assert FEEDBACK_MOVES["verify"].kinds == {FeedbackKind.COMPLAINT}
    assert FEEDBACK_MOVES["verify"].target is None
    assert {move.action for move in FEEDBACK_MOVES.values()} == {"feedback.answer", "feedback.close",
                                                                 "feedback.verify"}
