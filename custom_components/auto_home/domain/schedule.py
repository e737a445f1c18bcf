"""Chore recurrence: when a chore is due, and who does it next.

Standard library only, no Home Assistant imports. Rules pick local calendar days;
the time zone only comes in when a day is turned into instants (`occurrence_on`),
so a daylight saving change can move a due time but never add or drop a day.
"""

from calendar import monthrange
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import partial
import itertools
from typing import Any, Final, Self, cast
from zoneinfo import ZoneInfo

# Longer gaps read better as a monthly or yearly rule.
MAX_INTERVAL: Final = 365
LAST_WEEK: Final = -1

# datetime ends with year 9999; stopping a day early leaves room for a deadline.
LAST_DAY: Final = date(MAXYEAR, 12, 30)
# Starting a day late leaves room for the day before: the days between can be
# turned into instants in every time zone.
FIRST_DAY: Final = date(MINYEAR, 1, 2)
_ONE_DAY: Final = timedelta(days=1)
_MIDNIGHT: Final = time()


class RecurrenceKind(StrEnum):
    """How a chore repeats."""

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY_DAY = "monthly_day"
    MONTHLY_WEEKDAY = "monthly_weekday"
    YEARLY = "yearly"
    AFTER_COMPLETION = "after_completion"


class InvalidRecurrenceError(ValueError):
    """A recurrence rule that cannot be scheduled; `reason` is a translation key."""

    def __init__(self, reason: str) -> None:
        """Keep the snake_case key of the problem."""
        super().__init__(reason)
        self.reason = reason


def _in_range(value: object, low: int, high: int) -> bool:
    """Return whether value is an int within [low, high]."""
    return isinstance(value, int) and low <= value <= high


