"""Every success factor's score, rating and breakdowns (`scrutiny_scores`), in one query.

How it is computed. One query works out ``s(r, f)`` for every counting response and factor
and, around it, adds those up by source, agency and area: for each factor, a sum of ``s(r, f)``
and a count. That table has at most (sources x agencies x areas x factors)
rows, whatever the number of responses, and source means, triangulation and every breakdown are
combined from it in Python. So scoring a scrutiny is two queries (its factors, then that one),
however many responses, agencies or areas it has. That table is kept between requests while the
scrutiny's evidence is unchanged (`scrutiny.kept`): then the one query is its evidence stamp.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection
from django.db.models import Field, Model

from scrutiny.errors import ApplicationError
from scrutiny.kept import kept
from scrutiny.models import Agency, Answer, Area, FactorLink, Response, Scrutiny, SuccessFactor
from scrutiny.scoring.results import (
    SOURCES,
    Cell,
    FactorScores,
    ScrutinyScores,
    clamped,
    display_score,
    rating_for,
)

# ---------------------------------------------------------------------------------------------
# The aggregate.


@dataclass(frozen=True)
class _Row:
    """Counting responses of one source, agency and area, for one factor: Σ s(r, f) and n."""

    source: str
    agency: str | None
    area: str | None
    factor_id: int
    total: float
    n: int


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model: type[Model]) -> str:
    return _q(model._meta.db_table)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field)  # a column of the table, not the far side of a relation
    return _q(field.column)


def _aggregate_sql(factors: int) -> str:
    """SQL of the one scoring query, for a scrutiny of `factors` success factors.

    Parameters: each factor's id twice, then the scrutiny's id and the submitted status.

    The inner query makes one row per counting response, holding for each factor f the sums
    ``Σ w(q, f)·s(r, q)`` (n_f) and ``Σ w(q, f)`` (d_f) over its scored answers; d_f is null when
    the response has none for f. Grouping by response alone (rather than by response and factor)
    lets SQLite read the rows in the order of the response index without sorting them, which
    halves the time. The outer query adds ``s(r, f) = n_f / d_f`` up by source, agency and area,
    and counts the responses with a d_f. Plain SQL that SQLite and PostgreSQL both run: the ORM
    cannot aggregate over an aggregate. Only names of the models' tables and columns are
    formatted in; every value is a parameter.
    """
    r, a, link, ag, ar = Response, Answer, FactorLink, Agency, Area
    weight, score = f"l.{_column(link, 'weight')}", f"a.{_column(a, 'score')}"
    factor = f"l.{_column(link, 'factor')}"
    sums = ",\n".join(
        f"SUM(CASE WHEN {factor} = %s THEN {weight} * {score} END) AS n{i}, "
        f"SUM(CASE WHEN {factor} = %s THEN {weight} END) AS d{i}"
        for i in range(factors)
    )
    means = ",\n".join(f"SUM(p.n{i} / p.d{i}), COUNT(p.d{i})" for i in range(factors))
    # GROUP BY the response's primary key: its other columns depend on it (PostgreSQL allows
    # them for that reason; SQLite allows them anyway). The WHERE on status and superseded_by is
    # the rule of the counting responses (`ResponseQuerySet.counting`) spelt in this plain SQL.
    per_response = f"""
        SELECT r.{_column(r, "source")} AS source,
               r.{_column(r, "agency")} AS agency_id,
               r.{_column(r, "area")} AS area_id,
               {sums}
        FROM {_table(r)} r
        INNER JOIN {_table(a)} a ON a.{_column(a, "response")} = r.{_column(r, "id")}
        INNER JOIN {_table(link)} l ON l.{_column(link, "question")} = a.{_column(a, "question")}
        WHERE r.{_column(r, "scrutiny")} = %s
          AND r.{_column(r, "status")} = %s
          AND r.{_column(r, "superseded_by")} IS NULL
          AND a.{_column(a, "score")} IS NOT NULL
        GROUP BY r.{_column(r, "source")}, r.{_column(r, "id")}
    """  # noqa: S608
    return f"""
        SELECT p.source, ag.{_column(ag, "code")}, ar.{_column(ar, "code")},
               {means}
        FROM ({per_response}) p
        LEFT JOIN {_table(ag)} ag ON ag.{_column(ag, "id")} = p.agency_id
        LEFT JOIN {_table(ar)} ar ON ar.{_column(ar, "id")} = p.area_id
        GROUP BY p.source, p.agency_id, ag.{_column(ag, "code")},
                 p.area_id, ar.{_column(ar, "code")}
    """  # noqa: S608


def _rows(scrutiny: Scrutiny, factor_ids: list[int]) -> list[_Row]:
    """The small table, kept while the scrutiny's evidence is unchanged (`scrutiny.kept`)."""
    if not factor_ids:
        return []
    return kept(scrutiny, "scores", lambda: _rows_read(scrutiny, factor_ids), tuple(factor_ids))


