"""Tests for the recurrence engine and assignee rotation (pure, no hass)."""

from calendar import monthrange
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, pairwise, takewhile
import json
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.auto_home.domain.schedule import (
    LAST_WEEK,
    MAX_INTERVAL,
    InvalidRecurrenceError,
    Occurrence,
    Recurrence,
    RecurrenceKind as Kind,
    Rotation,
    next_assignee,
    next_occurrence,
    occurrence_on,
    occurrences,
    occurrences_between,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
# Lord Howe shifts by 30 minutes; Santiago changes clocks at midnight.
ZONES = [
    ZoneInfo("UTC"),
    BERLIN,
    NEW_YORK,
    SYDNEY,
    ZoneInfo("Australia/Lord_Howe"),
    ZoneInfo("America/Santiago"),
    ZoneInfo("Asia/Kolkata"),
]
CALENDAR_KINDS = tuple(kind for kind in Kind if kind != Kind.AFTER_COMPLETION)
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def days(
    rule: Recurrence, after: date, count: int, tz: ZoneInfo = BERLIN
) -> list[date]:
    """Return the days of the first `count` occurrences after `after`."""
    return [o.day for o in islice(occurrences(rule, tz, after=after), count)]


def real(earlier: datetime, later: datetime) -> timedelta:
    """Return the time elapsed between two aware datetimes."""
    return later.astimezone(UTC) - earlier.astimezone(UTC)


# --- Hand-written cases per kind ---


def test_daily_every_three_days() -> None:
    rule = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1), interval=3)
    assert days(rule, date(2024, 1, 1), 3) == [
        date(2025, 1, 1),
        date(2025, 1, 4),
        date(2025, 1, 7),
    ]
    assert days(rule, date(2025, 1, 4), 2) == [date(2025, 1, 7), date(2025, 1, 10)]
    assert next_occurrence(rule, BERLIN, after=date(2025, 1, 5)).day == date(2025, 1, 7)


def test_every_two_weeks_on_monday_and_thursday() -> None:
    # Starts on a Wednesday: its week (from Monday Dec 30) is the first period,
    # the Monday before start is skipped and the week of Jan 6 is off.
    rule = Recurrence(
        kind=Kind.WEEKLY, start=date(2025, 1, 1), interval=2, weekdays=(3, 0)
    )
    assert days(rule, date(2024, 12, 1), 5) == [
        date(2025, 1, 2),
        date(2025, 1, 13),
        date(2025, 1, 16),
        date(2025, 1, 27),
        date(2025, 1, 30),
    ]
    # From inside an off week, jump to the next active one.
    assert days(rule, date(2025, 1, 7), 1) == [date(2025, 1, 13)]


def test_monthly_day_31_clamps_to_month_end() -> None:
    rule = Recurrence(kind=Kind.MONTHLY_DAY, start=date(2024, 1, 31), month_day=31)
    assert days(rule, date(2024, 1, 1), 4) == [
        date(2024, 1, 31),
        date(2024, 2, 29),
        date(2024, 3, 31),
        date(2024, 4, 30),
    ]
    assert days(rule, date(2025, 1, 31), 2) == [date(2025, 2, 28), date(2025, 3, 31)]


@pytest.mark.parametrize("month_day", [29, 30, 31])
def test_monthly_day_clamps_in_february(month_day: int) -> None:
    rule = Recurrence(
        kind=Kind.MONTHLY_DAY, start=date(2023, 1, 1), month_day=month_day
    )
    assert days(rule, date(2023, 1, 31), 1) == [date(2023, 2, 28)]
    assert days(rule, date(2024, 1, 31), 1) == [date(2024, 2, 29)]


def test_monthly_day_interval_counts_from_start_month() -> None:
    # Jan 10 is before start, so the first is Mar 10, then every two months.
    rule = Recurrence(
        kind=Kind.MONTHLY_DAY, start=date(2025, 1, 15), interval=2, month_day=10
    )
    assert days(rule, date(2025, 1, 1), 3) == [
        date(2025, 3, 10),
        date(2025, 5, 10),
        date(2025, 7, 10),
    ]


def test_monthly_second_tuesday() -> None:
    rule = Recurrence(
        kind=Kind.MONTHLY_WEEKDAY, start=date(2025, 1, 1), week_of_month=2, weekday=1
    )
    assert days(rule, date(2024, 1, 1), 3) == [
        date(2025, 1, 14),
        date(2025, 2, 11),
        date(2025, 3, 11),
    ]


