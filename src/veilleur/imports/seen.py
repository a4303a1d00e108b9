"""The posts an import has met so far, to count a file's repeats, in about 8 bytes a post.

A Python ``set`` of the keys' hashes cost ~60–90 bytes a post: 60 MB more at a million
posts, the only part of an import's memory that grew with the file (benchmarks/README.md,
"A quiet machine, eighth session"). Here the recent keys are in a small set and the older
ones in one sorted array of 64-bit integers, looked up by bisection (a ``memoryview`` of it,
whose items are read without making numpy scalars); the set is merged into the array when it
holds :data:`WINDOW` keys (a copy of the array: 7 merges at a million posts, 76 at ten
million). numpy is imported at the first merge only: a file of fewer posts does not pay its
~10 MB.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

WINDOW = 1 << 17


class SeenKeys:
    """``add(key)``: True the first time a key is met, False after."""

    def __init__(self, window: int | None = None) -> None:
        self._window = WINDOW if window is None else window
        self._recent: set[int] = set()
        self._old: npt.NDArray[np.int64] | None = None
        self._view = memoryview(array("q"))

    def __len__(self) -> int:
        return len(self._recent) + len(self._view)

    def add(self, key: int) -> bool:
        if key in self._recent:
            return False
        view = self._view
        i = bisect_left(view, key)
        if i < len(view) and view[i] == key:
            return False
        self._recent.add(key)
        if len(self._recent) >= self._window:
            self._merge()
        return True

    def _merge(self) -> None:
        import numpy as np

        recent = np.fromiter(self._recent, dtype=np.int64, count=len(self._recent))
        recent.sort()
        old = np.empty(0, dtype=np.int64) if self._old is None else self._old
        # No key is in both: each recent key goes where bisection puts it.
        merged = np.insert(old, np.searchsorted(old, recent), recent)
        self._view.release()
        self._old = merged
        self._view = merged.data
        self._recent = set()
