"""Reads that run on every request of a page, compiled to SQL once per process.

Django builds and compiles a queryset anew each time it runs. For the questionnaire step's
small reads (the session, the memberships, the perspective with its assessment, the answers,
the actions and the evidence) that costs more CPU than running them: about 4 of a step's
13 ms against 0.7 ms in SQLite (docs/performance.md, "2026-12-07 (night)"). A `PreparedRead`
lets the ORM write the SQL the first time, for each database and each shape of its arguments
(the length of a list), then runs that SQL with the new values and turns the rows into what
the queryset itself returns, through the same converters: model instances with their
``select_related`` objects and annotations, tuples of ``values_list``, single values of
``values_list(flat=True)`` or dicts of ``values``.

A read is written as a function from keyword arguments to a queryset. The arguments are ints
or strings, or lists or tuples of them, used only as filter values the ORM passes on unchanged
(``=`` and ``IN``): the first compile fills them with values nothing else uses and finds them
among the query's parameters, and refuses a queryset where one is missing (a ``LIKE`` or a
value the query changes) or that it cannot rebuild the rows of (``extra``, prefetching).
"""

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesIterable,
    ValuesListIterable,
    get_related_populators,
)

# Stand-ins the first compile puts where the arguments go: no key of a real row comes near
# these (below 2**63 for SQLite and bigint), and no text a user types starts with U+E000.
_INT_STAND_IN = 8_646_911_284_551_300_000
_TEXT_STAND_IN = "\ue000prepared-read-"

Argument = int | str | Sequence[int] | Sequence[str]


@dataclass(frozen=True)
class _Slot:
    """Where one argument's value goes among the SQL parameters."""

    name: str
    index: int | None  # the position in a list argument; None for a single value


@dataclass(frozen=True)
class _Compiled:
    """One shape of a read, as SQL and what turns its rows into the queryset's results."""

    alias: str
    sql: str
    parameters: tuple  # a _Slot where an argument goes, else the query's own constant
    rows: Callable[[list], list]


class PreparedRead:
    """A read whose SQL is compiled once per shape of its arguments (see the module docstring).

    ``build`` receives the arguments by keyword and returns the queryset; calling the read with
    the same keywords returns the queryset's results as a list.
    """

    def __init__(self, build: Callable[..., QuerySet]) -> None:
        self._build = build
        self._compiled: dict[tuple, _Compiled | None] = {}

    def __call__(self, **arguments: Argument) -> list:
        shape = tuple(
            (name, len(value), type(value[0]) if value else None)
            if isinstance(value, list | tuple)
            else (name, type(value))
            for name, value in sorted(arguments.items())
        )
        try:
            compiled = self._compiled[shape]
        except KeyError:
            # Two threads may both compile a new shape; either result is the same.
            compiled = self._compiled[shape] = self._compile(arguments)
        if compiled is None:  # an empty IN list: Django runs no query either
            return []
        parameters = [
            (arguments[slot.name] if slot.index is None else arguments[slot.name][slot.index])
            if type(slot) is _Slot
            else slot
            for slot in compiled.parameters
        ]
        with connections[compiled.alias].cursor() as cursor:
            cursor.execute(compiled.sql, parameters)
            rows = cursor.fetchall()
        return compiled.rows(rows) if rows else []

    def _compile(self, arguments: dict[str, Argument]) -> _Compiled | None:
        counter = itertools.count()
        stand_ins: dict[Any, _Slot] = {}

        def stand_in(name: str, value, index: int | None):
            if type(value) not in (int, str):
                raise ImproperlyConfigured(
                    f"A prepared read takes ints and strings, not {type(value).__name__} ({name})."
                )
            number = next(counter)
            substitute = (
                f"{_TEXT_STAND_IN}{number}" if isinstance(value, str) else _INT_STAND_IN + number
            )
            stand_ins[substitute] = _Slot(name, index)
            return substitute

        built = {
            name: [stand_in(name, item, index) for index, item in enumerate(value)]
            if isinstance(value, list | tuple)
            else stand_in(name, value, None)
            for name, value in arguments.items()
        }
        queryset = self._build(**built)
        alias = queryset.db
        compiler = queryset.query.get_compiler(using=alias)
        try:
            sql, constants = compiler.as_sql()
        except EmptyResultSet:
            return None
        parameters = tuple(
            stand_ins.get(value, value) if isinstance(value, int | str) else value
            for value in constants
        )
        missing = set(stand_ins.values()) - {p for p in parameters if type(p) is _Slot}
        if missing:
            raise ImproperlyConfigured(
                f"A prepared read must pass each argument to SQL unchanged; not found: {missing}"
            )
        return _Compiled(alias, sql, parameters, _row_maker(queryset, compiler, alias))


def _row_maker(queryset: QuerySet, compiler, alias: str) -> Callable[[list], list]:
    """What turns fetched rows into the queryset's results, as its iterable class would."""
    query = queryset.query
    if query.extra_select or compiler.has_extra_select:
        raise ImproperlyConfigured("A prepared read cannot rebuild extra() columns.")
    if queryset._known_related_objects or queryset._prefetch_related_lookups:
        raise ImproperlyConfigured("A prepared read cannot prefetch or attach related objects.")
    fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
    converters = compiler.get_converters(fields)

    def converted(rows: list) -> list:
        return list(compiler.apply_converters(rows, converters)) if converters else rows

    iterable = queryset._iterable_class
    if iterable is ValuesListIterable:
        return lambda rows: [tuple(row) for row in converted(rows)]
    if iterable is FlatValuesListIterable:
        return lambda rows: [row[0] for row in converted(rows)]
    if iterable is ValuesIterable:
        names = (
            list(query.selected)
            if query.selected
            else [*query.values_select, *query.annotation_select]
        )
        return lambda rows: [dict(zip(names, row, strict=True)) for row in converted(rows)]
    if iterable is not ModelIterable:
        raise ImproperlyConfigured(f"A prepared read cannot rebuild {iterable.__name__} rows.")
    klass_info = compiler.klass_info
    model = klass_info["model"]
    start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
    attnames = [column[0].target.attname for column in compiler.select[start:end]]
    populators = get_related_populators(klass_info, compiler.select, alias)
    annotations = list(compiler.annotation_col_map.items())

    def instances(rows: list) -> list:
        found = []
        for row in converted(rows):
            instance = model.from_db(alias, attnames, row[start:end])
            for populator in populators:
                populator.populate(row, instance)
            for name, position in annotations:
                setattr(instance, name, row[position])
            found.append(instance)
        return found

    return instances