def test_monthly_last_friday_every_three_months() -> None:
    rule = Recurrence(
        kind=Kind.MONTHLY_WEEKDAY,
        start=date(2025, 1, 31),
        interval=3,
        week_of_month=LAST_WEEK,
        weekday=4,
    )
    assert days(rule, date(2025, 1, 1), 3) == [
        date(2025, 1, 31),
        date(2025, 4, 25),
        date(2025, 7, 25),
    ]


def test_fourth_weekday_of_february() -> None:
    rule = Recurrence(
        kind=Kind.MONTHLY_WEEKDAY, start=date(2026, 2, 1), week_of_month=4, weekday=5
    )
    assert days(rule, date(2026, 1, 1), 1) == [date(2026, 2, 28)]


def test_yearly_from_february_29() -> None:
    rule = Recurrence(kind=Kind.YEARLY, start=date(2024, 2, 29))
    assert days(rule, date(2024, 1, 1), 5) == [
        date(2024, 2, 29),
        date(2025, 2, 28),
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
    ]
    every_four = Recurrence(kind=Kind.YEARLY, start=date(2024, 2, 29), interval=4)
    assert days(every_four, date(2024, 3, 1), 1) == [date(2028, 2, 29)]


def test_after_completion() -> None:
    rule = Recurrence(kind=Kind.AFTER_COMPLETION, start=date(2025, 3, 1), interval=3)
    # Before any completion: start, whatever `after` says.
    assert days(rule, date(2025, 6, 1), 5) == [date(2025, 3, 1)]
    # 23:30 UTC is already Mar 11 in Berlin.
    done = datetime(2025, 3, 10, 23, 30, tzinfo=UTC)
    following = list(
        occurrences(rule, BERLIN, after=date(2025, 1, 1), last_completed=done)
    )
    assert [o.day for o in following] == [date(2025, 3, 14)]
    # Done early, before start: still never before start.
    early = datetime(2025, 2, 1, 12, tzinfo=UTC)
    assert next_occurrence(
        rule, BERLIN, after=date(2025, 2, 1), last_completed=early
    ).day == date(2025, 3, 1)


def test_occurrence_on_all_day_and_timed() -> None:
    all_day = Recurrence(kind=Kind.DAILY, start=date(2025, 6, 1))
    assert occurrence_on(all_day, date(2025, 6, 2), BERLIN) == Occurrence(
        date(2025, 6, 2),
        datetime(2025, 6, 2, tzinfo=BERLIN),
        datetime(2025, 6, 3, tzinfo=BERLIN),
        all_day=True,
    )
    timed = Recurrence(kind=Kind.DAILY, start=date(2025, 6, 1), due_time=time(7, 15))
    due = datetime(2025, 6, 2, 7, 15, tzinfo=BERLIN)
    assert occurrence_on(timed, date(2025, 6, 2), BERLIN) == Occurrence(
        date(2025, 6, 2), due, due, all_day=False
    )


def test_occurrences_between_jumps_to_the_window() -> None:
    rule = Recurrence(kind=Kind.MONTHLY_DAY, start=date(1900, 1, 1), month_day=15)
    window = occurrences_between(
        rule,
        BERLIN,
        datetime(2400, 1, 1, tzinfo=UTC),
        datetime(2400, 4, 1, tzinfo=UTC),
    )
    assert [o.day for o in window] == [
        date(2400, 1, 15),
        date(2400, 2, 15),
        date(2400, 3, 15),
    ]


def test_occurrences_between_edges() -> None:
    timed = Recurrence(kind=Kind.DAILY, start=date(2025, 6, 1), due_time=time(8))
    start = datetime(2025, 6, 2, 8, tzinfo=BERLIN)
    # A due instant at the window's start is in, one at its end is out.
    window = occurrences_between(timed, BERLIN, start, start + DAY)
    assert [o.day for o in window] == [date(2025, 6, 2)]
    # An all-day occurrence shows while its day overlaps the window.
    all_day = Recurrence(kind=Kind.DAILY, start=date(2025, 6, 1))
    window = occurrences_between(all_day, BERLIN, start, start + HOUR)
    assert [o.day for o in window] == [date(2025, 6, 2)]
    after_done = Recurrence(kind=Kind.AFTER_COMPLETION, start=date(2025, 6, 1))
    assert occurrences_between(after_done, BERLIN, start, start + HOUR) == []


