"""The search budget (archive/search/budget.py) in Whoosh: a collector that stops at the deadline.

The clock is checked every few matches, so a pass overruns the budget by the time those take to score,
plus the query's set-up (a prefix's expansion, for instance), which the query limits bound. Whoosh's own
TimeLimitCollector is not used: wrapped around a filtering collector it collects past the filter and
mask, and its SIGALRM works only in the main thread.
"""

from __future__ import annotations

import time

from whoosh.collectors import FilterCollector, WrappingCollector
from whoosh.searching import TimeLimit

from archive.search.budget import budget_current

CHECK_EVERY = 64  # matches between two looks at the clock


class _DeadlineCollector(WrappingCollector):
    def __init__(self, child, deadline: float):
        super().__init__(child)
        self.deadline = deadline

    def matches(self):
        clock = time.monotonic
        for count, sub_docnum in enumerate(self.child.matches()):
            if not count % CHECK_EVERY and clock() > self.deadline:
                raise TimeLimit
            yield sub_docnum


def budgeted_search(searcher, query, **kwargs):
    """`searcher.search(query, **kwargs)`, stopped at the current budget's deadline."""
    budget = budget_current()
    if budget is None or budget.deadline == float("inf"):
        return searcher.search(query, **kwargs)
    allow, restrict = kwargs.pop("filter", None), kwargs.pop("mask", None)
    # The clock sits under the filter, so that the filter and mask still apply to what is collected.
    collector = _DeadlineCollector(searcher.collector(**kwargs), budget.deadline)
    if allow is not None or restrict is not None:
        collector = FilterCollector(collector, allow, restrict)
    try:
        searcher.search_with_collector(query, collector)
    except TimeLimit:
        budget.partial = True
    return collector.results()
