from datetime import date, datetime

import pytest

from jauge.sources.post_dates import rebuild_dates, sunday_first_weekday


def test_weekday_numbering_starts_on_sunday() -> None:
    assert sunday_first_weekday(date(2014, 12, 28)) == 1  # a Sunday
    assert sunday_first_weekday(date(2014, 12, 31)) == 4  # a Wednesday
    assert sunday_first_weekday(date(2014, 12, 27)) == 7  # a Saturday


def test_rows_listed_newest_first_get_the_latest_consistent_dates() -> None:
    # Wednesday 3h, Tuesday 10h, Tuesday 3h, then Wednesday again: a week earlier
    rebuilt = rebuild_dates(2014, [(12, 4, 3), (12, 3, 10), (12, 3, 3), (12, 4, 9)])
    assert rebuilt.dates == [
        datetime(2014, 12, 31, 3),
        datetime(2014, 12, 30, 10),
        datetime(2014, 12, 30, 3),
        datetime(2014, 12, 24, 9),
    ]
    assert rebuilt.approximate == 0


def test_rows_out_of_order_are_counted_as_approximate() -> None:
    # Wednesdays at 1h then 2h, newest first: each 2h post is a week before the 1h post
    # listed above it, and December 2014 has only five Wednesdays (3 to 31)
    rows = [(12, 4, 1), (12, 4, 2)] * 5
    rebuilt = rebuild_dates(2014, rows)
    assert rebuilt.approximate == 1
    assert rebuilt.dates[:3] == [
        datetime(2014, 12, 31, 1),
        datetime(2014, 12, 24, 2),
        datetime(2014, 12, 24, 1),
    ]
    assert all(d.month == 12 and sunday_first_weekday(d.date()) == 4 for d in rebuilt.dates)


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_start_is_within_the_month(month: int) -> None:
    rebuilt = rebuild_dates(2014, [(month, w, 12) for w in range(1, 8)])
    assert all(d.month == month for d in rebuilt.dates)
