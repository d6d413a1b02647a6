"""Throttling over the real server (granian, tests/live_server.py) behind a reverse proxy (issue 8, defect 2).

The server trusts X-Forwarded-For from 127.0.0.1 only (WMH_TRUSTED_PROXIES): the tests' connections from 127.0.0.1
are the proxy's, each forwarding for a client address; a connection from 127.0.0.2 is a client reaching the server
directly, whose X-Forwarded-For must be ignored. Before the fix every request had the proxy's address, and 100 failed
sign-ins with other names from one address refused the right password of a colleague there for 15 minutes.
"""


from tests.live_server import ACCOUNT, PASSWORD, UNTRUSTED_PEER


def test_a_hundred_failures_with_other_names_from_one_office_leave_a_colleague_signing_in(granian_server):
    office = "203.0.113.10"
    statuses = {}
    for index in range(100):
        status, _, _ = granian_server.token(f"visitor{index % 10}", "wrong", forwarded_for=office)
        statuses[status] = statuses.get(status, 0) + 1
    assert set(statuses) <= {401, 429} and statuses.get(429)  # the attacker is slowed down
    status, body, _ = granian_server.token(ACCOUNT, PASSWORD, forwarded_for=office)
    assert status == 200 and body["token"]


def test_a_name_that_keeps_failing_waits_at_its_own_address_only(granian_server):
    for _ in range(5):
        assert granian_server.token(ACCOUNT, "wrong", forwarded_for="203.0.113.20")[0] == 401
    status, body, retry_after = granian_server.token(ACCOUNT, PASSWORD, forwarded_for="203.0.113.20")
    assert status == 429 and body["errors"][0]["code"] == "auth.throttled"
    assert 1 <= int(retry_after) <= 30
    assert granian_server.token(ACCOUNT, PASSWORD, forwarded_for="203.0.113.21")[0] == 200


def test_the_client_address_is_the_last_one_our_proxy_added(granian_server):
    """A client may send its own X-Forwarded-For through the proxy: only the address the proxy appended counts."""
    for forged in ("10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5"):
        granian_server.token(ACCOUNT, "wrong", forwarded_for=f"{forged}, 203.0.113.30")
    assert granian_server.token(ACCOUNT, PASSWORD, forwarded_for="10.0.0.6, 203.0.113.30")[0] == 429


def test_a_client_outside_the_trusted_proxies_cannot_choose_its_address(granian_server):
    for index in range(5):
        granian_server.token(ACCOUNT, "wrong", forwarded_for=f"198.51.100.{index}", source=UNTRUSTED_PEER)
    status, _, _ = granian_server.token(ACCOUNT, PASSWORD, forwarded_for="198.51.100.99", source=UNTRUSTED_PEER)
    assert status == 429  # all five failures counted under 127.0.0.2, whatever the header said
