"""Paper sources: one module per service, all behind :class:`~hfm_bot.sources.base.Source`."""

from hfm_bot.sources.base import (
    FetchWindow,
    Source,
    SourceError,
    SourceResult,
    Status,
    merge,
    run_sources,
)

__all__ = ["FetchWindow", "Source", "SourceError", "SourceResult", "Status", "merge", "run_sources"]
