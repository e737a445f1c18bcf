"""A chore's settings and state: status, completion, skip, snooze, rotation.

Pure code without Home Assistant imports. The recurrence itself is schedule.py's;
this module keeps one pending occurrence per chore (stored as its local day, so
time-zone and DST changes move its times but never its day) and decides what a
completion, a skip or a snooze does to it.
"""

from collections.abc import Callable, Collection, Mapping
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final, Self
from zoneinfo import ZoneInfo

from ..const import (
    CONF_ASSIGNEES,
    CONF_DUE_TIME,
    CONF_DUE_WINDOW,
    CONF_INTERVAL,
    CONF_MONTH_DAY,
    CONF_RECURRENCE,
    CONF_ROTATION,
    CONF_START_DATE,
    CONF_WEEK_OF_MONTH,
    CONF_WEEKDAY,
    CONF_WEEKDAYS,
)
from . import stored
from .away import next_available
from .schedule import (
    FIRST_DAY,
    LAST_DAY,
    LAST_WEEK,
    SCHEDULED_ROTATIONS,
    InvalidRecurrenceError,
    Occurrence,
    Recurrence,
    RecurrenceKind,
    Rotation,
    next_occurrence,
    occurrence_on,
    occurrences,
    occurrences_between,
    schedule_turn,
)

# Option values of the chore form's weekday and week-of-month fields.
WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKS: Final = ("1", "2", "3", "4", "last")
# Anchor of chores stored before they had a first due date.
DEFAULT_START: Final = date(2026, 1, 1)
HISTORY_LIMIT: Final = 100

_ONE_DAY: Final = timedelta(days=1)


