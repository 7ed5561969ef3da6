"""How often one page session may ask: a moving one-minute window per session (limits)."""

from __future__ import annotations

import math
import time

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter


class QuestionLimit:
    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._item = RateLimitItemPerMinute(per_minute) if per_minute else None
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def refusal(self, session: str) -> str | None:
        """None if this session may ask now, else the message that says when it may."""
        if self._item is None or self._limiter.hit(self._item, session):
            return None
        reset = self._limiter.get_window_stats(self._item, session).reset_time
        wait = max(1, math.ceil(reset - time.time()))
        return (
            f"This page answers up to {self.per_minute} questions a minute per visitor; "
            f"please ask again in {wait} s."
        )
