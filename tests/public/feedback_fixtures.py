"""Public posts and feedback made in the feedback tests: the tree's collectives with published identity pages (they
hold a valid district title), and items made through the service as a visitor would leave them."""

import pytest

from wenminghao.public.models import PostPage
from wenminghao.public.services.feedback import answer_feedback, submit_feedback

CONTACT = "13912345678"  # a visitor's contact: never on a public page or in a public answer
VISITOR = "203.0.113.7"


def publish(collective, **fields) -> PostPage:
    page, _ = PostPage.objects.update_or_create(collective=collective, defaults={"published": True, **fields})
    return page


@pytest.fixture
def posts(tree):
    """collective_a and collective_b published; collective_sub not (its page is not public)."""
    publish(tree["collective_a"])
    publish(tree["collective_b"])
    return tree


def leave(collective, *, kind="suggestion", text="窗口下午排队较长，建议增开一个窗口。", contact=CONTACT,
          ip_address=VISITOR, **data):
    """A stored item left by a visitor, through the service."""
    submitted = submit_feedback(collective=collective, data={"kind": kind, "text": text, "contact": contact, **data},
                                ip_address=ip_address)
    return submitted.feedback


def answered(collective, actor, **fields):
    return answer_feedback(actor=actor, feedback=leave(collective, **fields), answer="已增开一个窗口，感谢您的建议。")
