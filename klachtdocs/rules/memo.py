"""The memo: how a long-running caller lets a pass reuse values from earlier passes.

A function that takes a *memo* asks it for each value it may reuse, as
``memo(key, compute)``: the memo returns a value it holds for an equal key, or calls
``compute()`` and may keep what it returns. Every key holds all the inputs of its value,
so a pass with a memo does exactly what a pass without one does; only its cost differs.
Without a memo a function calls ``compute()`` itself (or passes ``no_memo``).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Protocol, TypeVar

T = TypeVar("T")


class Memo(Protocol):
    """Return the value for *key*: one kept for an equal key, or ``compute()``."""

    def __call__(self, key: Hashable, compute: Callable[[], T], /) -> T: ...


def no_memo(key: Hashable, compute: Callable[[], T], /) -> T:
    """Return ``compute()``: the memo that keeps nothing."""
    return compute()