class ChoreStatus(StrEnum):
    """Where a chore stands for its pending occurrence."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"


class Action(StrEnum):
    """What closed an occurrence."""

    COMPLETED = "completed"
    SKIPPED = "skipped"


# Looked up, not called: an Enum call is the slow way to a member.
_ACTIONS: Final = {action.value: action for action in Action}


def recurrence_from_data(data: Mapping[str, Any]) -> Recurrence:
    """Build the rule from chore subentry data; raise InvalidRecurrenceError if unusable."""
    try:
        week = data.get(CONF_WEEK_OF_MONTH)
        weekday = data.get(CONF_WEEKDAY)
        month_day = data.get(CONF_MONTH_DAY)
        rule = {
            "kind": data.get(CONF_RECURRENCE, RecurrenceKind.DAILY),
            "start": data.get(CONF_START_DATE) or DEFAULT_START.isoformat(),
            "interval": int(data.get(CONF_INTERVAL, 1)),
            "weekdays": sorted(
                {WEEKDAYS.index(day) for day in data.get(CONF_WEEKDAYS, ())}
            ),
            "month_day": None if month_day is None else int(month_day),
            "week_of_month": None if week is None else WEEKS.index(week) + 1,
            "weekday": None if weekday is None else WEEKDAYS.index(weekday),
            "due_time": data.get(CONF_DUE_TIME) or None,
        }
    except (TypeError, ValueError) as err:
        raise InvalidRecurrenceError("invalid_data") from err
    if rule["week_of_month"] == len(WEEKS):
        rule["week_of_month"] = LAST_WEEK
    return Recurrence.from_dict(rule)


@dataclass(frozen=True, slots=True)
class ChoreSettings:
    """What the user set for a chore (its subentry data, parsed)."""

    rule: Recurrence
    assignees: tuple[str, ...] = ()
    rotation: Rotation = Rotation.ROUND_ROBIN
    window: timedelta = timedelta()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Self:
        """Parse subentry data; raise InvalidRecurrenceError for an unusable rule."""
        window = data.get(CONF_DUE_WINDOW) or {}
        return cls(
            rule=recurrence_from_data(data),
            assignees=tuple(data.get(CONF_ASSIGNEES, ())),
            rotation=Rotation(data.get(CONF_ROTATION, Rotation.ROUND_ROBIN)),
            window=timedelta(
                days=window.get("days", 0),
                hours=window.get("hours", 0),
                minutes=window.get("minutes", 0),
                seconds=window.get("seconds", 0),
            ),
        )


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One closed occurrence: completed (by whom, on time?) or skipped."""

    day: date
    at: datetime
    action: Action
    by: str | None = None
    on_time: bool = True

    def as_dict(self) -> dict[str, Any]:
        """Return the entry for the store."""
        return {
            "day": self.day.isoformat(),
            "at": self.at.isoformat(),
            "action": self.action.value,
            "by": self.by,
            "on_time": self.on_time,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Restore an entry from the store."""
        return cls(
            day=date.fromisoformat(data["day"]),
            at=stored.aware(data["at"]),
            # An unknown action raises KeyError: damage, as a ValueError was.
            action=_ACTIONS[data["action"]],
            by=stored.optional_text(data["by"]),
            on_time=stored.flag(data["on_time"]),
        )


# Entries already restored, by their stored values: an undo record repeats
# the chore's history, which is then checked once, not twice.
type _Restored = dict[tuple[Any, ...], HistoryEntry]


def _history(entries: list[Any], restored: _Restored) -> list[HistoryEntry]:
    """Restore a stored history, reusing the entries restored already."""
    history = []
    for data in entries:
        # The type too: a stored 1 is no True (it fails as a flag).
        key = (
            data["day"],
            data["at"],
            data["action"],
            data["by"],
            on_time := data["on_time"],
            type(on_time),
        )
        if (entry := restored.get(key)) is None:
            entry = restored[key] = HistoryEntry.from_dict(data)
        history.append(entry)
    return history


@dataclass(frozen=True, slots=True)
class Completion:
    """What a completion did, for the event and the service response."""

    occurrence: Occurrence
    at: datetime
    by: str | None
    on_time: bool


@dataclass(frozen=True, slots=True)
class Undo:
    """How to take back the last completion: the state before it, and until when."""

    # A copy nothing changes (its own undo is None): restored as a copy again.
    before: ChoreState
    until: datetime

    def as_dict(self) -> dict[str, Any]:
        """Return the record for the store."""
        return {"before": self.before.as_dict(), "until": self.until.isoformat()}

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], restored: _Restored | None = None
    ) -> Self:
        """Restore the record from the store; a state that cannot be is damage."""
        return cls(
            before=ChoreState.from_dict(data["before"], restored),
            until=stored.aware(data["until"]),
        )


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    """Return the UTC instant the local `day` starts (DST safe)."""
    return datetime.combine(day, time(), tz).astimezone(UTC)


def _add_days(day: date, days: int) -> date:
    """Return the day `days` later, LAST_DAY at the latest."""
    return date.fromordinal(min(day.toordinal() + days, LAST_DAY.toordinal()))


@dataclass(slots=True)
class ChoreState:
    """The runtime state of one chore; `day` is its pending occurrence."""

    day: date
    rule: dict[str, Any]
    assignees: list[str] | None = None
    assignee: str | None = None
    snoozed_until: datetime | None = None
    last_completed: datetime | None = None
    last_completed_by: str | None = None
    last_action: Action | None = None
    streak: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    last_done: dict[str, datetime] = field(default_factory=dict)
    history: list[HistoryEntry] = field(default_factory=list)
    announced: ChoreStatus | None = None
    # The last completion, while it can be undone.
    undo: Undo | None = None

    def copy(self) -> Self:
        """Return a copy that can be changed without changing this state."""
        # History lists are replaced, never changed in place: they are shared.
        return replace(self, counts=dict(self.counts), last_done=dict(self.last_done))

    def as_dict(self) -> dict[str, Any]:
        """Return the state for the household store."""
        return {
            "day": self.day.isoformat(),
            "rule": self.rule,
            "assignees": self.assignees,
            "assignee": self.assignee,
            "snoozed_until": _iso(self.snoozed_until),
            "last_completed": _iso(self.last_completed),
            "last_completed_by": self.last_completed_by,
            "last_action": self.last_action,
            "streak": self.streak,
            "counts": self.counts,
            "last_done": {key: at.isoformat() for key, at in self.last_done.items()},
            "history": [entry.as_dict() for entry in self.history],
            "announced": self.announced,
            "undo": None if self.undo is None else self.undo.as_dict(),
        }

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], restored: _Restored | None = None
    ) -> Self:
        """Restore the state from the store."""
        if restored is None:
            restored = {}
        return cls(
            day=date.fromisoformat(data["day"]),
            rule=data["rule"],
            assignees=[stored.text(member) for member in data["assignees"]],
            assignee=stored.optional_text(data["assignee"]),
            snoozed_until=stored.optional_aware(data["snoozed_until"]),
            last_completed=stored.optional_aware(data["last_completed"]),
            last_completed_by=stored.optional_text(data["last_completed_by"]),
            last_action=Action(action) if (action := data["last_action"]) else None,
            streak=stored.integer(data["streak"]),
            counts=stored.counts(data["counts"]),
            last_done={
                stored.text(key): stored.aware(at)
                for key, at in data["last_done"].items()
            },
            history=_history(data["history"], restored),
            announced=ChoreStatus(status) if (status := data["announced"]) else None,
            # Stored before undo existed: nothing to undo.
            undo=Undo.from_dict(undo, restored) if (undo := data.get("undo")) else None,
        )


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


class Chore:
    """A chore's settings and state, and what happens to them over time.

    Status of the pending occurrence: `due` from the start of its local day
    (or the end of a snooze) until its deadline (all day: the end of the day;
    timed: the due time), then `overdue`. Before that it is `upcoming`, or
    `done` when the previous occurrence was completed and this one is not yet
    within its due window. Every `now` is an aware datetime in any zone; all
    comparisons are made in UTC (same-zone datetimes compare by wall time).
    """

    def __init__(
        self,
        settings: ChoreSettings,
        state: ChoreState | None,
        tz: ZoneInfo,
        now: datetime,
        members: Collection[str] = (),
        *,
        available: Callable[[str], bool] = lambda _: True,
    ) -> None:
        """Attach the state, or start one.

        A changed rule re-plans the pending occurrence; changed assignees, or
        an assignee who is no longer a member, pick the assignee afresh.
        `available` tells whether a member can take a turn now (not away).
        """
        self.settings = settings
        self.available = available
        self.tz = tz
        # Read for every chore on every update of the lists: computed once per day.
        self._occurrence: Occurrence | None = None
        self._times: tuple[tuple[date, datetime | None], tuple[datetime, ...]] | None
        self._times = None
        # A snooze ends by the last day: "until 9999-12-31" means "for good".
        self._latest = _midnight(LAST_DAY, tz)
        rule = settings.rule.as_dict()
        if state is not None:
            # A stored extreme is taken as the nearest day that can be planned.
            state.day = min(max(state.day, FIRST_DAY), LAST_DAY)
            if state.snoozed_until is not None:
                state.snoozed_until = min(state.snoozed_until, self._latest)
        if state is None:
            state = ChoreState(day=self._first_open(now, None, None), rule=rule)
        elif state.rule != rule:
            closed = state.history[-1].day if state.history else None
            state.rule = rule
            state.day = self._first_open(now, closed, state.last_completed)
            state.snoozed_until = None
            state.undo = None
        self.state = state
        assignees = list(settings.assignees)
        if state.assignees != assignees or (
            state.assignee is not None and state.assignee not in members
        ):
            state.assignees = assignees
            state.assignee = self._rotate(None)

    def _today(self, now: datetime) -> date:
        return now.astimezone(self.tz).date()

    def _first_open(
        self, now: datetime, after: date | None, last_completed: datetime | None
    ) -> date:
        """Return the first day after `after` whose occurrence is not overdue.

        An after_completion chore follows its last completion, overdue or not.
        """
        rule = self.settings.rule
        yesterday = self._today(now) - _ONE_DAY
        if rule.kind == RecurrenceKind.AFTER_COMPLETION:
            if last_completed is not None:
                return next(
                    occurrences(
                        rule, self.tz, after=yesterday, last_completed=last_completed
                    )
                ).day
            after = max(rule.start - _ONE_DAY, yesterday)
        else:
            after = yesterday if after is None else max(after, yesterday)
        return self._first_not_overdue(after, now)

    def _first_not_overdue(self, after: date, now: datetime) -> date:
        """Return the first day after `after` with an occurrence not overdue.

        An after_completion rule is taken as due on any day.
        """
        rule = self.settings.rule
        if rule.kind == RecurrenceKind.AFTER_COMPLETION:
            day = _add_days(after, 1)
            while occurrence_on(rule, day, self.tz).deadline <= now:
                day += _ONE_DAY
            return day
        return next(
            (
                occurrence.day
                for occurrence in occurrences(rule, self.tz, after=after)
                if occurrence.deadline > now
            ),
            # Nothing is planned before the end of the calendar.
            LAST_DAY,
        )

    @property
    def occurrence(self) -> Occurrence:
        """Return the pending occurrence as scheduled (without a snooze)."""
        day = self.state.day
        if (occurrence := self._occurrence) is None or occurrence.day != day:
            occurrence = self._occurrence = occurrence_on(
                self.settings.rule, day, self.tz
            )
        return occurrence

    def times(self) -> tuple[datetime, datetime, datetime]:
        """Return when the pending occurrence opens, is due and is overdue (UTC).

        A snooze makes it due when the snooze ends, until the end of that day
        or its own deadline, whichever is later.
        """
        key = (self.state.day, self.state.snoozed_until)
        if self._times is not None and self._times[0] == key:
            opens, due, deadline = self._times[1]
            return opens, due, deadline
        due = _midnight(self.state.day, self.tz)
        deadline = self.occurrence.deadline.astimezone(UTC)
        if (snoozed := self.state.snoozed_until) is not None:
            due = max(due, snoozed)
            deadline = max(
                deadline, _midnight(self._today(snoozed) + _ONE_DAY, self.tz)
            )
        self._times = (key, (due - self.settings.window, due, deadline))
        return due - self.settings.window, due, deadline

    @property
    def due_at(self) -> datetime:
        """Return the instant the chore is next due (a snooze's end, if later)."""
        start = self.occurrence.start
        if (snoozed := self.state.snoozed_until) is not None:
            return max(start, snoozed)
        return start

    def status(self, now: datetime) -> ChoreStatus:
        """Return the status at `now`."""
        opens, due, deadline = self.times()
        if now >= deadline:
            return ChoreStatus.OVERDUE
        if now >= due:
            return ChoreStatus.DUE
        if now >= opens or self.state.last_action is not Action.COMPLETED:
            return ChoreStatus.UPCOMING
        return ChoreStatus.DONE

    def visible(self, now: datetime) -> bool:
        """Return whether the chore belongs on the To-do list now."""
        return now >= self.times()[0]

    def next_change(self, now: datetime) -> datetime:
        """Return the next instant the status, the days overdue or the undo change."""
        later = [moment for moment in self.times() if moment > now]
        if (undo := self.state.undo) is not None and undo.until > now:
            later.append(undo.until)
        return min(later) if later else _midnight(self._today(now) + _ONE_DAY, self.tz)

    def days_overdue(self, now: datetime) -> int:
        """Return the whole local days since the pending occurrence's day."""
        if self.status(now) is not ChoreStatus.OVERDUE:
            return 0
        return (self._today(now) - self.state.day).days

    def settle(self, now: datetime) -> ChoreStatus | None:
        """Note the status at `now`; return it when it changed since last noted.

        Going overdue ends the streak of on-time completions.
        """
        status = self.status(now)
        if status is self.state.announced:
            return None
        self.state.announced = status
        if status is ChoreStatus.OVERDUE:
            self.state.streak = 0
        return status

    def _rotate(self, previous: str | None) -> str | None:
        """Return who is on for the pending occurrence, `previous` having been."""
        settings = self.settings
        return next_available(
            settings.rotation,
            settings.assignees,
            self.available,
            previous=previous,
            last_done=self.state.last_done,
            turn=schedule_turn(
                settings.rule, self.tz, settings.rotation, self.state.day
            ),
        )

    def pass_over(self) -> bool:
        """Give the pending occurrence of an unavailable assignee to the next.

        An unassigned chore goes to an available assignee, if it has any.
        Return whether the assignee changed.
        """
        assignee = self.state.assignee
        if assignee is not None and self.available(assignee):
            return False
        self.state.assignee = self._rotate(assignee)
        return self.state.assignee != assignee

    def _close(self, entry: HistoryEntry) -> None:
        """Record how the pending occurrence ended; the next one starts afresh."""
        self.state.history = [*self.state.history, entry][-HISTORY_LIMIT:]
        self.state.last_action = entry.action
        self.state.snoozed_until = None
        # Only the last change can be taken back: a skip ends the undo.
        self.state.undo = None
        self.state.announced = None

    def complete(
        self, now: datetime, at: datetime, by: str | None
    ) -> Completion | None:
        """Complete the pending occurrence at `at`; None when already done.

        The next occurrence is the first on a day after both the completed one
        and the completion: whatever was also due by then is done with it.
        """
        if self.status(now) is ChoreStatus.DONE:
            return None
        state, occurrence = self.state, self.occurrence
        # History entries are frozen and the list is replaced, never changed:
        # copying the counters is enough for an exact undo.
        before = state.copy()
        before.undo = None
        by = by or state.assignee
        on_time = at < self.times()[2]
        self._close(HistoryEntry(occurrence.day, at, Action.COMPLETED, by, on_time))
        state.streak = state.streak + 1 if on_time else 0
        if state.last_completed is None or at >= state.last_completed:
            state.last_completed, state.last_completed_by = at, by
        if by is not None:
            state.counts[by] = state.counts.get(by, 0) + 1
            state.last_done[by] = max(at, state.last_done.get(by, at))
        after = max(occurrence.day, self._today(at))
        following = next_occurrence(
            self.settings.rule, self.tz, after=after, last_completed=at
        )
        state.day = LAST_DAY if following is None else following.day
        state.assignee = self._rotate(state.assignee)
        state.undo = Undo(before, _midnight(self._today(now) + _ONE_DAY, self.tz))
        return Completion(occurrence, at, by, on_time)

    def undoable(self, now: datetime) -> bool:
        """Return whether the last completion can still be undone (until midnight)."""
        return self.state.undo is not None and now < self.state.undo.until

    def undo(self, now: datetime) -> bool:
        """Undo the last completion exactly; False when there is none to undo."""
        if (undo := self.state.undo) is None or not self.undoable(now):
            return False
        self.state = undo.before.copy()
        return True

    def skip(self, now: datetime) -> Occurrence:
        """Skip the pending occurrence; return it.

        The next one is the first that is not overdue yet; an after_completion
        chore waits its interval from today (or from the skipped day, if later).
        """
        occurrence = self.occurrence
        self._close(HistoryEntry(occurrence.day, now, Action.SKIPPED))
        rule = self.settings.rule
        after = occurrence.day
        if rule.kind == RecurrenceKind.AFTER_COMPLETION:
            after = _add_days(max(after, self._today(now)), rule.interval - 1)
        self.state.day = self._first_not_overdue(after, now)
        # The assignee keeps their turn, unless the turn follows the schedule.
        if self.settings.rotation in SCHEDULED_ROTATIONS:
            self.state.assignee = self._rotate(self.state.assignee)
        return occurrence

    def snooze(self, until: datetime) -> None:
        """Postpone the pending occurrence until `until` (the last day at most)."""
        self.state.snoozed_until = min(until, self._latest)
        self.state.undo = None

    def draft(self) -> Self:
        """Return a copy to change: this chore stays as it is until replaced."""
        draft = copy(self)
        draft.state = self.state.copy()
        return draft

    def planned(
        self, start: datetime, end: datetime
    ) -> list[tuple[Occurrence, HistoryEntry | None]]:
        """Return the occurrences in [start, end) with how each was closed.

        Past ones come from the history (completed only), then the pending
        occurrence and the ones the rule plans after it.
        """
        rule, tz = self.settings.rule, self.tz
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        found: list[tuple[Occurrence, HistoryEntry | None]] = []
        for entry in self.state.history:
            if entry.action is not Action.COMPLETED or entry.day >= self.state.day:
                continue
            occurrence = occurrence_on(rule, entry.day, tz)
            if _overlaps(occurrence, start, end):
                found.append((occurrence, entry))
        if rule.kind == RecurrenceKind.AFTER_COMPLETION:
            days = range(self.state.day.toordinal(), LAST_DAY.toordinal() + 1)
            for day in map(date.fromordinal, days[:: rule.interval]):
                if (occurrence := occurrence_on(rule, day, tz)).start >= end:
                    break
                if _overlaps(occurrence, start, end):
                    found.append((occurrence, None))
        else:
            found.extend(
                (occurrence, None)
                for occurrence in occurrences_between(rule, tz, start, end)
                if occurrence.day >= self.state.day
            )
        return found


def _overlaps(occurrence: Occurrence, start: datetime, end: datetime) -> bool:
    """Return whether an occurrence belongs in the window (as occurrences_between)."""
    return occurrence.start < end and (
        occurrence.start >= start or occurrence.deadline > start
    )
