"""Windows of whole days, turned into the instants the store compares timestamps with.

Every window jauge reads (an index period, a listening window, a page of items) is a
range of days given by its first and last day; the store keeps timestamps, so a window
runs from the first day's midnight to the midnight after its last day. These helpers
stay within the calendar: a user or a generated request may ask for year 1 or 9999.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from .errors import ConfigError, UsageError
from .i18n import N_, _

#: why a window that ends by default (no --to: on the latest item's day) is refused
AFTER_DEFAULT_END = N_(
    "the window starts on {start}, after its last day ({end}): without --to, a window ends "
    "on the day of the latest item; give an earlier --from, or a --to on or after {start}"
)


def first_day(last: date, days: int) -> date:
    """The first of ``days`` days ending on ``last`` (year 1 at the earliest)."""
    span = timedelta(days=days - 1)
    return last - span if last - date.min >= span else date.min


def check_order(start: date, end: date, *, end_by_default: bool = False) -> None:
    """Refuse a window whose first day comes after its last, as a usage error (the CLI
    exits with 2 whether or not --to was given). ``end_by_default``: ``end`` is the day
    of the latest item, taken for want of --to, which the message then says."""
    if start > end:
        said = (
            AFTER_DEFAULT_END
            if end_by_default
            else N_("the window starts on {start}, after its last day ({end})")
        )
        raise UsageError(_(said, start=start, end=end))


#: what the Python API takes for a day: a date, an ISO string, or anything with ``.date()``
#: (a datetime, a pandas Timestamp)
DayLike = date | datetime | str


def as_day(value: object, name: str) -> date | None:
    """``value`` as a day, for the Python API: notebooks pass strings and timestamps."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            pass
    elif callable(getattr(value, "date", None)):
        day = value.date()  # type: ignore[attr-defined]
        if isinstance(day, date):
            return day
    raise ConfigError(
        _("{name} expects a day (2024-03-01), got {value}", name=name, value=repr(value))
    )


def required_day(value: object, name: str) -> date:
    """``value`` as a day, as :func:`as_day` reads it, where the argument has no default."""
    day = as_day(value, name)
    if day is None:
        raise ConfigError(
            _("{name} expects a day (2024-03-01), got {value}", name=name, value=repr(value))
        )
    return day


def midnight(day: date) -> datetime:
    """The instant ``day`` begins."""
    return datetime.combine(day, datetime.min.time())


def after(day: date) -> datetime:
    """The instant a window whose last day is ``day`` ends: the next midnight."""
    return midnight(day + timedelta(days=1)) if day < date.max else datetime.max


def earlier(instant: datetime, length: timedelta) -> datetime:
    """``length`` before ``instant`` (year 1 at the earliest): where the period of the same
    length just before a window starts."""
    return instant - length if instant - datetime.min >= length else datetime.min
