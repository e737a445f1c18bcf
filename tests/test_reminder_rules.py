"""Quiet hours, what waits through them and learned timing, tested directly."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st

from custom_components.auto_home.domain.reminder_rules import (
    LEARN_LEAD,
    hold,
    in_quiet_hours,
    keep_held,
    learned_reminder,
    quiet_hours_end,
    usual_time,
)

BERLIN = ZoneInfo("Europe/Berlin")


def _at(hour: int, minute: int = 0, day: int = 25, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


def test_quiet_hours_across_midnight() -> None:
    start, end = time(22), time(7)
    assert in_quiet_hours(_at(22), start, end)
    assert in_quiet_hours(_at(3), start, end)
    assert not in_quiet_hours(_at(7), start, end)
    assert not in_quiet_hours(_at(21, 59), start, end)


def test_quiet_hours_within_a_day_and_unset() -> None:
    assert in_quiet_hours(_at(13), time(12), time(14))
    assert not in_quiet_hours(_at(14), time(12), time(14))
    assert not in_quiet_hours(_at(3), None, time(7))
    assert not in_quiet_hours(_at(3), time(7), time(7))


def test_quiet_hours_end_is_next_morning_or_today() -> None:
    assert quiet_hours_end(_at(23), time(22), time(7)) == _at(7, day=26)
    assert quiet_hours_end(_at(3), time(22), time(7)) == _at(7)


def test_quiet_hours_end_across_dst_change() -> None:
    # Berlin falls back in the night to Sunday 2026-10-25: still 07:00 local.
    end = quiet_hours_end(_at(23, day=24, month=10), time(22), time(7))
    assert end == _at(7, day=25, month=10)
    assert end.timestamp() - _at(23, day=24, month=10).timestamp() == 9 * 3600


@given(
    st.times(),
    st.times(),
    st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1)).map(
        lambda moment: moment.replace(tzinfo=BERLIN)
    ),
)
def test_quiet_hours_end_is_outside_quiet_hours(
    start: time, end: time, moment: datetime
) -> None:
    if start == end or not in_quiet_hours(moment, start, end):
        return
    ends = quiet_hours_end(moment, start, end)
    assert ends > moment
    assert ends - moment <= timedelta(hours=25)
    assert not in_quiet_hours(ends, start, end)


def test_usual_time_needs_five_completions() -> None:
    times = [_at(18, 10 + day, day=day) for day in range(1, 5)]
    assert usual_time(times) is None
    times.append(_at(19, 0, day=5))
    assert usual_time(times) == time(18, 13)


def test_learned_reminder_never_after_due() -> None:
    due = _at(20)
    day_start = _at(0)
    assert learned_reminder(due, time(18, 0), day_start=day_start) == (
        _at(18) - LEARN_LEAD
    )
    assert learned_reminder(due, time(21, 0), day_start=day_start) is None
    assert learned_reminder(due, time(0, 5), day_start=day_start) is None
    assert learned_reminder(due, None, day_start=day_start) is None


@dataclass(frozen=True)
class _Held:
    tag: str
    text: int


_HELD = st.builds(_Held, st.sampled_from("abc"), st.integers(0, 9))


@given(st.lists(_HELD, max_size=12))
def test_a_target_holds_only_the_newest_of_a_tag(messages: list[_Held]) -> None:
    held: list[_Held] = []
    for message in messages:
        held = hold(held, message)
    # One per tag, the newest, in the order the newest ones arrived.
    last = {message.tag: index for index, message in enumerate(messages)}
    assert held == [messages[index] for index in sorted(last.values())]


@given(
    st.dictionaries(st.sampled_from(["phone", "tablet"]), st.lists(_HELD, max_size=6)),
    st.sampled_from("abc"),
)
def test_dropping_a_tag_keeps_the_rest(
    waiting: dict[str, list[_Held]], dropped: str
) -> None:
    kept = keep_held(waiting, lambda item: item.tag != dropped)
    assert all(held for held in kept.values())
    for target, held in waiting.items():
        rest = [item for item in held if item.tag != dropped]
        assert kept.get(target, []) == rest