def test_calendar_ends_with_year_9999() -> None:
    daily = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1))
    assert days(daily, date(9999, 12, 28), 5) == [
        date(9999, 12, 29),
        date(9999, 12, 30),
    ]
    weekly = Recurrence(kind=Kind.WEEKLY, start=date(2025, 1, 1), weekdays=(0, 6))
    assert days(weekly, date(9999, 12, 24), 5) == [
        date(9999, 12, 26),
        date(9999, 12, 27),
    ]
    yearly = Recurrence(kind=Kind.YEARLY, start=date(2025, 12, 31))
    assert next_occurrence(yearly, BERLIN, after=date(9999, 1, 1)) is None


# --- Daylight saving ---

DST_CASES = [
    # zone, spring-forward day, fall-back day, a wall time repeated on the latter
    (BERLIN, date(2025, 3, 30), date(2025, 10, 26), time(2, 30)),
    (NEW_YORK, date(2025, 3, 9), date(2025, 11, 2), time(1, 30)),
    (SYDNEY, date(2025, 10, 5), date(2025, 4, 6), time(2, 30)),
]


@pytest.mark.parametrize(("tz", "spring", "fall", "repeated"), DST_CASES)
def test_daily_due_time_across_dst(
    tz: ZoneInfo, spring: date, fall: date, repeated: time
) -> None:
    for due_time in (time(2, 30), repeated):
        rule = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1), due_time=due_time)
        for day in (spring, fall):
            around = list(islice(occurrences(rule, tz, after=day - 2 * DAY), 3))
            assert [o.day for o in around] == [day - DAY, day, day + DAY]
            assert all(o.start.date() == o.day for o in around)
            # Once a day: a day apart, give or take the hour the clocks moved.
            for earlier, later in pairwise(around):
                assert real(earlier.start, later.start) in (23 * HOUR, DAY, 25 * HOUR)

    rule = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1), due_time=time(2, 30))
    # 02:30 does not exist on the spring-forward day: due at 03:30 instead.
    sprung = occurrence_on(rule, spring, tz)
    assert (sprung.start.hour, sprung.start.minute) == (3, 30)
    assert sprung.deadline == sprung.start
    before = occurrence_on(rule, spring - DAY, tz)
    assert real(before.start, sprung.start) == DAY

    # The repeated wall time is due once, at its first instance (still summer time).
    rule = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1), due_time=repeated)
    fallen = occurrence_on(rule, fall, tz)
    assert fallen.start.time() == repeated
    assert fallen.start.fold == 0
    assert (
        fallen.start.utcoffset()
        == occurrence_on(rule, fall - DAY, tz).start.utcoffset()
    )


@pytest.mark.parametrize(("tz", "spring", "fall"), [case[:3] for case in DST_CASES])
def test_all_day_deadline_is_next_local_midnight(
    tz: ZoneInfo, spring: date, fall: date
) -> None:
    rule = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1))
    for day, length in ((spring, 23 * HOUR), (fall, 25 * HOUR)):
        occurrence = occurrence_on(rule, day, tz)
        assert occurrence.all_day
        assert occurrence.start == datetime.combine(day, time(), tz)
        assert occurrence.deadline == datetime.combine(day + DAY, time(), tz)
        assert real(occurrence.start, occurrence.deadline) == length


def test_occurrences_between_compares_instants() -> None:
    # The window opens at the second 02:30 of the fall-back night; the chore was
    # due at the first, an hour earlier. Same-zone comparison would see them equal.
    rule = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1), due_time=time(2, 30))
    start = datetime(2025, 10, 26, 2, 30, fold=1, tzinfo=BERLIN)
    assert occurrences_between(rule, BERLIN, start, start + HOUR) == []
    earlier = start.replace(fold=0)
    window = occurrences_between(rule, BERLIN, earlier, earlier + HOUR)
    assert [o.day for o in window] == [date(2025, 10, 26)]


def test_midnight_spring_forward() -> None:
    # Santiago skips 00:00-01:00 on 2025-09-07: the day starts at 01:00, and the
    # day before ends then.
    santiago = ZoneInfo("America/Santiago")
    rule = Recurrence(kind=Kind.DAILY, start=date(2025, 1, 1))
    sunday = occurrence_on(rule, date(2025, 9, 7), santiago)
    assert sunday.start.time() == time(1)
    assert occurrence_on(rule, date(2025, 9, 6), santiago).deadline == sunday.start


