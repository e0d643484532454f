"""What a long-running process (the watcher) keeps from one pass to the next."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


class Cache:
    """Values of the previous pass that the next pass may reuse, each under a key that holds all its inputs.

    A pass with a Cache does exactly what a pass without one does: a value is reused only
    when its key, everything it was computed from, is equal. What a pass did not ask for is
    dropped at its end, so the Cache holds one pass's values. Besides the values it keeps the
    journal, which a pass continues only when the file on disk still starts with what it read
    (see Journaal.lees).
    """

    def __init__(self) -> None:
        self._previous: dict[Hashable, Any] = {}
        self._current: dict[Hashable, Any] = {}
        self.journal: Any = None  # the Journaal of the last pass
        self.passes = 0  # complete passes it served; the first one fills it

    def __call__(self, key: Hashable, compute: Callable[[], T]) -> T:
        """Return the value under *key*: the previous pass's, or compute() when it had none."""
        try:
            return self._current[key]
        except KeyError:
            pass
        value = self._previous.pop(key) if key in self._previous else compute()
        self._current[key] = value
        return value

    def end_pass(self) -> None:
        """Drop what the pass that ends now did not use."""
        self._previous, self._current = self._current, {}
        self.passes += 1
