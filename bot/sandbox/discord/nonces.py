"""Discord's ``enforce_nonce`` de-duplication.

A message created with ``enforce_nonce`` whose nonce the same author already used within the window is not
created again: Discord returns the earlier message. discord.py sets ``enforce_nonce`` whenever ``nonce=`` is given.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class NonceLedger:
    def __init__(self, window: float = 300.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self.suppressed = 0
        self._seen: dict[tuple[int, str], tuple[float, int]] = {}

    def duplicate_of(self, author_id: int, nonce: str | int) -> int | None:
        """The id of the message this author already created with ``nonce`` inside the window (counted as
        suppressed), or None if a new message should be created."""
        seen = self._seen.get((author_id, str(nonce)))
        if seen is None or self.clock() - seen[0] > self.window:
            return None
        self.suppressed += 1
        return seen[1]

    def remember(self, author_id: int, nonce: str | int, message_id: int) -> None:
        self._seen[(author_id, str(nonce))] = (self.clock(), message_id)
