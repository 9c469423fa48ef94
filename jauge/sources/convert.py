"""Field conversions as SQL: raw text columns in, typed staged columns and precise errors out.

A source describes how to fill each staged column with a :class:`Field`; the
engine converts whole batches at once and records, for each value it cannot
convert, the source column it came from and why. Writing conversions as SQL
keeps them vectorised (the ingest benchmark depends on it) and lets one
expression serve both for the value and for its check.

Some values can be read two ways (is ``11/12/2014`` the 11th of December or the 12th
of November?): such a field also says, row by row, which ways fit (a
:class:`Reading`), and :func:`settle_readings` reads the whole column one way once
every row is staged, since rows are converted batch by batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from ..errors import InputError
from ..i18n import N_, either, plural
from ..model import STAGE_COLUMNS
from ..store.ids import sql_literal
from ..store.stage import STAGE_TABLE, StageTable


def col(name: str) -> str:
    """A quoted column reference for a raw column name (any characters allowed)."""
    return '"' + name.replace('"', '""') + '"'


def shown_value(raw: str) -> str:
    """SQL for the offending value as it appears in a message, cut to 60 characters."""
    return f"'\"' || left(CAST({raw} AS VARCHAR), 60) || '\"'"


def got(message: str, value: str) -> str:
    """SQL for ``message``, whose last placeholder ``{value}`` is the offending value
    (``value``, SQL). Row messages are kept in English, like every message an import
    keeps (its history), and shown in the reader's language (jauge.i18n.localised)."""
    prefix, marker, rest = message.partition("{value}")
    if rest or not marker:
        raise ValueError(f"{message!r} must end with {{value}}")
    return f"{sql_literal(prefix)} || {value}"


@dataclass(frozen=True)
class Reading:
    """Two ways of reading a column that some of its values leave open, settled once for
    the whole column by :func:`settle_readings`: values that only one way reads decide
    for those that both ways read, and a column with values that only the first way
    reads and values that only the second does is refused. With nothing to decide, the
    first way holds, or the second where ``prefer_second``.

    The staged value is read the first way; ``second`` is SQL of the second way's value
    from it (``{value}``: the staged column)."""

    #: SQL of the row: 1 when only the first way reads the value, 2 when only the
    #: second does, 3 when both do and differ; NULL when the value tells nothing
    evidence: str
    second: str
    #: how each way is written, to people (N_ messages: "month first (12/31/2014)")
    ways: tuple[str, str]
    prefer_second: bool = False


@dataclass(frozen=True)
class Field:
    """How one staged column is computed, and when its value counts as invalid."""

    target: str
    sql: str
    source: str | None = None  # the raw column reported in errors
    invalid: str | None = None  # SQL condition: true when the value is invalid
    message: str | None = None  # SQL expression of the reason
    #: (alias, expression) pairs computed once per row before ``sql``, ``invalid`` and
    #: ``message`` use them: parsing a value once instead of three times matters at 1M rows
    prepare: tuple[tuple[str, str], ...] = ()
    reading: Reading | None = None


def _alias(kind: str, column: str) -> str:
    return col(f"__{kind}__{column}")


def literal(target: str, value: str | bool | None) -> Field:
    if isinstance(value, bool):
        return Field(target, "true" if value else "false")
    return Field(target, sql_literal(value))


def expr(target: str, sql: str) -> Field:
    return Field(target, sql)


def text(target: str, column: str, *, required: bool = False) -> Field:
    raw = col(column)
    if required:
        return Field(target, raw, column, f"{raw} IS NULL", missing_value())
    return Field(target, raw, column)


def identifier(target: str, column: str) -> Field:
    """A post's id, required and kept as written, except one a spreadsheet rounded into
    scientific notation (``5.70306E+17``): distinct posts would then share it and
    silently overwrite each other."""
    raw = col(column)
    # the cheap test first: 10 ms per million ids instead of the pattern's 30 ms
    rounded = (
        f"((contains({raw}, 'E+') OR contains({raw}, 'e+')) "
        f"AND regexp_full_match({raw}, '[0-9]\\.[0-9]+[eE]\\+[0-9]+'))"
    )
    message = N_(
        "expected an id as the platform gives it (a spreadsheet rounds long ids: save them "
        "as text), got {value}"
    )
    return Field(
        target,
        raw,
        column,
        f"{raw} IS NULL OR {rounded}",
        f"CASE WHEN {raw} IS NULL THEN {missing_value()} ELSE {got(message, shown_value(raw))} END",
    )


#: what separates groups of digits in numbers written for people ("44 531" in French)
_DIGIT_GROUPS = "[ \u00a0\u202f]"


def count(target: str, column: str, *, grouped: bool = False) -> Field:
    """A whole number of 0 or more (``12``, ``12.0`` and `` 12 `` are accepted; with
    ``grouped``, digits in groups too: ``44 531``, with any kind of space)."""
    raw = col(column)
    as_double = _alias("double", column)
    number = f"regexp_replace({raw}, '{_DIGIT_GROUPS}', '', 'g')" if grouped else raw
    valid = f"({as_double} >= 0 AND {as_double} = floor({as_double}) AND {as_double} < 9e18)"
    return Field(
        target,
        f"CASE WHEN {valid} THEN CAST({as_double} AS BIGINT) END",
        column,
        f"{raw} IS NOT NULL AND NOT coalesce({valid}, false)",
        got(N_("expected a whole number of 0 or more, got {value}"), shown_value(raw)),
        prepare=((as_double, f"TRY_CAST({number} AS DOUBLE)"),),
    )


#: commas between groups of three digits, then a dot before any decimals: 1,234 or
#: 1,234,567.89 (never 0,500: no number begins with a group of zeros)
_THOUSANDS = "^-?[1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]*)?$"
#: one comma, the decimal mark, after digits that dots may group by three: 12,5 or
#: 1.234,567
_DECIMAL_COMMA = "^-?[0-9]+([.][0-9]{3})*,[0-9]+$"


def amount(
    target: str,
    column: str,
    *,
    signed: bool = False,
    required: bool = False,
    decimal_comma: bool = False,
) -> Field:
    """A sum of money: ``1234.5``, ``1 234,50`` (French), ``1,234.50``, ``€12``, ``12 €``;
    never below 0 unless ``signed`` (refunds make revenue negative).

    Commas separate thousands where each is followed by three digits (``1,234,567``,
    ``1,234.50``); a single comma followed by any other number of digits is the decimal
    mark (``12,5``, ``1,820000023``); other commas make the value invalid. Whether
    ``1,234`` is 1234 or 1.234 is settled for the whole column (see :class:`Reading`): a
    decimal comma in any of its values, or else ``decimal_comma`` (a file delimited by
    ``;``, as French spreadsheets save them), makes it 1.234."""
    raw = col(column)
    value = _alias("amount", column)
    way = _alias("amount_way", column)
    # spaces (French groups of digits) and currency signs go
    bare = f"regexp_replace(trim({raw}), '[ \u00a0\u202f€$£]', '', 'g')"
    thousands = f"regexp_matches({bare}, {sql_literal(_THOUSANDS)})"
    decimal = f"regexp_matches({bare}, {sql_literal(_DECIMAL_COMMA)})"
    # 1,234 is read as 1234 here; settle_readings makes it 1.234 where the column says so
    number = (
        f"CASE WHEN NOT contains({bare}, ',') THEN {bare} "
        f"WHEN {thousands} THEN replace({bare}, ',', '') "
        f"WHEN {decimal} THEN replace(replace({bare}, '.', ''), ',', '.') END"
    )
    evidence = (
        f"CASE WHEN contains({bare}, ',') THEN CASE WHEN {thousands} THEN "
        f"CASE WHEN {decimal} THEN 3 ELSE 1 END WHEN {decimal} THEN 2 END END"
    )
    low = "" if signed else f" AND {value} >= 0"
    valid = f"({value} IS NOT NULL{low})"
    expected = (
        N_("expected an amount, got {value}")
        if signed
        else N_("expected an amount of 0 or more, got {value}")
    )
    invalid = f"{raw} IS NOT NULL AND NOT {valid}"
    message = got(expected, shown_value(raw))
    if required:
        invalid = f"({raw} IS NULL) OR ({invalid})"
        message = f"CASE WHEN {raw} IS NULL THEN {missing_value()} ELSE {message} END"
    return Field(
        target,
        f"CASE WHEN {valid} THEN CAST({value} AS DECIMAL(18, 2)) END",
        column,
        invalid,
        message,
        prepare=((value, f"TRY_CAST({number} AS DOUBLE)"), (way, evidence)),
        reading=Reading(
            way,
            "CAST({value} / 1000 AS DECIMAL(18, 2))",
            (
                N_("with commas between thousands (1,234.50)"),
                N_("with a decimal comma (1234,50)"),
            ),
            prefer_second=decimal_comma,
        ),
    )


#: the currency a sign in an amount says (``12 €``: EUR). A dollar sign is written for
#: many currencies (USD, CAD, AUD, MXN...): it says USD only where nothing else says
#: which, and it contradicts only a currency another sign stands for
_CURRENCY_SIGNS = (("€", "EUR"), ("£", "GBP"), ("$", "USD"))


def _sign_currency(raw: str) -> str:
    whens = " ".join(f"WHEN contains({raw}, '{s}') THEN '{c}'" for s, c in _CURRENCY_SIGNS)
    return f"CASE {whens} END"


def _sign_fits(raw: str, currency: str) -> str:
    """SQL: true unless the sign in ``raw`` says another currency than ``currency``."""
    strict = [c for s, c in _CURRENCY_SIGNS if s != "$"]
    fits = {s: f"{currency} = '{c}'" for s, c in _CURRENCY_SIGNS}
    fits["$"] = f"{currency} NOT IN ({', '.join(map(sql_literal, strict))})"
    whens = " ".join(f"WHEN contains({raw}, '{s}') THEN {fits[s]}" for s, _c in _CURRENCY_SIGNS)
    return f"coalesce(CASE {whens} END, true)"


def with_currency(
    fields: list[Field], amounts: tuple[str, ...], column: str | None, default: str | None = None
) -> list[Field]:
    """``fields`` with a ``currency`` field: the ``column`` (a currency code), else
    ``default``, else the sign the row's amounts carry (``12 €``: EUR). The ``amounts``
    fields become invalid where their sign says another currency than the row's
    (``12 $`` in a row in EUR): a currency is never relabelled silently."""
    signed = [f for f in fields if f.target in amounts and f.source]
    given = f"nullif(upper(trim({col(column)})), '')" if column else "NULL"
    found = [given, sql_literal(default), *(_sign_currency(col(f.source or "")) for f in signed)]
    currency = f"coalesce({', '.join(found)})"
    expected = N_("expected an amount in {currency}, the currency of its row, got {value}")
    prefix, _, middle = expected.partition("{currency}")
    out = []
    for f in fields:
        if f not in signed:
            out.append(f)
            continue
        raw = col(f.source or "")
        other = f"NOT {_sign_fits(raw, currency)}"
        message = (
            f"{sql_literal(prefix)} || {currency} || "
            f"{sql_literal(middle.removesuffix('{value}'))} || {shown_value(raw)}"
        )
        out.append(
            replace(
                f,
                invalid=f"({f.invalid}) OR coalesce({other}, false)" if f.invalid else other,
                message=f"CASE WHEN {other} THEN {message} ELSE {f.message} END",
            )
        )
    out.append(Field("currency", currency))
    return out


#: month names as exports write them (English and French, full or short), lower-cased
_MONTHS = {
    **{m: i + 1 for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
    )},
    **{m: i + 1 for i, m in enumerate(
        ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
         "septembre", "octobre", "novembre", "décembre")
    )},
    "june": 6, "july": 7, "sept": 9, "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7,
    "aout": 8, "déc": 12, "dec.": 12, "fevrier": 2, "decembre": 12,
}  # fmt: skip


def month_start(target: str, column: str, year: int) -> Field:
    """The first day of a month given by name (``Feb``, ``June``, ``février``) or number
    (``2``), in ``year``: for exports that only give the month."""
    raw = col(column)
    value = _alias("month", column)
    names = " ".join(f"WHEN {sql_literal(k)} THEN {n}" for k, n in _MONTHS.items())
    month = (
        f"CASE lower(trim({raw})) {names} "
        f"ELSE TRY_CAST(TRY_CAST(trim({raw}) AS DOUBLE) AS INTEGER) END"
    )
    valid = f"({value} BETWEEN 1 AND 12)"
    return Field(
        target,
        f"CASE WHEN {valid} THEN make_date({int(year)}, {value}, 1) END",
        column,
        f"NOT coalesce({valid}, false)",
        f"CASE WHEN {raw} IS NULL THEN {missing_value()} ELSE "
        + got(N_("expected a month (Feb, June, février or 1 to 12), got {value}"), shown_value(raw))
        + " END",
        prepare=((value, month),),
    )


#: how exports write yes and no (French too), compared lower-cased
_YES = ("true", "t", "yes", "y", "1", "oui", "o", "vrai")
_NO = ("false", "f", "no", "n", "0", "non", "faux")


def flag(target: str, column: str, *, negate: bool = False) -> Field:
    """Yes or no (``true``/``false``, ``1``/``0``, ``yes``/``no``, ``oui``/``non``);
    NULL when empty. ``negate`` stores the opposite (a default picture is no avatar)."""
    raw = col(column)
    value = f"lower(trim({raw}))"
    yes = f"({value} IN ({', '.join(map(sql_literal, _YES))}))"
    allowed = (*_YES, *_NO)
    return Field(
        target,
        f"CASE WHEN {raw} IS NOT NULL THEN {'NOT ' if negate else ''}{yes} END",
        column,
        f"{raw} IS NOT NULL AND NOT {one_of(value, allowed)}",
        got(N_("expected yes or no (true, false, 1, 0), got {value}"), shown_value(raw)),
    )


def _day_month_order(fmt: str) -> str | None:
    """``md`` or ``dm`` for a format that gives the month and the day as numbers, in that
    order; None for any other."""
    month, day = fmt.find("%m"), fmt.find("%d")
    if month < 0 or day < 0:
        return None
    return "md" if month < day else "dm"


def _swapped(fmt: str) -> str:
    """``fmt`` with the day and the month the other way round."""
    return fmt.replace("%m", "\0").replace("%d", "%m").replace("\0", "%d")


#: how each order of numeric dates is written, to people
_DATE_ORDERS = {
    "md": N_("month first (12/31/2014)"),
    "dm": N_("day first (31/12/2014)"),
}


def timestamp(
    target: str,
    column: str,
    *,
    formats: tuple[str, ...] = (),
    required: bool = False,
    parsers: tuple[tuple[str, str], ...] = (),
) -> Field:
    """A date or date-time, converted to UTC: ISO 8601 (with or without an offset), one
    of ``formats`` (strptime syntax; ``%z`` offsets are honoured), or what one of
    ``parsers`` reads: (how the user knows the format, SQL of a TIMESTAMP or NULL from
    ``{raw}``), for dates strptime cannot read.

    Where ``formats`` give the month and the day as numbers in both orders
    (``%m/%d/%Y``, ``%d/%m/%Y``), the whole column is read in one order (see
    :class:`Reading`): the order of the first such format, unless a value can only be
    read the other way (``31/12/2014``). Each such format is then tried in both orders."""
    raw = col(column)

    def parsed(fmt: str) -> str:
        return f"TRY_CAST(try_strptime(trim({raw}), {sql_literal(fmt)}) AS TIMESTAMP)"

    iso = f"TRY_CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS TIMESTAMP)"
    value = _alias("timestamp", column)
    shown = (*formats, *(name for name, _sql in parsers))
    # kept in English with the message, and said in the reader's language where shown
    accepted = either(("ISO 8601 (2024-03-01T14:30:00Z)", *shown), lang="en")
    orders = [order for f in formats if (order := _day_month_order(f))]
    reading = None
    prepare: tuple[tuple[str, str], ...]
    if len(set(orders)) < 2:
        tries = [iso, *map(parsed, formats), *(sql.format(raw=raw) for _name, sql in parsers)]
        prepare = ((value, f"coalesce({', '.join(tries)})"),)
        sql = value
    else:
        numeric = [f for f in formats if _day_month_order(f)]
        if any("%z" in f for f in numeric):
            # the second order is made from the staged value, which an offset has moved
            raise ValueError(f"{numeric}: dates read in either order cannot carry %z")
        first = list(dict.fromkeys(f if _day_month_order(f) == orders[0] else _swapped(f)
                                   for f in numeric))  # fmt: skip
        one, other, rest = (_alias(k, column) for k in ("first_order", "second_order", "other"))
        tries = [
            iso,
            *(parsed(f) for f in formats if not _day_month_order(f)),
            *(sql.format(raw=raw) for _name, sql in parsers),
        ]
        prepare = (
            (one, f"coalesce({', '.join(map(parsed, first))})"),
            (other, f"coalesce({', '.join(parsed(_swapped(f)) for f in first)})"),
            (rest, f"coalesce({', '.join(tries)})"),
        )
        sql = f"coalesce({rest}, {one}, {other})"
        second_order = "dm" if orders[0] == "md" else "md"
        reading = Reading(
            f"CASE WHEN {one} IS NULL THEN CASE WHEN {other} IS NOT NULL THEN 2 END "
            f"WHEN {other} IS NULL THEN 1 WHEN {one} <> {other} THEN 3 END",
            "make_date(year({value}), day({value}), month({value})) "
            "+ ({value} - date_trunc('day', {value}))",
            (_DATE_ORDERS[orders[0]], _DATE_ORDERS[second_order]),
        )
    invalid = f"{raw} IS NOT NULL AND {sql} IS NULL"
    expected = N_("expected a date and time in {formats}, got {value}")
    message = got(expected.format(formats=accepted, value="{value}"), shown_value(raw))
    if required:
        invalid = f"({raw} IS NULL) OR ({invalid})"
        missing = sql_literal(N_("a date and time is required here"))
        message = f"CASE WHEN {raw} IS NULL THEN {missing} ELSE {message} END"
    return Field(target, sql, column, invalid, message, prepare=prepare, reading=reading)


def one_of(value: str, allowed: tuple[str, ...]) -> str:
    """SQL: whether ``value`` (SQL) is one of ``allowed`` (NULL when it is NULL).

    A cast to an ENUM of them rather than ``IN (...)``: the engine turns a long IN
    list into a join, which does not keep the order of a parallel scan, and the staged
    rows must keep the file's order (their line numbers). The cast is a lookup, and
    faster than the list of comparisons IN becomes without that join.
    """
    return f"(TRY_CAST({value} AS ENUM({', '.join(map(sql_literal, allowed))})) IS NOT NULL)"


def choice(target: str, column: str, allowed: tuple[str, ...], default: str | None) -> Field:
    """One of ``allowed`` (case-insensitive); ``default`` when empty."""
    raw = col(column)
    value = f"coalesce(lower(trim({raw})), {sql_literal(default)})"
    return Field(
        target,
        value,
        column,
        f"{raw} IS NOT NULL AND NOT {one_of(f'lower(trim({raw}))', allowed)}",
        expected_one_of(allowed, shown_value(raw)),
    )


def expected_one_of(allowed: tuple[str, ...], value: str) -> str:
    """SQL for the message of ``value`` (SQL), which is not one of ``allowed``."""
    message = N_("expected one of {allowed}, got {value}")
    return got(message.format(allowed=", ".join(allowed), value="{value}"), value)


def missing_value() -> str:
    """SQL for the message of a missing value."""
    return sql_literal(N_("a value is required here"))


def check(column: str, invalid: str, message: str) -> Field:
    """A check on a raw column that feeds no staged column (its value is used later)."""
    return Field("", col(column), column, invalid, message)


def whole_in_range(column: str, low: int, high: int, *, required: bool = False) -> Field:
    """A check that ``column`` holds a whole number from ``low`` to ``high``."""
    raw = col(column)
    value = f"TRY_CAST({raw} AS DOUBLE)"
    ok = f"({value} BETWEEN {low} AND {high} AND {value} = floor({value}))"
    invalid = (
        f"NOT coalesce({ok}, false)"
        if required
        else f"{raw} IS NOT NULL AND NOT coalesce({ok}, false)"
    )
    expected = N_("expected a whole number from {low} to {high}, got {value}")
    message = got(expected.format(low=low, high=high, value="{value}"), shown_value(raw))
    return check(
        column, invalid, f"CASE WHEN {raw} IS NULL THEN {missing_value()} ELSE {message} END"
    )


def pick(columns: set[str], *candidates: str) -> str | None:
    """The first of ``candidates`` present in ``columns``, compared case-insensitively."""
    lowered = {c.lower().strip(): c for c in columns}
    for name in candidates:
        if name.lower() in lowered:
            return lowered[name.lower()]
    return None


def counts(columns: set[str], names: Mapping[str, tuple[str, ...]]) -> list[Field]:
    """A :func:`count` for each staged metric of ``names`` (metric -> the column names
    exports give it, first found wins) that ``columns`` has."""
    return [
        count(target, found) for target, cands in names.items() if (found := pick(columns, *cands))
    ]


def extra_object(columns: set[str], names: Mapping[str, tuple[str, ...]]) -> Field:
    """``extra`` as a JSON object of the columns of ``names`` (key -> column names, first
    found wins) that ``columns`` has; NULL when it has none."""
    pairs = [
        f"{sql_literal(key)}, {col(found)}"
        for key, cands in names.items()
        if (found := pick(columns, *cands))
    ]
    return expr("extra", f"json_object({', '.join(pairs)})" if pairs else "NULL")


def build_select(fields: list[Field], record: tuple[tuple[str, str], ...] = STAGE_COLUMNS) -> str:
    """The SELECT turning the registered ``raw`` batch into staged records with ``_errors``;
    ``record`` is the staged record's columns (content items' unless said)."""
    by_target = {f.target: f for f in fields if f.target}
    unknown = set(by_target) - {name for name, _ in record}
    if unknown:
        raise ValueError(f"not staged columns: {sorted(unknown)}")
    outputs = ["row_no"]
    for name, sql_type in record:
        if name == "row_no":
            continue
        f = by_target.get(name)
        value = f.sql if f else "NULL"
        outputs.append(f"CAST({value} AS {sql_type}) AS {name}")
    checked = [f for f in fields if f.invalid]
    if checked:
        # the list of errors is built only for rows that have one: most have none
        any_invalid = " OR ".join(f"coalesce({f.invalid}, false)" for f in checked)
        checks = [
            f"CASE WHEN {f.invalid} THEN {{'field': {sql_literal(f.source)}, "
            f"'message': {f.message}}} END"
            for f in checked
        ]
        errors = f"list_filter([{', '.join(checks)}], lambda e: e IS NOT NULL)"
        outputs.append(f"CASE WHEN {any_invalid} THEN {errors} END AS _errors")
    else:
        outputs.append("NULL AS _errors")
    if readings := [f.reading for f in fields if f.reading]:
        # which ways fit each value, for settle_readings; NULL for most rows
        told = " OR ".join(f"({r.evidence}) IS NOT NULL" for r in readings)
        ways = ", ".join(f"CAST({r.evidence} AS UTINYINT)" for r in readings)
        outputs.append(f"CASE WHEN {told} THEN [{ways}] END AS _readings")
    prepared = dict(p for f in fields for p in f.prepare)
    source = "raw"
    if prepared:
        extra = ", ".join(f"{e} AS {alias}" for alias, e in prepared.items())
        source = f"(SELECT *, {extra} FROM raw) AS raw"
    return "SELECT " + ",\n       ".join(outputs) + f"\nFROM {source}"