@dataclass(frozen=True, slots=True, kw_only=True)
class Recurrence:
    """A repeating rule anchored at the chore's first due day, `start`.

    Weeks (Monday-based), months and years are counted from the one holding
    `start`, and nothing is due before `start`. Fields a kind does not use are
    ignored. Construction validates the rule.
    """

    kind: RecurrenceKind
    start: date
    # Days, weeks, months or years between periods, by kind.
    interval: int = 1
    # weekly: 0 = Monday ... 6 = Sunday.
    weekdays: tuple[int, ...] = ()
    # monthly_day: 1-31, clamped to the month's last day.
    month_day: int | None = None
    # monthly_weekday: 1-4, or LAST_WEEK, of `weekday` (0 = Monday).
    week_of_month: int | None = None
    weekday: int | None = None
    # Local wall time; None means all day.
    due_time: time | None = None

    def __post_init__(self) -> None:
        """Refuse a rule that cannot be scheduled."""
        self.validate()

    def validate(self) -> None:
        """Raise InvalidRecurrenceError naming the first problem with the rule.

        Reasons: kind_invalid, start_invalid, interval_out_of_range,
        due_time_invalid, weekdays_required, weekday_out_of_range,
        month_day_required, month_day_out_of_range, week_of_month_required,
        week_of_month_out_of_range, weekday_required.
        """
        if self.kind not in RecurrenceKind:
            raise InvalidRecurrenceError("kind_invalid")
        # A datetime is a date too, but cannot be compared with one.
        if (
            not isinstance(self.start, date)
            or isinstance(self.start, datetime)
            or not FIRST_DAY <= self.start <= LAST_DAY
        ):
            raise InvalidRecurrenceError("start_invalid")
        if not _in_range(self.interval, 1, MAX_INTERVAL):
            raise InvalidRecurrenceError("interval_out_of_range")
        if self.due_time is not None and (
            not isinstance(self.due_time, time) or self.due_time.tzinfo is not None
        ):
            raise InvalidRecurrenceError("due_time_invalid")
        match self.kind:
            case RecurrenceKind.WEEKLY:
                if not self.weekdays:
                    raise InvalidRecurrenceError("weekdays_required")
                if not all(_in_range(day, 0, 6) for day in self.weekdays):
                    raise InvalidRecurrenceError("weekday_out_of_range")
            case RecurrenceKind.MONTHLY_DAY:
                if self.month_day is None:
                    raise InvalidRecurrenceError("month_day_required")
                if not _in_range(self.month_day, 1, 31):
                    raise InvalidRecurrenceError("month_day_out_of_range")
            case RecurrenceKind.MONTHLY_WEEKDAY:
                if self.week_of_month is None:
                    raise InvalidRecurrenceError("week_of_month_required")
                if self.week_of_month != LAST_WEEK and not _in_range(
                    self.week_of_month, 1, 4
                ):
                    raise InvalidRecurrenceError("week_of_month_out_of_range")
                if self.weekday is None:
                    raise InvalidRecurrenceError("weekday_required")
                if not _in_range(self.weekday, 0, 6):
                    raise InvalidRecurrenceError("weekday_out_of_range")

    def as_dict(self) -> dict[str, Any]:
        """Return the rule as JSON-friendly data (ISO dates and times)."""
        return {
            "kind": str(self.kind),
            "start": self.start.isoformat(),
            "interval": self.interval,
            "weekdays": list(self.weekdays),
            "month_day": self.month_day,
            "week_of_month": self.week_of_month,
            "weekday": self.weekday,
            "due_time": None if self.due_time is None else self.due_time.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build a rule from `as_dict` data; only `kind` and `start` are required.

        Raises InvalidRecurrenceError: "invalid_data" when the data cannot be read,
        or the reason the rule it describes is unusable.
        """
        try:
            kind = RecurrenceKind(data["kind"])
            start = date.fromisoformat(data["start"])
            weekdays = tuple(data.get("weekdays", ()))
            due_time = data.get("due_time")
            if due_time is not None:
                due_time = time.fromisoformat(due_time)
        except (KeyError, TypeError, ValueError) as err:
            raise InvalidRecurrenceError("invalid_data") from err
        return cls(
            kind=kind,
            start=start,
            interval=data.get("interval", 1),
            weekdays=weekdays,
            month_day=data.get("month_day"),
            week_of_month=data.get("week_of_month"),
            weekday=data.get("weekday"),
            due_time=due_time,
        )


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One time a chore is due.

    `start` and `deadline` are aware datetimes in the rule's time zone. Note that
    Python compares and subtracts datetimes sharing a tzinfo by wall time; convert
    to UTC for real durations.
    """

    # The local calendar day it is due.
    day: date
    # All day: local midnight starting `day`; timed: the due instant.
    start: datetime
    # When it becomes overdue: the next local midnight, or the due instant.
    deadline: datetime
    all_day: bool


def _local(day: date, wall: time, tz: ZoneInfo) -> datetime:
    """Return the instant a local wall time on `day` is due.

    fold=0 takes the first of the two instants a fall-back repeats and, in a
    spring-forward gap, the offset from before it; the round trip through UTC
    then turns a wall time the clocks skip into the later, real one (02:30
    becomes 03:30 when 02:00 jumps to 03:00).
    """
    return datetime.combine(day, wall, tz).astimezone(UTC).astimezone(tz)


def occurrence_on(rule: Recurrence, day: date, tz: ZoneInfo) -> Occurrence:
    """Return the occurrence of `rule` on the local `day` (not checked against it)."""
    if rule.due_time is None:
        return Occurrence(
            day,
            _local(day, _MIDNIGHT, tz),
            _local(day + _ONE_DAY, _MIDNIGHT, tz),
            all_day=True,
        )
    due = _local(day, rule.due_time, tz)
    return Occurrence(day, due, due, all_day=False)


def _month_index(day: date) -> int:
    """Return the months from year 0 to the month holding `day`."""
    return day.year * 12 + day.month - 1


def _daily(rule: Recurrence, first: date) -> Iterator[date]:
    """Yield every interval-th day from start, from `first` on."""
    start, step = rule.start.toordinal(), rule.interval
    periods = -(-(first.toordinal() - start) // step)
    return map(
        date.fromordinal, range(start + periods * step, LAST_DAY.toordinal() + 1, step)
    )


def _weekly(rule: Recurrence, first: date) -> Iterator[date]:
    """Yield the chosen weekdays of every interval-th week, from `first` on."""
    step = 7 * rule.interval
    start_monday = rule.start.toordinal() - rule.start.weekday()
    low, high = first.toordinal(), LAST_DAY.toordinal()
    weekdays = sorted(set(rule.weekdays))
    periods = (low - start_monday) // step
    for monday in range(start_monday + periods * step, high + 1, step):
        for weekday in weekdays:
            if low <= monday + weekday <= high:
                yield date.fromordinal(monday + weekday)


def _monthly(
    rule: Recurrence, first: date, step: int, pick: Callable[[int, int], date]
) -> Iterator[date]:
    """Yield pick(year, month) for every step-th month from start's, from `first` on."""
    start = _month_index(rule.start)
    # Jump straight to the first period that can hold `first`.
    periods = -(-(_month_index(first) - start) // step)
    for index in range(start + periods * step, _month_index(LAST_DAY) + 1, step):
        year, month0 = divmod(index, 12)
        if first <= (day := pick(year, month0 + 1)) <= LAST_DAY:
            yield day


def _clamped(year: int, month: int, day: int) -> date:
    """Return `day` of the month, or the month's last day if it is shorter."""
    return date(year, month, min(day, monthrange(year, month)[1]))


def _nth_weekday(year: int, month: int, week: int, weekday: int) -> date:
    """Return the week-th (or last, for LAST_WEEK) given weekday of the month."""
    if week == LAST_WEEK:
        last = _clamped(year, month, 31)
        return last - timedelta(days=(last.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def _calendar_days(rule: Recurrence, first: date) -> Iterator[date]:
    """Yield the days a calendar rule is due, from `first` (>= start) on."""
    match rule.kind:
        case RecurrenceKind.DAILY:
            return _daily(rule, first)
        case RecurrenceKind.WEEKLY:
            return _weekly(rule, first)
        case RecurrenceKind.MONTHLY_DAY:
            # validate() guarantees the fields of each kind are set.
            pick = partial(_clamped, day=cast(int, rule.month_day))
            return _monthly(rule, first, rule.interval, pick)
        case RecurrenceKind.MONTHLY_WEEKDAY:
            pick = partial(
                _nth_weekday,
                week=cast(int, rule.week_of_month),
                weekday=cast(int, rule.weekday),
            )
            return _monthly(rule, first, rule.interval, pick)
    # Yearly: every 12 * interval months, on start's day (Feb 29 -> Feb 28).
    return _monthly(
        rule, first, 12 * rule.interval, partial(_clamped, day=rule.start.day)
    )


def occurrences(
    rule: Recurrence,
    tz: ZoneInfo,
    *,
    after: date,
    last_completed: datetime | None = None,
) -> Iterator[Occurrence]:
    """Yield the occurrences due on days after `after`, lazily and in order.

    Calendar kinds ignore `last_completed` and go on until the year 9999. An
    after_completion rule has one pending occurrence whatever `after` is: `start`
    before the first completion, then the local day of `last_completed` (aware)
    plus interval days, never before `start`.
    """
    if rule.kind == RecurrenceKind.AFTER_COMPLETION:
        day = rule.start
        if last_completed is not None:
            done = last_completed.astimezone(tz).date()
            day = max(day, done + timedelta(days=rule.interval))
        yield occurrence_on(rule, day, tz)
        return
    for day in _calendar_days(rule, max(rule.start, after + _ONE_DAY)):
        yield occurrence_on(rule, day, tz)


def next_occurrence(
    rule: Recurrence,
    tz: ZoneInfo,
    *,
    after: date,
    last_completed: datetime | None = None,
) -> Occurrence | None:
    """Return the first occurrence `occurrences` yields, None past the year 9999."""
    return next(occurrences(rule, tz, after=after, last_completed=last_completed), None)


def occurrences_between(
    rule: Recurrence,
    tz: ZoneInfo,
    start: datetime,
    end: datetime,
    last_completed: datetime | None = None,
) -> list[Occurrence]:
    """Return the occurrences in the aware window [start, end), for a calendar.

    An all-day occurrence is in the window when its day overlaps it, a timed one
    when its due instant lies in it.
    """
    # Different tzinfos make comparisons exact instants (same-zone ones use wall time).
    start, end = start.astimezone(UTC), end.astimezone(UTC)
    after = start.astimezone(tz).date() - _ONE_DAY
    found: list[Occurrence] = []
    for occurrence in occurrences(rule, tz, after=after, last_completed=last_completed):
        if occurrence.start >= end:
            break
        if occurrence.start >= start or occurrence.deadline > start:
            found.append(occurrence)
    return found


class Rotation(StrEnum):
    """How a chore's assignee changes from one occurrence to the next."""

    FIXED = "fixed"
    ROUND_ROBIN = "round_robin"
    LEAST_RECENT = "least_recently_done"
    # The turn follows the calendar, done or not (skipped ones too).
    ON_SCHEDULE = "on_schedule"
    WEEK_EACH = "week_each"


# Rotations whose turn is the occurrence's place in the schedule.
SCHEDULED_ROTATIONS: Final = frozenset({Rotation.ON_SCHEDULE, Rotation.WEEK_EACH})
# How long each assignee stays on with week_each.
PERIOD: Final = timedelta(days=7)


def schedule_turn(
    rule: Recurrence, tz: ZoneInfo, mode: Rotation, day: date
) -> int | None:
    """Return the turn of the occurrence on `day` for a scheduled rotation.

    week_each: the number of whole periods since the rule's start; on_schedule:
    the number of occurrences before `day`. None for other rotations and for
    an after_completion rule (it has no calendar to follow).
    """
    if mode not in SCHEDULED_ROTATIONS or rule.kind == RecurrenceKind.AFTER_COMPLETION:
        return None
    if mode is Rotation.WEEK_EACH:
        return (day - rule.start).days // PERIOD.days
    return sum(
        1
        for _ in itertools.takewhile(
            lambda occurrence: occurrence.day < day,
            occurrences(rule, tz, after=rule.start - timedelta(days=1)),
        )
    )


def next_assignee(
    mode: Rotation,
    assignees: Sequence[str],
    *,
    previous: str | None,
    last_done: Mapping[str, datetime],
    turn: int | None = None,
) -> str | None:
    """Return who does the next occurrence, or None when nobody is assigned.

    fixed: the first assignee. round_robin: the one after `previous`, wrapping
    around (the first if `previous` is not assigned). least_recently_done: one
    who never did it, else the one whose last completion is oldest; ties go to
    the earlier in `assignees`. on_schedule and week_each: the `turn`-th in
    order (the occurrence's or the week's number since the start); without a
    turn (a rule with no calendar), as round_robin.
    """
    if not assignees:
        return None
    if mode in SCHEDULED_ROTATIONS and turn is not None:
        return assignees[turn % len(assignees)]
    match mode:
        case Rotation.ROUND_ROBIN | Rotation.ON_SCHEDULE | Rotation.WEEK_EACH:
            if previous not in assignees:
                return assignees[0]
            return assignees[(assignees.index(previous) + 1) % len(assignees)]
        case Rotation.LEAST_RECENT:
            for assignee in assignees:
                if assignee not in last_done:
                    return assignee
            return min(assignees, key=last_done.__getitem__)
    return assignees[0]
