"""The type of a value as ``json`` reads and writes it, for typed parsing at the edges.

A record read from a file is ``JSON`` (or ``object``) until a parser checks each field and
builds a typed value; what the bot writes is built as ``JSONObject``. Both are unions mypy
can check, so a field used without a check is a type error rather than a crash at night.
"""

from __future__ import annotations

from typing import TypeAlias

JSON: TypeAlias = "dict[str, JSON] | list[JSON] | str | int | float | bool | None"
JSONObject: TypeAlias = "dict[str, JSON]"
