"""HTTP for the sources: a timeout on every request, bounded retries with backoff.

Retries happen only where waiting can help: 429 (honouring Retry-After), 5xx, connection
errors, timeouts, and bodies cut off mid-transfer. Anything else (a 400, a 404) fails at once.
Sleeping goes through an injected function, so tests run against slow or failing local
servers without waiting.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from hfm_bot import __version__
from hfm_bot.sources.base import SourceError

log = logging.getLogger(__name__)

USER_AGENT = f"hfm-bot/{__version__} (awesome-list maintenance bot)"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    timeout: float = 30.0
    """Seconds to connect and between bytes received."""
    attempts: int = 4
    """Tries in all, the first included."""
    backoff: float = 2.0
    """First wait; doubled after every failure."""
    max_wait: float = 120.0
    """No wait (backoff or Retry-After) is longer than this."""
    jitter: float = 0.25
    """Each backoff wait is stretched by up to this fraction at random."""


class Fetcher:
    """GETs bytes with the policy above; the only way sources reach the network."""

    def __init__(
        self,
        session: requests.Session,
        source: str,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.session = session
        self.source = source
        self.policy = policy or RetryPolicy()
        self.sleep = sleep
        self.rng = rng or random.Random()

    def get(self, url: str, *, accept_status: tuple[int, ...] = ()) -> requests.Response:
        """The response to a GET (body read in full). Raises :class:`SourceError` after the
        last try, or at once for a status that retrying cannot fix; a status in
        ``accept_status`` is returned for the caller to interpret."""
        policy = self.policy
        wait = policy.backoff
        last = "no attempt"
        for attempt in range(1, policy.attempts + 1):
            retry_after: float | None = None
            try:
                response = self.session.get(
                    url, timeout=policy.timeout, headers={"User-Agent": USER_AGENT}
                )
                _ = response.content  # read the body now: a cut-off body fails here
            except requests.exceptions.Timeout:
                last = f"timed out after {policy.timeout:g} s"
            except (
                requests.exceptions.ConnectionError,
                requests.exceptions.ChunkedEncodingError,
            ) as err:
                last = f"connection failed: {type(err).__name__}"
            else:
                status = response.status_code
                if status == 200 or status in accept_status:
                    return response
                if status == 429 or status >= 500:
                    last = f"HTTP {status}"
                    retry_after = _retry_after(response.headers.get("Retry-After"))
                else:
                    raise SourceError(self.source, url, f"HTTP {status}")
            if attempt == policy.attempts:
                break
            delay = (
                retry_after
                if retry_after is not None
                else wait * (1 + policy.jitter * self.rng.random())
            )
            delay = min(delay, policy.max_wait)
            log.info("%s: %s; retry %d in %.1f s: %s", self.source, last, attempt, delay, url)
            self.sleep(delay)
            wait *= 2
        raise SourceError(self.source, url, f"{last}, after {policy.attempts} tries")


def _retry_after(value: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())
