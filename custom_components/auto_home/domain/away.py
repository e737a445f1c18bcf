"""When a member is away, and who takes a chore's turn while they are.

Pure code without Home Assistant imports. A member is away from `since`
until `until` (None: until they are marked back).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Self

from . import stored
from .schedule import SCHEDULED_ROTATIONS, Rotation, next_assignee


@dataclass(frozen=True, slots=True)
class Away:
    """A member's away period."""

    since: datetime
    until: datetime | None = None

    def as_dict(self) -> dict[str, Any]:
        """Return the period for the store."""
        return {
            "since": self.since.isoformat(),
            "until": None if self.until is None else self.until.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Restore a period from the store."""
        return cls(
            since=stored.aware(data["since"]),
            until=stored.optional_aware(data["until"]),
        )


def is_available(away: Away | None, at: datetime) -> bool:
    """Return whether a member with away period `away` (None: none) is home at `at`."""
    return (
        away is None or at < away.since or (away.until is not None and at >= away.until)
    )


def next_available(
    mode: Rotation,
    assignees: Sequence[str],
    available: Callable[[str], bool],
    *,
    previous: str | None,
    last_done: Mapping[str, datetime],
    turn: int | None = None,
) -> str | None:
    """Return who does the next occurrence among the available assignees.

    Round robin keeps its order: the first available one after `previous`,
    so an away member's turn passes to the next, not back to the first; a
    scheduled rotation likewise passes its turn's member over to the next.
    None when nobody assigned is available (the household does it).
    """
    start: int | None = None
    if mode in SCHEDULED_ROTATIONS and turn is not None and assignees:
        start = turn % len(assignees)
    elif mode is Rotation.ROUND_ROBIN and previous in assignees:
        start = assignees.index(previous) + 1
    if start is not None:
        order = [*assignees[start:], *assignees[:start]]
        return next((member for member in order if available(member)), None)
    present = [member for member in assignees if available(member)]
    return next_assignee(
        mode, present, previous=previous, last_done=last_done, turn=turn
    )


@dataclass(frozen=True, slots=True)
class Custody:
    """Away on some days of every other week, counted from `start`.

    Weeks run from `start` (not Monday): with a Friday start and Friday to
    Sunday, every other weekend. No weekdays: the whole week.
    """

    start: date
    weekdays: frozenset[int] = frozenset(range(7))

    def away_on(self, day: date) -> bool:
        """Return whether the member is away on the local `day`."""
        days = (day - self.start).days
        return days >= 0 and (days // 7) % 2 == 0 and day.weekday() in self.weekdays

    def next_change(self, day: date) -> date | None:
        """Return the first day after `day` that is away when `day` is not, or back.

        None when nothing changes any more (no weekdays).
        """
        if not self.weekdays:
            return None
        now = self.away_on(day)
        # Two weeks hold every change of the pattern; before start, the start.
        following = max(day + timedelta(days=1), self.start)
        for offset in range(15):
            if self.away_on(candidate := following + timedelta(days=offset)) != now:
                return candidate
        return None


def custody_of(
    start: str | None, weekdays: Sequence[str], names: Sequence[str]
) -> Custody | None:
    """Return the custody of member settings (weekday names as in `names`)."""
    if not start:
        return None
    days = frozenset(names.index(name) for name in weekdays) or frozenset(range(7))
    return Custody(date.fromisoformat(start), days)
