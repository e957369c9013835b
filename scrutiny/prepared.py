"""A query of every answering request with its SQL made once a process (issue 19).

Django compiles a queryset's SQL every time it runs. For the audit page's read of its assignment,
which joins six tables, compiling is most of the query's cost: 0.9 ms of 1.2 ms of CPU on the
bench's machine, against 0.1 ms for SQLite to run it (bench/RESULTS.md). A `Prepared` query is
written once as a queryset, with a stand-in for each value that changes from one call to the
next; the first call on a database compiles it, and every call after runs the same SQL with the
values given and makes the model instances (those of `select_related` too) as the queryset would.

It leans on Django's compiler (`SQLCompiler.as_sql`, `results_iter`, and the related populators
of `django.db.models.query`), as Django's own `ModelIterable` does; Django is pinned in
pyproject.toml, and tests/scrutiny/test_prepared.py and tests/audits/test_access_prepared.py
compare what it gives with the queryset's own result, so a Django that changes them fails there
first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, MultipleObjectsReturned
from django.db import connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import (  # type: ignore[attr-defined]
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError

M = TypeVar("M", bound=Model)
_TEXTS = frozenset({"CharField", "TextField"})
_TEXT_STAND_IN = "scrutiny.prepared: stand-in for "
_PREFETCHES, _KNOWN_RELATED = "_prefetch_related_lookups", "_known_related_objects"  # QuerySet's


@dataclass(frozen=True)
class _Made(Generic[M]):
    sql: str
    params: tuple[tuple[str | None, Any], ...]  # (the stand-in's name, or None and a constant)
    ranges: dict[str, tuple[int, int]]  # the values each name's column can hold
    compiler: SQLCompiler
    converters: dict[int, Any]  # each column's conversions (`get_converters`), made once too
    model: type[M] | None  # None for a `values_list` queryset: `rows` gives its rows
    init_list: list[str]
    fields: slice
    populators: list[Any]


class Prepared(Generic[M]):
    """`build(**stand_ins)` gives the queryset; `one(**values)` runs it with `values` in place
    of the stand-ins and gives its one row as a model instance, or None when it has none; for a
    `values_list` queryset, `rows(**values)` gives its rows as the queryset would.

    Each name is given with the key it is compared with (`pk=Assignment._meta.pk`): an integer,
    whose column's range on the database bounds the values (one beyond it matches nothing, as
    in Django's own lookups), or a text (`session_key=Session._meta.pk`), compared as it is.
    For `one`, the queryset must select no more than one row (an ordering and a slice may pick
    it: `.order_by("-number")[:1]`); its `select_related` objects come with it. The model's
    default ordering is left out; an ordering given is kept."""

    def __init__(self, build: Callable[..., QuerySet[M, Any]], **keys: Field[Any, Any]) -> None:
        self.build = build
        self.keys = keys
        self._made: dict[str, _Made[M]] = {}
        self._lock = threading.Lock()

    def _make(self, alias: str) -> _Made[M]:
        ranges, stand_ins = self._stand_ins(alias)
        queryset = self.build(**stand_ins).using(alias)
        queryset.query.default_ordering = False  # Meta's ordering (joins); one given is kept
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            raise ValueError("the queryset matches nothing whatever its values") from None
        slots = self._slots(params, stand_ins)
        selected = [column[0] for column in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(selected):
            raise ValueError("a composite key is not read by a prepared query")
        converters = compiler.get_converters(selected)
        kind = queryset._iterable_class
        if kind is ValuesListIterable:  # rows, no model
            return _Made(sql, slots, ranges, compiler, converters, None, [], slice(0), [])
        info = compiler.klass_info
        if kind is not ModelIterable or info is None:
            raise ValueError("the queryset gives model instances or values_list's tuples")
        query = queryset.query
        if query.annotation_select or query.extra_select or getattr(queryset, _PREFETCHES):
            # What `one` would leave out of the instances (as would `known_related_objects`).
            raise ValueError("a prepared query's instances take no annotation or prefetch")
        if getattr(queryset, _KNOWN_RELATED):
            raise ValueError("a prepared query's instances take no related manager's objects")
        columns = info["select_fields"]
        fields = slice(columns[0], columns[-1] + 1)
        return _Made(
            sql=sql,
            params=slots,
            ranges=ranges,
            compiler=compiler,
            converters=converters,
            model=info["model"],
            init_list=[column[0].target.attname for column in compiler.select[fields]],
            fields=fields,
            populators=get_related_populators(info, compiler.select, alias),
        )

    def _stand_ins(self, alias: str) -> tuple[dict[str, tuple[int, int]], dict[str, int | str]]:
        """Each integer key's range on the database, and each key's stand-in: near the top of
        an integer column's range, where no row's key is, each its own; for a text, a text no
        key is (never sent: the values take their places)."""
        ops = connections[alias].ops
        ranges = {
            name: ops.integer_field_range(key.get_internal_type())
            for name, key in self.keys.items()
            if key.get_internal_type() in ops.integer_field_ranges
        }
        texts = {name for name in self.keys if name not in ranges}
        if any(self.keys[name].get_internal_type() not in _TEXTS for name in texts):
            raise ValueError("each key is an integer or a text")
        stand_ins: dict[str, int | str] = {
            name: ranges[name][1] - 1 - i if name in ranges else f"{_TEXT_STAND_IN}{name}"
            for i, name in enumerate(self.keys)
        }
        return ranges, stand_ins

    def _slots(
        self, params: Any, stand_ins: dict[str, int | str]
    ) -> tuple[tuple[str | None, Any], ...]:
        """The SQL's parameters: each a stand-in's name, or a constant."""
        named = {value: name for name, value in stand_ins.items()}
        slots = tuple(
            (named[p], None) if isinstance(p, int | str) and p in named else (None, p)
            for p in params
        )
        missing = set(self.keys) - {name for name, _ in slots if name is not None}
        if missing:
            raise ValueError(f"the queryset does not filter by {sorted(missing)} as given")
        return slots

    def _made_for(self, using: str) -> _Made[M]:
        made = self._made.get(using)
        if made is None:
            with self._lock:
                made = self._made.get(using) or self._make(using)
                self._made[using] = made
        return made

    def _fetch(self, made: _Made[M], using: str, values: dict[str, int | str], most: int) -> list:
        """At most `most` rows (all, when 0), their columns converted as Django converts them;
        none when a value is beyond its column's range (as Django's lookups: no row, no error)."""
        for name, value in values.items():
            if name not in made.ranges:
                if not isinstance(value, str):
                    raise TypeError(f"{name} is compared with a text, not {value!r}")
                continue
            if not isinstance(value, int):
                raise TypeError(f"{name} is compared with an integer, not {value!r}")
            low, high = made.ranges[name]
            if not low <= value <= high:
                return []
        params = [values[name] if name is not None else constant for name, constant in made.params]
        connection = connections[using]
        locks = made.compiler.query.select_for_update and connection.features.has_select_for_update
        if locks and connection.get_autocommit():
            # As Django checks when it compiles (this compiled once): a lock ends at once.
            raise TransactionManagementError("select_for_update outside of a transaction")
        with connection.cursor() as cursor:
            cursor.execute(made.sql, params)
            rows = cursor.fetchmany(most) if most else cursor.fetchall()
        if not made.converters:
            return rows
        return list(made.compiler.apply_converters(rows, made.converters))

    def one(self, *, using: str = "default", **values: int | str) -> M | None:
        made = self._made_for(using)
        if made.model is None:
            raise TypeError("a values_list query gives rows: call rows()")
        rows = self._fetch(made, using, values, 2)
        if not rows:
            return None
        if len(rows) > 1:
            raise MultipleObjectsReturned(f"more than one {made.model.__name__}")
        row = rows[0]
        obj = made.model.from_db(using, made.init_list, row[made.fields])
        for populator in made.populators:
            populator.populate(row, obj)
        return obj

    def rows(self, *, using: str = "default", **values: int | str) -> list[tuple[Any, ...]]:
        """A `values_list` queryset's rows, each a tuple, as the queryset gives them."""
        made = self._made_for(using)
        if made.model is not None:
            raise TypeError("a query of model instances gives one: call one()")
        return [tuple(row) for row in self._fetch(made, using, values, 0)]