# --- Validation and storage ---


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"kind": "hourly"}, "kind_invalid"),
        ({"start": datetime(2025, 1, 1)}, "start_invalid"),
        ({"start": date.max}, "start_invalid"),
        ({"start": date.min}, "start_invalid"),
        ({"interval": 0}, "interval_out_of_range"),
        ({"interval": MAX_INTERVAL + 1}, "interval_out_of_range"),
        ({"interval": 1.5}, "interval_out_of_range"),
        ({"due_time": time(8, tzinfo=UTC)}, "due_time_invalid"),
        ({"kind": Kind.WEEKLY}, "weekdays_required"),
        ({"kind": Kind.WEEKLY, "weekdays": (0, 7)}, "weekday_out_of_range"),
        ({"kind": Kind.MONTHLY_DAY}, "month_day_required"),
        ({"kind": Kind.MONTHLY_DAY, "month_day": 0}, "month_day_out_of_range"),
        ({"kind": Kind.MONTHLY_DAY, "month_day": 32}, "month_day_out_of_range"),
        ({"kind": Kind.MONTHLY_WEEKDAY, "weekday": 0}, "week_of_month_required"),
        (
            {"kind": Kind.MONTHLY_WEEKDAY, "week_of_month": 5, "weekday": 0},
            "week_of_month_out_of_range",
        ),
        (
            {"kind": Kind.MONTHLY_WEEKDAY, "week_of_month": 0, "weekday": 0},
            "week_of_month_out_of_range",
        ),
        ({"kind": Kind.MONTHLY_WEEKDAY, "week_of_month": 1}, "weekday_required"),
        (
            {"kind": Kind.MONTHLY_WEEKDAY, "week_of_month": -1, "weekday": 7},
            "weekday_out_of_range",
        ),
    ],
)
def test_invalid_rules(fields: dict, reason: str) -> None:
    with pytest.raises(InvalidRecurrenceError) as err:
        Recurrence(**{"kind": Kind.DAILY, "start": date(2025, 1, 1)} | fields)
    assert err.value.reason == reason


def test_dict_round_trip() -> None:
    rule = Recurrence(
        kind=Kind.WEEKLY,
        start=date(2025, 1, 1),
        interval=2,
        weekdays=(0, 3),
        due_time=time(18, 30),
    )
    data = json.loads(json.dumps(rule.as_dict()))
    assert data["start"] == "2025-01-01"
    assert data["due_time"] == "18:30:00"
    assert Recurrence.from_dict(data) == rule
    assert Recurrence.from_dict({"kind": "daily", "start": "2025-01-01"}) == Recurrence(
        kind=Kind.DAILY, start=date(2025, 1, 1)
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"start": "2025-01-01"}, "invalid_data"),
        ({"kind": "daily", "start": "2025-13-01"}, "invalid_data"),
        ({"kind": "daily", "start": "2025-01-01", "due_time": "25:00"}, "invalid_data"),
        ({"kind": "daily", "start": "2025-01-01", "weekdays": 3}, "invalid_data"),
        ({"kind": "weekly", "start": "2025-01-01"}, "weekdays_required"),
    ],
)
def test_from_dict_rejects(data: dict, reason: str) -> None:
    with pytest.raises(InvalidRecurrenceError) as err:
        Recurrence.from_dict(data)
    assert err.value.reason == reason


# --- Rotation ---

T0 = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("mode", list(Rotation))
def test_nobody_assigned(mode: Rotation) -> None:
    assert next_assignee(mode, [], previous="ann", last_done={}) is None


def test_fixed_rotation() -> None:
    assert (
        next_assignee(Rotation.FIXED, ["ann", "bob"], previous="ann", last_done={})
        == "ann"
    )


@pytest.mark.parametrize(
    ("previous", "expected"),
    [(None, "ann"), ("ann", "bob"), ("bob", "cid"), ("cid", "ann"), ("gone", "ann")],
)
def test_round_robin(previous: str | None, expected: str) -> None:
    assignees = ["ann", "bob", "cid"]
    assert (
        next_assignee(Rotation.ROUND_ROBIN, assignees, previous=previous, last_done={})
        == expected
    )


@pytest.mark.parametrize(
    ("last_done", "expected"),
    [
        ({}, "ann"),
        ({"ann": T0}, "bob"),
        ({"ann": T0, "bob": T0 + HOUR}, "cid"),
        ({"ann": T0 + HOUR, "bob": T0, "cid": T0 + 2 * HOUR}, "bob"),
        # Ties go to list order; people no longer assigned do not count.
        ({"ann": T0, "bob": T0, "cid": T0, "gone": T0 - HOUR}, "ann"),
    ],
)
def test_least_recently_done(last_done: dict, expected: str) -> None:
    assignees = ["ann", "bob", "cid"]
    assert (
        next_assignee(
            Rotation.LEAST_RECENT, assignees, previous="ann", last_done=last_done
        )
        == expected
    )


# --- Properties ---


def matches(rule: Recurrence, day: date) -> bool:
    """Reference: whether a calendar rule is due on `day`, by its definition."""
    if day < rule.start:
        return False
    start, n = rule.start, rule.interval
    months = (day.year - start.year) * 12 + day.month - start.month
    last = monthrange(day.year, day.month)[1]
    match rule.kind:
        case Kind.DAILY:
            return (day - start).days % n == 0
        case Kind.WEEKLY:
            weeks = ((day - start).days + start.weekday()) // 7
            return day.weekday() in rule.weekdays and weeks % n == 0
        case Kind.MONTHLY_DAY:
            return months % n == 0 and day.day == min(rule.month_day, last)
        case Kind.MONTHLY_WEEKDAY:
            if rule.week_of_month == LAST_WEEK:
                nth = day.day + 7 > last
            else:
                nth = (day.day - 1) // 7 + 1 == rule.week_of_month
            return months % n == 0 and day.weekday() == rule.weekday and nth
    return months % (12 * n) == 0 and day.day == min(start.day, last)


def transition_days(tz: ZoneInfo) -> list[date]:
    """Return the days in 2015-2034 whose local length is not 24 hours."""
    found = []
    day = date(2015, 1, 1)
    while day.year < 2035:
        midnight = datetime.combine(day, time(), tz)
        if midnight.utcoffset() != (midnight + DAY).utcoffset():
            found.append(day)
        day += DAY
    return found


# Zones with their clock-change days and the days either side of them.
DST_DAYS = [
    (tz, day + shift * DAY)
    for tz in ZONES
    for day in transition_days(tz)
    for shift in (-1, 0, 1)
]

zones = st.sampled_from(ZONES)
due_times = st.none() | st.builds(
    time, st.integers(0, 3) | st.integers(0, 23), st.sampled_from([0, 1, 30, 59])
)
intervals = st.integers(1, 4) | st.integers(1, MAX_INTERVAL)


@st.composite
def rules(draw: st.DrawFn, kinds: tuple[Kind, ...] = CALENDAR_KINDS) -> Recurrence:
    """Draw a valid rule, biased towards month ends and small intervals."""
    kind = draw(st.sampled_from(kinds))
    fields: dict = {}
    match kind:
        case Kind.WEEKLY:
            fields["weekdays"] = tuple(draw(st.sets(st.integers(0, 6), min_size=1)))
        case Kind.MONTHLY_DAY:
            fields["month_day"] = draw(st.integers(28, 31) | st.integers(1, 31))
        case Kind.MONTHLY_WEEKDAY:
            fields["week_of_month"] = draw(st.sampled_from([1, 2, 3, 4, LAST_WEEK]))
            fields["weekday"] = draw(st.integers(0, 6))
    return Recurrence(
        kind=kind,
        start=draw(st.dates(date(1990, 1, 1), date(2060, 12, 31))),
        interval=draw(intervals),
        due_time=draw(due_times),
        **fields,
    )


@settings(max_examples=1500, deadline=None)
@given(rule=rules(), offset=st.integers(-400, 4000), tz=zones)
def test_calendar_rules_match_reference(
    rule: Recurrence, offset: int, tz: ZoneInfo
) -> None:
    """Every due day in a window is found, in order, and nothing else is."""
    after = rule.start + offset * DAY
    limit = after + 800 * DAY
    found = [
        o.day
        for o in takewhile(lambda o: o.day <= limit, occurrences(rule, tz, after=after))
    ]
    expected = []
    day = after + DAY
    while day <= limit:
        if matches(rule, day):
            expected.append(day)
        day += DAY
    assert found == expected
    # The first beyond the window matches too (yearly rules may have none inside),
    # unless the calendar ends first.
    beyond = next_occurrence(rule, tz, after=limit)
    assert beyond is None or (beyond.day > limit and matches(rule, beyond.day))


@settings(max_examples=800, deadline=None)
@given(rule=rules(), offset=st.integers(-400, 4000), tz=zones)
def test_occurrences_strictly_increase(
    rule: Recurrence, offset: int, tz: ZoneInfo
) -> None:
    listed = list(islice(occurrences(rule, tz, after=rule.start + offset * DAY), 40))
    for earlier, later in pairwise(listed):
        assert earlier.day < later.day
        assert earlier.start.astimezone(UTC) < later.start.astimezone(UTC)
        assert earlier.deadline.astimezone(UTC) <= later.start.astimezone(UTC)


@settings(max_examples=1500, deadline=None)
@given(tz_day=st.sampled_from(DST_DAYS), due_time=due_times)
def test_localization_on_clock_change_days(
    tz_day: tuple[ZoneInfo, date], due_time: time | None
) -> None:
    tz, day = tz_day
    rule = Recurrence(kind=Kind.DAILY, start=date(2000, 1, 1), due_time=due_time)
    occurrence = occurrence_on(rule, day, tz)
    start = occurrence.start
    assert start.tzinfo is tz
    assert start.fold == 0
    assert occurrence.day == day
    assert start.date() == day
    # A real instant: it survives a round trip through UTC unchanged.
    assert start.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == start.replace(
        tzinfo=None
    )
    wall = due_time or time()
    if start.time() != wall:
        # Skipped by the clocks: moved forward by exactly the gap.
        shift = start.replace(tzinfo=None) - datetime.combine(day, wall)
        before = datetime.combine(day, wall, tz).utcoffset()
        assert timedelta(0) < shift == start.utcoffset() - before
    if due_time is None:
        assert occurrence.all_day
        assert occurrence.deadline == occurrence_on(rule, day + DAY, tz).start
        assert 22 * HOUR <= real(start, occurrence.deadline) <= 26 * HOUR
    else:
        assert not occurrence.all_day
        assert occurrence.deadline == start


@st.composite
def windows(draw: st.DrawFn) -> tuple[datetime, datetime]:
    """Draw an aware window [start, end) of up to 120 days."""
    start = draw(
        st.datetimes(
            datetime(1989, 1, 1),
            datetime(2070, 12, 31),
            timezones=st.sampled_from([UTC, *ZONES]),
            allow_imaginary=False,
        )
    )
    return start, start + draw(st.timedeltas(timedelta(0), timedelta(days=120)))


@settings(max_examples=800, deadline=None)
@given(
    rule=rules(tuple(Kind)),
    tz=zones,
    window=windows(),
    completed=st.none()
    | st.datetimes(
        datetime(1989, 1, 1), datetime(2070, 12, 31), timezones=st.just(UTC)
    ),
)
def test_occurrences_between_agrees_with_iteration(
    rule: Recurrence,
    tz: ZoneInfo,
    window: tuple[datetime, datetime],
    completed: datetime | None,
) -> None:
    start, end = window
    # Compare instants: same-zone comparisons of aware datetimes use wall time.
    low, high = start.astimezone(UTC), end.astimezone(UTC)
    if rule.kind == Kind.AFTER_COMPLETION:
        candidates = list(
            occurrences(rule, tz, after=date.min, last_completed=completed)
        )
    else:
        # Every matching day around the window, found one day at a time.
        day = start.astimezone(tz).date() - 2 * DAY
        candidates = []
        while day <= end.astimezone(tz).date() + DAY:
            if matches(rule, day):
                candidates.append(occurrence_on(rule, day, tz))
            day += DAY
    expected = [
        o
        for o in candidates
        if o.start < high and (o.deadline > low if o.all_day else o.start >= low)
    ]
    assert occurrences_between(rule, tz, start, end, completed) == expected


@settings(max_examples=500, deadline=None)
@given(
    rule=rules((Kind.AFTER_COMPLETION,)),
    tz=zones,
    completed=st.datetimes(
        datetime(1989, 1, 1), datetime(2070, 12, 31), timezones=zones
    ),
)
def test_after_completion_is_interval_days_after_local_completion_day(
    rule: Recurrence, tz: ZoneInfo, completed: datetime
) -> None:
    after = rule.start - DAY
    assert next_occurrence(rule, tz, after=after).day == rule.start
    due = list(occurrences(rule, tz, after=after, last_completed=completed))
    local_day = completed.astimezone(tz).date()
    assert [o.day for o in due] == [max(rule.start, local_day + rule.interval * DAY)]


@settings(max_examples=300, deadline=None)
@given(rule=rules(tuple(Kind)))
def test_dict_round_trip_property(rule: Recurrence) -> None:
    assert Recurrence.from_dict(json.loads(json.dumps(rule.as_dict()))) == rule
