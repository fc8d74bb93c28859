"""How `waiwen run` splits due versions into batch flow runs (flows.dispatch.draft_batches)."""

from __future__ import annotations

import pytest

from flows.dispatch import draft_batches


@pytest.mark.parametrize(
    ("due", "size", "concurrency", "batches"),
    [
        # A few due: one small batch per concurrent run, the most urgent first in each.
        (5, 25, 4, [[1, 5], [2], [3], [4]]),
        (8, 25, 4, [[1, 5], [2, 6], [3, 7], [4, 8]]),
        # Many due: batches of the bounded size, each wave starting on the most urgent left.
        (9, 2, 2, [[1, 3], [2, 4], [5, 7], [6, 8], [9]]),
        (5, 2, 1, [[1, 2], [3, 4], [5]]),
        # One run at a time and a size of one: a batch per version, in order.
        (3, 1, 1, [[1], [2], [3]]),
        # A concurrency below one is one run at a time, not an empty plan.
        (3, 5, 0, [[1, 2, 3]]),
        (0, 25, 4, []),
    ],
)
def test_due_versions_split_into_bounded_batches_most_urgent_first(
    due: int, size: int, concurrency: int, batches: list[list[int]]
) -> None:
    version_ids = list(range(1, due + 1))
    planned = draft_batches(version_ids, size, concurrency)
    assert planned == batches
    assert sorted(v for batch in planned for v in batch) == version_ids  # each exactly once
    assert all(len(batch) <= size for batch in planned)
