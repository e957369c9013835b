"""The published snapshot: the event pack's data (`PackData`) as JSON, and back.

`snapshot_of` stores what `scrutiny.packs.data.pack_data` gives, already suppressed and redacted,
so the snapshot holds nothing the pack may not show. `pack_from_snapshot` gives it back as
`PackData` for the pages and the PDF renderer, with every text in it redacted again as redaction
stands now: a term the partnership adds after publishing goes from what the board reads too, as
it does from the plan's pages. The numbers are never touched: they are as signed off.

The way back follows `PackData`'s own type hints (nested dataclasses, tuples, optional values),
so that a field added to the pack's data is published without a change here.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any

from scrutiny.disclosure import Redactor
from scrutiny.packs.data import PackData

# The snapshot's shape: a change to PackData that old snapshots cannot be read as bumps it.
SNAPSHOT_FORMAT = 1


def snapshot_of(data: PackData) -> dict[str, Any]:
    """The pack's data as JSON (tuples become lists)."""
    return {"format": SNAPSHOT_FORMAT, "pack": dataclasses.asdict(data)}


def _redacted(value: Any, redactor: Redactor) -> Any:
    """Every string in the JSON (not the keys) through the redaction."""
    if isinstance(value, str):
        return redactor.redact(value)
    if isinstance(value, list):
        return [_redacted(item, redactor) for item in value]
    if isinstance(value, dict):
        return {key: _redacted(item, redactor) for key, item in value.items()}
    return value


def _decoded(kind: Any, value: Any) -> Any:
    """`value` (JSON) as the type `kind`: a dataclass from its fields, a tuple from a list."""
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                field.name: _decoded(hints[field.name], value[field.name])
                for field in dataclasses.fields(kind)
                if field.init and field.name in value
            }
        )
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin is tuple and isinstance(value, list):
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            return tuple(_decoded(arguments[0], item) for item in value)
        return tuple(_decoded(a, item) for a, item in zip(arguments, value, strict=True))
    if origin in (typing.Union, types.UnionType) and value is not None:
        given = [argument for argument in arguments if argument is not type(None)]
        return _decoded(given[0], value) if len(given) == 1 else value
    return value


def pack_from_snapshot(snapshot: dict[str, Any], *, redactor: Redactor) -> PackData:
    """The published pack's data, every text redacted by `redactor` (no query)."""
    data: PackData = _decoded(PackData, _redacted(snapshot["pack"], redactor))
    return data
