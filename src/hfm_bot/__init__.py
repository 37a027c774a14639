"""hfm-bot: keeps a curated awesome list of papers alive.

Nothing runs at import time; the command line lives in :mod:`hfm_bot.cli`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hfm-bot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
