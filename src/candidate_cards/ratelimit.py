"""A client-wide cap on requests per period, shared by every run a client polls.

A request counts from when its answer arrived, so the server, which counts arrivals, never
sees more than ``requests`` in any ``period``, however long each request took on the wire.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager


class RateLimiter:
    """At most ``requests`` requests in any ``period`` seconds; thread-safe."""

    def __init__(
        self,
        requests: int = 120,
        period: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if requests < 1 or period <= 0:
            raise ValueError("a rate limit needs requests >= 1 and period > 0")
        self.requests = requests
        self.period = period
        self._clock = clock
        self._sleep = sleep
        self._done: deque[float] = deque()
        self._in_flight = 0
        self._lock = threading.Lock()

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for room, then hold a slot for the request made inside the block."""
        while (delay := self._reserve()) > 0:
            self._sleep(delay)
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1
                self._done.append(self._clock())

    def _reserve(self) -> float:
        """Take a slot and return 0, or return how long to wait before asking again."""
        with self._lock:
            now = self._clock()
            while self._done and self._done[0] <= now - self.period:
                self._done.popleft()
            if len(self._done) + self._in_flight < self.requests:
                self._in_flight += 1
                return 0.0
            if not self._done:  # every slot is in flight: wait for one to finish
                return min(self.period, 0.05)
            return self._done[0] + self.period - now
