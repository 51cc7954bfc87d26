"""Request-rate limits as LibreTranslate counts them: windows per client and route, a
request costing its number of items.

Each (client, route) has one counter per window (a minute, hours, a day). A window is a
moving one, as LibreTranslate's (flask-limiter's moving window): what counts is what was
spent in the last minute, hour or day, not since the clock's last full minute. It is kept
in 60 slices of the window, each with the cost spent in it, instead of a timestamp per
request: a counter holds at most 60 numbers whatever the limit, and the oldest slice counts
whole, so the window errs on the strict side by under a sixtieth. Counters idle for a
whole window are forgotten, so memory stays bounded by the clients seen lately.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass

SLICES = 60


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float
    #: As LibreTranslate says it: "1 minute", "2 hour", "1 day".
    label: str

    def describe(self) -> str:
        return f"{self.limit} per {self.label}"


class _Counter:
    __slots__ = ("slices", "spent")

    def __init__(self) -> None:
        self.slices: deque[list[int]] = deque()  # [slice number, cost spent in it]
        self.spent = 0

    def used(self, now_slice: int) -> int:
        while self.slices and self.slices[0][0] <= now_slice - SLICES:
            self.spent -= self.slices.popleft()[1]
        return self.spent

    def add(self, now_slice: int, cost: int) -> None:
        if self.slices and self.slices[-1][0] == now_slice:
            self.slices[-1][1] += cost
        else:
            self.slices.append([now_slice, cost])
        self.spent += cost


class RateLimiter:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # (client, route, window length) -> its counter
        self._counters: dict[tuple[str, str, float], _Counter] = {}
        self._next_sweep = 0.0

    @staticmethod
    def _slice(now: float, seconds: float) -> int:
        return math.floor(now * SLICES / seconds)

    def hit(
        self, client: str, route: str, windows: Sequence[Window], cost: int = 1
    ) -> Window | None:
        """Charge ``cost`` to every window, or to none: returns the window that refuses."""
        now = self._clock()
        self._sweep(now)
        counters = []
        for w in windows:
            counter = self._counters.setdefault((client, route, w.seconds), _Counter())
            if counter.used(self._slice(now, w.seconds)) + cost > w.limit:
                return w
            counters.append((counter, w))
        for counter, w in counters:
            counter.add(self._slice(now, w.seconds), cost)
        return None

    def charge(self, client: str, route: str, windows: Sequence[Window], cost: int) -> None:
        """Charge more after the fact (a slow request's time cost); never refuses."""
        now = self._clock()
        for w in windows:
            counter = self._counters.setdefault((client, route, w.seconds), _Counter())
            counter.add(self._slice(now, w.seconds), cost)

    def __len__(self) -> int:
        return len(self._counters)

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60.0
        stale = [k for k, c in self._counters.items() if not c.used(self._slice(now, k[2]))]
        for key in stale:
            del self._counters[key]


def windows_for(
    *,
    req_limit: int,
    hourly: int,
    decay: int,
    daily: int,
    key_limit: int | None,
    hourly_multiplier: int = 60,
    daily_multiplier: int = 1440,
) -> list[Window]:
    """LibreTranslate's windows: a key's own per-minute limit replaces the default and
    scales the hourly and daily ones; each extra hourly window (``decay``) spans one more
    hour at 0.75 times the rate of the one before."""
    minute = key_limit if key_limit else req_limit
    windows = [Window(minute, 60.0, "1 minute")] if minute > 0 else []
    if hourly > 0:
        for n in range(1, decay + 2):
            base = key_limit * hourly_multiplier * n if key_limit else hourly * n
            windows.append(Window(int(base * 0.75 ** (n - 1)), 3600.0 * n, f"{n} hour"))
    if daily > 0:
        base = key_limit * daily_multiplier if key_limit else daily
        windows.append(Window(base, 86400.0, "1 day"))
    return windows