def _rows_read(scrutiny: Scrutiny, factor_ids: list[int]) -> list[_Row]:
    params: list[int | str] = [pk for pk in factor_ids for _ in range(2)]
    params += [scrutiny.pk, Response.Status.SUBMITTED]
    rows: list[_Row] = []
    with connection.cursor() as cursor:
        cursor.execute(_aggregate_sql(len(factor_ids)), params)
        for source, agency, area, *cells in cursor.fetchall():
            for i, factor_id in enumerate(factor_ids):
                total, n = cells[2 * i], cells[2 * i + 1]
                if n:
                    rows.append(_Row(source, agency, area, factor_id, float(total), int(n)))
    return rows


# ---------------------------------------------------------------------------------------------
# Combining the small table: source means (§6), triangulation (§7), breakdowns (§9).


class _Tally:
    """Sums of s(r, f) and counts, kept per source, to be combined into a triangulated cell."""

    def __init__(self) -> None:
        self.totals: dict[str, list[float]] = defaultdict(list)
        self.counts: dict[str, int] = defaultdict(int)

    def add(self, row: _Row) -> None:
        self.totals[row.source].append(row.total)
        self.counts[row.source] += row.n

    def sources(self) -> dict[str, Cell]:
        """S(src, f) and n(src, f) for each source with n > 0 (§6), in SOURCES order."""
        return {
            source: Cell(clamped(math.fsum(self.totals[source]) / self.counts[source]), n)
            for source in SOURCES
            if (n := self.counts.get(source, 0)) > 0
        }

    def cell(self, weights: Mapping[str, float]) -> Cell | None:
        """The triangulated score of these responses (§7); None when none count."""
        return _triangulate(self.sources(), weights)


def _triangulate(sources: Mapping[str, Cell], weights: Mapping[str, float]) -> Cell | None:
    if not sources:
        return None
    total_weight = math.fsum(weights[source] for source in sources)
    if not total_weight > 0:
        raise ApplicationError(
            "The source weights of " + ", ".join(sources) + " add up to 0: each must be above 0."
        )
    score = math.fsum(weights[source] * cell.score for source, cell in sources.items())
    return Cell(clamped(score / total_weight), sum(cell.n for cell in sources.values()))


def _breakdown(tallies: Mapping[str, _Tally], weights: Mapping[str, float]) -> dict[str, Cell]:
    cells = {code: tally.cell(weights) for code, tally in sorted(tallies.items())}
    return {code: cell for code, cell in cells.items() if cell is not None}


def scrutiny_scores(*, scrutiny: Scrutiny) -> ScrutinyScores:
    """Every success factor's score, rating and breakdowns: unsuppressed (two queries)."""
    factors = sorted(
        SuccessFactor.objects.filter(scrutiny=scrutiny).only("id", "code", "statement"),
        key=lambda factor: factor.code,
    )
    weights = {source: scrutiny.source_weight(source) for source in SOURCES}
    overall: dict[int, _Tally] = defaultdict(_Tally)
    by_agency: dict[int, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    by_area: dict[int, dict[str, _Tally]] = defaultdict(lambda: defaultdict(_Tally))
    for row in _rows(scrutiny, [factor.pk for factor in factors]):
        overall[row.factor_id].add(row)
        if row.agency is not None:
            by_agency[row.factor_id][row.agency].add(row)
        if row.area is not None:
            by_area[row.factor_id][row.area].add(row)

    results: list[FactorScores] = []
    for factor in factors:
        tally = overall.get(factor.pk, _Tally())
        sources = tally.sources()
        cell = _triangulate(sources, weights)
        score = cell.score if cell else None
        n = cell.n if cell else 0
        results.append(
            FactorScores(
                code=factor.code,
                statement=factor.statement,
                score=score,
                display=display_score(score) if score is not None else None,
                rating=rating_for(
                    score=score,
                    n=n,
                    strong=scrutiny.strong_threshold,
                    some=scrutiny.some_threshold,
                    minimum=scrutiny.min_responses,
                ),
                n=n,
                sources=sources,
                agencies=_breakdown(by_agency.get(factor.pk, {}), weights),
                areas=_breakdown(by_area.get(factor.pk, {}), weights),
            )
        )
    return ScrutinyScores(slug=scrutiny.slug, title=scrutiny.title, factors=tuple(results))
