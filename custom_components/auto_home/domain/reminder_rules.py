"""When reminders may be sent: quiet hours, what waits, learned timing. No hass imports."""

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, time, timedelta
from statistics import median
from typing import Protocol

# Learned timing needs this many completions before it moves a reminder.
LEARN_MIN_COMPLETIONS = 5
# Only the most recent completions say when the chore is done nowadays.
LEARN_WINDOW = 10
# A learned reminder comes this long before the usual completion time.
LEARN_LEAD = timedelta(minutes=15)


def in_quiet_hours(moment: datetime, start: time | None, end: time | None) -> bool:
    """Return whether local `moment` falls in quiet hours [start, end).

    Quiet hours may span midnight (22:00-07:00). Equal or missing bounds mean
    there are no quiet hours.
    """
    if start is None or end is None or start == end:
        return False
    now = moment.time()
    if start < end:
        return start <= now < end
    return now >= start or now < end


def quiet_hours_end(moment: datetime, start: time, end: time) -> datetime:
    """Return when the quiet hours that contain local `moment` end.

    Computed on the local wall clock of `moment`'s time zone, so a DST change
    in the night does not move the morning.
    """
    candidate = datetime.combine(moment.date(), end, tzinfo=moment.tzinfo)
    if candidate <= moment:
        candidate = datetime.combine(
            moment.date() + timedelta(days=1), end, tzinfo=moment.tzinfo
        )
    return candidate


class Tagged(Protocol):
    """A message with a notification tag: what it is about."""

    @property
    def tag(self) -> str:
        """Return the tag; a target shows only the newest message with a tag."""
        ...


def hold[T: Tagged](held: Sequence[T], message: T) -> list[T]:
    """Return what a target has waiting once `message` waits too.

    It goes last, in place of a waiting message with its tag: the target
    would show only the newest of them anyway.
    """
    return [*(item for item in held if item.tag != message.tag), message]


def keep_held[T](
    waiting: Mapping[str, Sequence[T]], keep: Callable[[T], bool]
) -> dict[str, list[T]]:
    """Return what waits per target, only the messages `keep` accepts."""
    return {
        target: kept
        for target, held in waiting.items()
        if (kept := [item for item in held if keep(item)])
    }


def usual_time(completions: Sequence[datetime]) -> time | None:
    """Return the median local time of day of the recent completions.

    None until there are LEARN_MIN_COMPLETIONS. Times are compared as minutes
    after midnight; habits that straddle midnight are rare for chores and are
    not worth the circular statistics.
    """
    if len(completions) < LEARN_MIN_COMPLETIONS:
        return None
    minutes = median(
        moment.hour * 60 + moment.minute for moment in completions[-LEARN_WINDOW:]
    )
    return time(int(minutes // 60), int(minutes % 60))


def learned_reminder(
    due: datetime, usual: time | None, *, day_start: datetime
) -> datetime | None:
    """Return a reminder just before the usual time on the due day.

    Only ever earlier than `due` (never past its due time) and not before
    `day_start` (the start of the day the chore falls due); None when learning
    does not apply.
    """
    if usual is None:
        return None
    at = datetime.combine(day_start.date(), usual, tzinfo=day_start.tzinfo) - LEARN_LEAD
    if at >= due or at < day_start:
        return None
    return at
