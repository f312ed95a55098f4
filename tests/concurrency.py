"""Running calls at the same instant, each in its own thread and database connection."""

import threading
from collections.abc import Callable

from django.db import connections


def at_the_same_instant(calls: list[Callable]) -> list:
    """Start every call together (a barrier releases them at once); return what each returned,
    or the exception it raised, in order."""
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index: int, call: Callable) -> None:
        try:
            barrier.wait()
            outcomes[index] = call()
        except BaseException as exc:  # noqa: BLE001 — handed to the test to assert on
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes
