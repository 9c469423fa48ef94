"""Rebuilding post dates from exports that keep only month, weekday and hour.

Some exports (the UCI 'Facebook metrics' file among them) give each post's
month, weekday (1 = Sunday ... 7 = Saturday) and hour, not its date. Exports
list posts newest first, so the order of the rows narrows each date down: we
walk the rows in file order and give each post the latest date that has its
month, weekday and hour and is not later than the post listed before it. Where
the order cannot be honoured (a file not sorted newest first), the post gets the
last date of its month with that weekday, and is counted as approximate.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class RebuiltDates:
    dates: list[datetime]
    approximate: int  # posts whose date could not follow the file's order


def sunday_first_weekday(day: date) -> int:
    """The weekday of ``day`` numbered 1 = Sunday ... 7 = Saturday."""
    return day.isoweekday() % 7 + 1


def rebuild_dates(year: int, rows: Iterable[tuple[int, int, int]]) -> RebuiltDates:
    """Dates for (month, weekday, hour) rows listed newest first; see the module docstring."""
    dates: list[datetime] = []
    approximate = 0
    cursor: datetime | None = None
    for month, weekday, hour in rows:
        last_day = date(year, month, calendar.monthrange(year, month)[1])
        month_end = datetime.combine(last_day, datetime.min.time()).replace(hour=23, minute=59)
        start = (
            cursor
            if cursor is not None and cursor <= month_end and cursor.month == month
            else month_end
        )
        found = _latest(start, month, weekday, hour)
        if found is None:
            approximate += 1
            found = _latest(month_end, month, weekday, hour)
            assert found is not None  # every month has each weekday
        dates.append(found)
        cursor = found
    return RebuiltDates(dates, approximate)


def _latest(start: datetime, month: int, weekday: int, hour: int) -> datetime | None:
    day = start.date()
    while day.month == month:
        if sunday_first_weekday(day) == weekday and (day < start.date() or hour <= start.hour):
            return datetime(day.year, day.month, day.day, hour)
        day -= timedelta(days=1)
    return None
