"""Request-rate limits as LibreTranslate counts them: windows per client and route, a
request costing its number of items.

Each (client, route) has one counter per window (a minute, hours, a day). A window is a
moving one, approximated the usual way: the count of the current fixed window plus the
previous window's count weighted by how much of it still overlaps. That is three numbers
per counter instead of a timestamp per request, and counters idle for two windows are
forgotten, so memory stays bounded by the clients seen lately.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Window:
    limit: int
    seconds: float
    #: As LibreTranslate says it: "1 minute", "2 hour", "1 day".
    label: str

    def describe(self) -> str:
        return f"{self.limit} per {self.label}"


class RateLimiter:
    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        # (client, route, window length) -> [window start, previous count, current count]
        self._counters: dict[tuple[str, str, float], list[float]] = {}
        self._next_sweep = 0.0

    def _counter(self, key: tuple[str, str, float], now: float) -> list[float]:
        seconds = key[2]
        start = math.floor(now / seconds) * seconds
        counter = self._counters.get(key)
        if counter is None:
            counter = self._counters[key] = [start, 0.0, 0.0]
        elif counter[0] != start:
            previous = counter[2] if start - counter[0] == seconds else 0.0
            counter[:] = [start, previous, 0.0]
        return counter

    def _used(self, counter: list[float], seconds: float, now: float) -> float:
        overlap = 1.0 - (now - counter[0]) / seconds
        return counter[1] * overlap + counter[2]

    def hit(
        self, client: str, route: str, windows: Sequence[Window], cost: int = 1
    ) -> Window | None:
        """Charge ``cost`` to every window, or to none: returns the window that refuses."""
        now = self._clock()
        self._sweep(now)
        counters = []
        for w in windows:
            counter = self._counter((client, route, w.seconds), now)
            if self._used(counter, w.seconds, now) + cost > w.limit:
                return w
            counters.append(counter)
        for counter in counters:
            counter[2] += cost
        return None

    def charge(self, client: str, route: str, windows: Sequence[Window], cost: int) -> None:
        """Charge more after the fact (a slow request's time cost); never refuses."""
        now = self._clock()
        for w in windows:
            self._counter((client, route, w.seconds), now)[2] += cost

    def __len__(self) -> int:
        return len(self._counters)

    def _sweep(self, now: float) -> None:
        if now < self._next_sweep:
            return
        self._next_sweep = now + 60.0
        stale = [k for k, c in self._counters.items() if now - c[0] >= 2 * k[2]]
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
