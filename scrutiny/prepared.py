"""A query of every answering request with its SQL made once a process (issue 19).

Django compiles a queryset's SQL every time it runs. For the audit page's read of its assignment,
which joins six tables, compiling is most of the query's cost: 0.9 ms of 1.2 ms of CPU on the
bench's machine, against 0.1 ms for SQLite to run it (bench/RESULTS.md). A `Prepared` query is
written once as a queryset, with a stand-in for each value that changes from one call to the
next; the first call on a database compiles it, and every call after runs the same SQL with the
values given and makes the model instances (those of `select_related` too) as the queryset would.

It leans on Django's compiler (`SQLCompiler.as_sql`, `results_iter`, and the related populators
of `django.db.models.query`), as Django's own `ModelIterable` does; Django is pinned in
pyproject.toml, and tests/scrutiny/test_prepared.py compares every call with the queryset's own
result, so a Django that changes them fails there first.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import MultipleObjectsReturned
from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)

# Stand-ins: numbers no row's id or key ever has, each told apart from the others.
_STAND_IN_BASE = -7_340_000_000_000
# What a key may be (a 64-bit integer, as the databases store them).
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1


@dataclass(frozen=True)
class _Made(Generic[M]):
    sql: str
    params: tuple[tuple[str | None, Any], ...]  # (the stand-in's name, or None and a constant)
    compiler: SQLCompiler
    model: type[M]
    init_list: list[str]
    fields: slice
    populators: list[Any]


class Prepared(Generic[M]):
    """`build(**stand_ins)` gives the queryset; `one(**values)` runs it with `values` in place
    of the stand-ins and gives its one row as a model instance, or None when it has none.

    The queryset must filter each name by an integer (an id or a key), select no more than one
    row, and have no ordering; its `select_related` objects come with it."""

    def __init__(self, build: Callable[..., QuerySet[M]], *names: str) -> None:
        self.build = build
        self.names = names
        self._made: dict[str, _Made[M]] = {}
        self._lock = threading.Lock()

    def _make(self, alias: str) -> _Made[M]:
        stand_ins = {name: _STAND_IN_BASE - i for i, name in enumerate(self.names)}
        queryset = self.build(**stand_ins).order_by().using(alias)
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        named = {value: name for name, value in stand_ins.items()}
        slots = tuple(
            (named[p], None) if isinstance(p, int) and p in named else (None, p) for p in params
        )
        missing = set(self.names) - {name for name, _ in slots if name is not None}
        if missing:
            raise ValueError(f"the queryset does not filter by {sorted(missing)} as given")
        info = compiler.klass_info
        assert info is not None
        columns = info["select_fields"]
        fields = slice(columns[0], columns[-1] + 1)
        return _Made(
            sql=sql,
            params=slots,
            compiler=compiler,
            model=info["model"],
            init_list=[column[0].target.attname for column in compiler.select[fields]],
            fields=fields,
            populators=get_related_populators(info, compiler.select, alias),
        )

    def one(self, *, using: str = "default", **values: int) -> M | None:
        if not all(_SMALLEST <= value <= _LARGEST for value in values.values()):
            return None  # no key is that large: as Django's lookups, no row rather than an error
        made = self._made.get(using)
        if made is None:
            with self._lock:
                made = self._made.get(using) or self._make(using)
                self._made[using] = made
        params = [values[name] if name is not None else constant for name, constant in made.params]
        with connections[using].cursor() as cursor:
            cursor.execute(made.sql, params)
            rows = cursor.fetchmany(2)
        if not rows:
            return None
        if len(rows) > 1:
            raise MultipleObjectsReturned(f"more than one {made.model.__name__}")
        row = next(iter(made.compiler.results_iter([rows])))
        obj = made.model.from_db(using, made.init_list, row[made.fields])
        for populator in made.populators:
            populator.populate(row, obj)
        return obj
