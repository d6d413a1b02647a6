"""Real concurrent transactions for the tests of issue 14's concurrency part: each step runs in a thread of its own,
so on its own database connection, and a threading.Barrier decides how they interleave.

Only PostgreSQL runs writers at the same time; SQLite runs one writing transaction at a time (the settings open
every transaction IMMEDIATE), so these tests skip there with ``needs_postgresql`` and a single-thread test of the
same rule runs on both.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections, transaction

TIMEOUT = 20


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL: SQLite serialises writing transactions, one at a time")


@dataclass
class Outcome:
    """What one step returned or raised, and when it finished (time.monotonic, which the test clock leaves alone)."""
    value: Any = None
    error: BaseException | None = None
    finished: float = 0.0


def hold_then_try(first: Callable[[], Any], second: Callable[[], Any], *, hold: float = 0.4
                  ) -> tuple[Outcome, Outcome, float]:
    """``first`` runs in a transaction and, with its writes made and its row locks held, meets ``second`` at a barrier;
    it then keeps its transaction open for ``hold`` seconds before committing, while ``second`` runs in a transaction
    of its own on another connection. Returns both outcomes and the moment ``first`` began to commit: a ``second``
    that finished after it waited for ``first``'s lock."""
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    outcomes = [Outcome(), Outcome()]
    committing = [0.0]

    def run_first():
        try:
            with transaction.atomic():
                outcomes[0].value = first()
                barrier.wait()
                time.sleep(hold)
                committing[0] = time.monotonic()
        except BaseException as error:  # noqa: BLE001 - handed to the test, which asserts on it
            outcomes[0].error = error
            barrier.abort()
        finally:
            outcomes[0].finished = time.monotonic()
            connections.close_all()

    def run_second():
        try:
            barrier.wait()
            with transaction.atomic():
                outcomes[1].value = second()
        except threading.BrokenBarrierError as error:
            outcomes[1].error = error
        except BaseException as error:  # noqa: BLE001 - handed to the test, which asserts on it
            outcomes[1].error = error
        finally:
            outcomes[1].finished = time.monotonic()
            connections.close_all()

    _run([run_first, run_second])
    return outcomes[0], outcomes[1], committing[0]


def at_once(*steps: Callable[[], Any], atomic: bool = True) -> list[Outcome]:
    """Every step in its own thread (and, with ``atomic``, its own transaction; a task worker runs a task in
    autocommit, so ``atomic=False`` for tasks), all released together by one barrier."""
    barrier = threading.Barrier(len(steps), timeout=TIMEOUT)
    outcomes = [Outcome() for _ in steps]

    def runner(index: int, step: Callable[[], Any]):
        def run():
            try:
                barrier.wait()
                if atomic:
                    with transaction.atomic():
                        outcomes[index].value = step()
                else:
                    outcomes[index].value = step()
            except BaseException as error:  # noqa: BLE001 - handed to the test, which asserts on it
                outcomes[index].error = error
            finally:
                outcomes[index].finished = time.monotonic()
                connections.close_all()
        return run

    _run([runner(index, step) for index, step in enumerate(steps)])
    return outcomes


def _run(targets) -> None:
    threads = [threading.Thread(target=target) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=TIMEOUT * 2)
    assert not any(thread.is_alive() for thread in threads), "a concurrent step did not finish"