def staged_readings(fields: list[Field]) -> set[str]:
    """The stage columns that :func:`settle_readings` needs for ``fields`` (none or one)."""
    return {"_readings"} if any(f.reading for f in fields) else set()


def settle_readings(
    staging: StageTable,
    fields: list[Field],
    path: str,
    lines: Callable[[Iterable[int]], dict[int, int]],
) -> list[str]:
    """Read each column of ``fields`` that has a :class:`Reading` one way, now that all
    of ``path`` is staged with ``fields``; return warnings for the user (a column whose
    values all fit both ways). ``lines`` gives the line of staged rows.

    Raises InputError for a column with values that only one way reads and values that
    only the other does: which way the others are written cannot be told."""
    readings = [f for f in fields if f.reading]
    if not readings:
        return []
    counted = ", ".join(
        f"min(row_no) FILTER (WHERE _readings[{i}] = 1), "
        f"min(row_no) FILTER (WHERE _readings[{i}] = 2), "
        f"count(*) FILTER (WHERE _readings[{i}] = 3)"
        for i in range(1, len(readings) + 1)
    )
    found = staging.con.execute(
        f"SELECT {counted} FROM {STAGE_TABLE} WHERE _readings IS NOT NULL"
    ).fetchall()[0]
    warnings = []
    for i, field in enumerate(readings):
        reading = field.reading
        assert reading is not None
        first, second, either = found[3 * i : 3 * i + 3]
        first_way, second_way = reading.ways
        if first is not None and second is not None:
            at = lines([first, second])
            (row, way), (later, later_way) = sorted(((first, first_way), (second, second_way)))
            raise InputError(
                path,
                N_(
                    "the column {column} mixes two ways of writing values: line {first_line} "
                    "can only be read {first}, line {second_line} only {second}, so values "
                    "that fit both cannot be read with certainty. Write them all one way"
                ).format(
                    column=repr(field.source),
                    first_line=at.get(row, "?"),
                    first=way,
                    second_line=at.get(later, "?"),
                    second=later_way,
                ),
                line=at.get(later),
            )
        if not either:
            continue
        as_second = second is not None or (first is None and reading.prefer_second)
        if as_second:
            staging.update_where(
                field.target,
                reading.second.format(value=field.target),
                f"_readings[{i + 1}] = 3",
            )
        if first is None and second is None:
            warnings.append(
                plural(
                    N_(
                        "{count} value of the column {column} can be read {first} or "
                        "{second}, and no value of it tells which: it was read {chosen}"
                    ),
                    N_(
                        "{count} values of the column {column} can be read {first} or "
                        "{second}, and no value of it tells which: they were read {chosen}"
                    ),
                    either,
                    "en",  # kept in English, shown in the reader's language
                ).format(
                    count=either,
                    column=repr(field.source),
                    first=first_way,
                    second=second_way,
                    chosen=second_way if as_second else first_way,
                )
            )
    return warnings
