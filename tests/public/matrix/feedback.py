"""Permission matrix rows of public supervision (公众监督). The visitor's side is the same for everyone, signed in or
not: the form of a public post and sending it (200, the item stored and audited; an empty text 422), the lookup and
an item's follow page by its reference (200; an unknown reference 404), a post that is not public 404 for all. The
signed-in side: the list for admins (their subtree) and collectives (their own), judges 404; an item for the admins
above its collective and the collective's accounts (everyone else 404), who answer and close it; only an admin above
verifies a complaint (the collective: 403); a move the table does not allow answers 422 and changes nothing; the
statistics for admins, of a unit in their subtree. The API's POST answers like the form, anonymous included.

Objects (``add_world``): collective_a and collective_b with published pages (collective_sub's is not);
feedback_a (a complaint on collective_a, open), feedback_a_answered (a suggestion on collective_a, answered by its
leader), feedback_b (praise on collective_b, open); reference_a (feedback_a's reference as an address argument) and
reference_unknown."""

from types import SimpleNamespace

from tests.permission_matrix_data import EMPTY, Body, Done, line

ALL = (200,) * 8
NOBODY_PUBLIC = (404,) * 8
SENT = (Done(200),) * 8
REFUSED = (422,) * 8
CREATED = (Done(201),) * 8
LISTS = (302, 200, 200, 200, 200, 200, 200, 404)
SEE_A = (302, 200, 200, 404, 200, 200, 404, 404)
SEE_B = (302, 200, 404, 200, 404, 404, 200, 404)
HANDLE_A = (302, Done(302), Done(302), 404, Done(302), Done(302), 404, 404)
VERIFY_A = (302, Done(302), Done(302), 404, 403, 403, 404, 404)
STATS = (302, 200, 200, 200, 404, 404, 404, 404)

GOOD = {"kind": "suggestion", "text": "建议增开一个窗口。", "contact": "13912345678", "satisfaction": "basically"}
FEEDBACK = Body("suggestion", lambda world, role: dict(GOOD))
NO_TEXT = Body("no text", lambda world, role: {**GOOD, "text": ""})
ANSWER = Body("answer", lambda world, role: {"answer": "已增开窗口，感谢建议。"})

PAGE_ROWS = [
    *line("GET", "public:post_feedback", "collective_a", ALL),
    *line("GET", "public:post_feedback", "collective_sub", NOBODY_PUBLIC),
    *line("POST", "public:post_feedback", "collective_a", SENT, body=FEEDBACK),
    *line("POST", "public:post_feedback", "collective_a", REFUSED, body=NO_TEXT),
    *line("POST", "public:post_feedback", "collective_sub", NOBODY_PUBLIC, body=FEEDBACK),
    *line("GET", "public:feedback_lookup", None, ALL),
    *line("GET", "public:feedback_follow", "reference_a", ALL),
    *line("GET", "public:feedback_follow", "reference_unknown", NOBODY_PUBLIC),
    *line("GET", "public:feedback_manage", None, LISTS),
    *line("GET", "public:feedback_manage", None, LISTS, query={"state": "open", "kind": "complaint"}),
    *line("GET", "public:feedback_item", "feedback_a", SEE_A),
    *line("GET", "public:feedback_item", "feedback_b", SEE_B),
    *line("POST", "public:feedback_answer", "feedback_a", HANDLE_A, body=ANSWER),
    *line("POST", "public:feedback_answer", "feedback_a", (302, 422, 422, 404, 422, 422, 404, 404), body=EMPTY),
    *line("POST", "public:feedback_close", "feedback_a_answered", HANDLE_A, body=EMPTY),
    # open: answer first
    *line("POST", "public:feedback_close", "feedback_a", (302, 422, 422, 404, 422, 422, 404, 404), body=EMPTY),
    *line("POST", "public:feedback_verify", "feedback_a", VERIFY_A, body=EMPTY),
    # a suggestion is not a complaint: nothing to verify
    *line("POST", "public:feedback_verify", "feedback_a_answered", (302, 422, 422, 404, 403, 403, 404, 404),
          body=EMPTY),
    # praise: nothing to verify (the admins above see it: 422; its collective may not verify: 403)
    *line("POST", "public:feedback_verify", "feedback_b", (302, 422, 404, 422, 404, 404, 403, 404), body=EMPTY),
    *line("GET", "public:feedback_stats", None, STATS),
    *line("GET", "public:feedback_stats", None, (302, 200, 404, 200, 404, 404, 404, 404), query={"unit": "area_b"}),
]
API_ROWS = [
    *line("POST", "/public/posts/{post_id}/feedback", "collective_a", CREATED, body=FEEDBACK),
    *line("POST", "/public/posts/{post_id}/feedback", "collective_a", REFUSED, body=NO_TEXT),
    *line("POST", "/public/posts/{post_id}/feedback", "collective_sub", NOBODY_PUBLIC, body=FEEDBACK),
]
ROUTES = {"public:post_feedback", "public:feedback_lookup", "public:feedback_follow", "public:feedback_manage",
          "public:feedback_item", "public:feedback_answer", "public:feedback_close", "public:feedback_verify",
          "public:feedback_stats", "/public/posts/{post_id}/feedback"}
KEYS = {"feedback_a", "feedback_a_answered", "feedback_b", "reference_a", "reference_unknown"}


def applies(row) -> bool:
    return row.route in ROUTES or bool(KEYS & set(row.obj))


def add_world(objects, settings, tmp_path) -> None:
    from wenminghao.public.models import PostPage
    from wenminghao.public.services.feedback import answer_feedback, submit_feedback

    for key in ("collective_a", "collective_b"):
        PostPage.objects.update_or_create(collective=objects[key], defaults={"published": True})

    def leave(key, kind, text, ip):
        return submit_feedback(collective=objects[key], data={"kind": kind, "text": text, "contact": "13900001111"},
                               ip_address=ip).feedback

    objects["feedback_a"] = leave("collective_a", "complaint", "窗口无人值守。", "198.51.100.1")
    objects["feedback_a_answered"] = answer_feedback(
        actor=objects["leader_a"], feedback=leave("collective_a", "suggestion", "建议延长服务时间。", "198.51.100.2"),
        answer="已延长至18时。")
    objects["feedback_b"] = leave("collective_b", "praise", "服务热情。", "198.51.100.3")
    objects["reference_a"] = SimpleNamespace(pk=objects["feedback_a"].reference)
    objects["reference_unknown"] = SimpleNamespace(pk="ABCDEFGHJKMN")
