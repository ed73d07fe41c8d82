"""A time budget per search: past it, the engine stops collecting matches and the results say so (partial).

One budget covers every pass of a search (the strict query, the relaxed fallback, the suggestion): it is
opened around the whole search with `search_budget`, and each engine checks `budget_current()` while it
collects (the Whoosh engine's clock: whoosh_engine/budget.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Budget:
    deadline: float
    partial: bool = False  # a pass stopped at the deadline: counts and results are a lower bound


_current: ContextVar[Budget | None] = ContextVar("search_budget", default=None)


@contextmanager
def search_budget(*, seconds: float) -> Iterator[Budget]:
    """Every engine pass inside shares `seconds` (0: no budget)."""
    budget = Budget(deadline=time.monotonic() + seconds if seconds > 0 else float("inf"))
    token = _current.set(budget)
    try:
        yield budget
    finally:
        _current.reset(token)


def budget_current() -> Budget | None:
    return _current.get()


def budget_exceeded() -> bool:
    budget = _current.get()
    return budget is not None and budget.partial
