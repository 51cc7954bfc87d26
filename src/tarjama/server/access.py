"""Who may call a route, and how often: LibreTranslate's rules for keys, bans and limits.

In order, for every limited route:

1. an address with too many rate-limit violations (``--req-flood-threshold``) is refused
   (403), until it is forgiven, one violation per 10 minutes;
2. with ``--api-keys``, a key that is given must be valid (403); a keyless request is let
   through at the default limits unless a rule requires a key (400, the answer Mastodon
   and others expect): ``--under-attack``, an Origin that does not match
   ``--require-api-key-origin``, a request that does not come from the server's own page
   (``--require-api-key-secret``), or an address whose fingerprint changed
   (``--require-api-key-fingerprint``);
3. the request is charged to its client (the key, else the address) on that route's
   windows, a list costing its items (429 past a limit).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request

from ..workspace.stores import ApiKey, KeyLookup
from .errors import ApiError
from .hosting import route_path
from .ratelimit import RateLimiter, Window, windows_for
from .settings import Settings

KEY_REQUIRED = "Please contact the server operator to get an API key"
KEY_INVALID = "Invalid API key"
BANNED = "Too many request limits violations"
#: How long an address keeps its first fingerprint, as in LibreTranslate.
FINGERPRINT_TTL = 300.0
FORGIVE_EVERY = 600.0


@dataclass(frozen=True)
class Access:
    """What a request was let in as."""

    key: ApiKey | None
    client: str

    @property
    def key_name(self) -> str | None:
        """For logs and metrics: the key's name, never the key."""
        if self.key is None:
            return None
        return self.key.name or f"key#{self.key.id}"

    def char_limit(self, default: int) -> int:
        """The key's own character limit, else the server's."""
        if self.key is not None and self.key.char_limit:
            return self.key.char_limit
        return default


class Flood:
    """Rate-limit violations per address (LibreTranslate's flood module)."""

    def __init__(self, threshold: int, clock: Callable[[], float]) -> None:
        self.threshold = threshold
        self._clock = clock
        self._counts: dict[str, int] = {}
        self._next_forgive = clock() + FORGIVE_EVERY

    def report(self, address: str) -> None:
        if self.threshold > 0:
            self._counts[address] = self._counts.get(address, 0) + 1

    def banned(self, address: str) -> bool:
        if self.threshold <= 0:
            return False
        now = self._clock()
        while now >= self._next_forgive:
            self._next_forgive += FORGIVE_EVERY
            for ip, count in list(self._counts.items()):
                left = min(self.threshold, count) - 1
                if left <= 0:
                    del self._counts[ip]
                else:
                    self._counts[ip] = left
        return self._counts.get(address, 0) >= self.threshold


class Fingerprints:
    """The first User-Agent and Cookie seen from each address, kept five minutes."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._seen: dict[str, tuple[str, float]] = {}

    def changed(self, address: str, fingerprint: str) -> bool:
        if not fingerprint:
            return True
        now = self._clock()
        if len(self._seen) > 10_000:
            self._seen = {a: v for a, v in self._seen.items() if v[1] > now}
        expected = self._seen.get(address)
        if expected is None or expected[1] <= now:
            self._seen[address] = (fingerprint, now + FINGERPRINT_TTL)
            return False
        return expected[0] != fingerprint


class Gate:
    def __init__(
        self,
        settings: Settings,
        keys: KeyLookup | None,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.keys = keys
        self.limiter = RateLimiter(clock=clock)
        self.flood = Flood(settings.req_flood_threshold, clock)
        self.fingerprints = Fingerprints(clock)
        self._origin = (
            re.compile(settings.require_api_key_origin) if settings.require_api_key_origin else None
        )

    def key_required_message(self) -> str:
        link = self.settings.get_api_key_link
        return f"Visit {link} to get an API key" if link else KEY_REQUIRED

    def needs_key(self, request: Request, address: str) -> bool:
        """Whether a keyless request must bring a key (the rules of the module's doc)."""
        s = self.settings
        headers = request.headers
        if s.under_attack:
            return True
        if self._origin is not None and not self._origin.match(headers.get("origin", "")):
            return True
        # LibreTranslate's page carries a rotating secret to prove it is the page; a
        # browser says so itself, in a header no script can set.
        if s.require_api_key_secret and headers.get("sec-fetch-site") != "same-origin":
            return True
        fingerprint = headers.get("user-agent", "") + headers.get("cookie", "")
        return s.require_api_key_fingerprint and self.fingerprints.changed(address, fingerprint)

    def windows(self, key: ApiKey | None) -> list[Window]:
        s = self.settings
        return windows_for(
            req_limit=s.req_limit,
            hourly=s.hourly_req_limit,
            decay=s.hourly_req_limit_decay,
            daily=s.daily_req_limit,
            key_limit=key.req_limit if key is not None else None,
            hourly_multiplier=s.hourly_req_limit_multiplier,
            daily_multiplier=s.daily_req_limit_multiplier,
        )

    async def admit(self, request: Request, api_key: str | None, cost: int = 1) -> Access:
        """Let a request in, or raise the refusal (403, 400, 429)."""
        address = request.client.host if request.client else "unknown"
        if self.flood.banned(address):
            raise ApiError(403, BANNED)
        record = None
        if self.keys is not None:
            if api_key:
                record = await asyncio.to_thread(self.keys.lookup, api_key)
                if record is None:
                    raise ApiError(403, KEY_INVALID)
            elif self.needs_key(request, address):
                raise ApiError(400, self.key_required_message())
        access = Access(record, f"key:{record.id}:{record.name}" if record else f"ip:{address}")
        route = route_path(request.scope)
        windows = self.windows(record)
        refused = self.limiter.hit(access.client, route, windows, max(cost, 1))
        if refused is not None:
            self.flood.report(address)
            raise ApiError(429, f"Slowdown: {refused.describe()}")
        note = request.scope.setdefault("state", {})
        note["tarjama.key"] = access.key_name
        if self.settings.req_time_cost > 0 and windows:
            # A slow request costs its time too (LibreTranslate's --req-time-cost).
            per = self.settings.req_time_cost

            def charge_time(seconds: float) -> None:
                extra = int(-(-seconds // per)) - max(cost, 1)
                if extra > 0:
                    self.limiter.charge(access.client, route, windows, extra)

            note.setdefault("tarjama.after", []).append(charge_time)
        return access
