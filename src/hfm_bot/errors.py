"""The error family: each one carries what a user needs to fix the input, and its exit code.

The CLI maps these to a one-line message and an exit code; anything else is a bug and
keeps its traceback.
"""

from __future__ import annotations


class HfmBotError(Exception):
    """Base of every error hfm-bot reports to a user instead of a traceback."""

    exit_code = 1


class InputError(HfmBotError):
    """Bad input from the user (a file, a flag, a value): exit 2, as for bad usage."""

    exit_code = 2


class ConfigError(InputError):
    """The configuration file is unreadable or a key has the wrong name or type."""


class ListFormatError(InputError):
    """The awesome-list file cannot be used: empty, binary, too large, or without sections."""
