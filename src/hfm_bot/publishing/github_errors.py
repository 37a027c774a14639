"""GitHub's failures as the bot's errors, for every module that calls GitHub's REST API.

Why a module of its own: the rolling branch (:mod:`hfm_bot.publishing.github`) and the state
branch (:mod:`hfm_bot.publishing.state_branch`) both turn PyGithub's exceptions into the same
messages, and the rolling branch commits its state through the state branch's Git Data; with
the translation in one of them, the two imported each other.
"""

from __future__ import annotations

import datetime as dt

from hfm_bot.publishing.interface import PublishConflict, PublishError


def github_error(err: Exception, what: str) -> PublishError:
    """A user-facing error for a PyGithub or transport failure while doing ``what``."""
    from github import GithubException, RateLimitExceededException

    if isinstance(err, RateLimitExceededException):
        reset = (err.headers or {}).get("x-ratelimit-reset") or (err.headers or {}).get(
            "X-RateLimit-Reset"
        )
        when = (
            dt.datetime.fromtimestamp(int(reset), dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            if reset and str(reset).isdigit()
            else "later"
        )
        return PublishError(
            f"GitHub rate limit reached while {what}; stopped cleanly, retry after {when}"
        )
    if isinstance(err, GithubException):
        message = err.data.get("message") if isinstance(err.data, dict) else err.data
        if err.status == 409:
            return PublishConflict(f"GitHub: the branch changed while {what}: {message}")
        if err.status == 404:
            return PublishError(
                f"GitHub: not found while {what} (does the token see the repository?)"
            )
        if err.status == 401:
            return PublishError(f"GitHub: the token was refused while {what}")
        return PublishError(f"GitHub: HTTP {err.status} while {what}: {message}")
    return PublishError(f"GitHub unreachable while {what}: {type(err).__name__}")
