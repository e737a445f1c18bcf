"""The chore state machine without Home Assistant: edge cases of the rules."""

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st
import pytest

from custom_components.auto_home.domain.chore import (
    Action,
    Chore,
    ChoreSettings,
    ChoreState,
    ChoreStatus,
    recurrence_from_data,
)
from custom_components.auto_home.domain.schedule import (
    FIRST_DAY,
    LAST_DAY,
    InvalidRecurrenceError,
)

from .chore_helpers import BERLIN, local


def _chore(now: str, state: ChoreState | None = None, **data: Any) -> Chore:
    return Chore(ChoreSettings.from_data(data), state, BERLIN, local(now), ["a", "b"])


@pytest.mark.parametrize(
    "data",
    [
        {"recurrence": "weekly", "weekdays": ["someday"]},
        {"recurrence": "daily", "interval": "often"},
        {"recurrence": "daily", "start_date": "soon"},
    ],
)
def test_unreadable_data_is_an_invalid_rule(data: dict[str, Any]) -> None:
    with pytest.raises(InvalidRecurrenceError) as err:
        recurrence_from_data(data)
    assert err.value.reason == "invalid_data"


def test_after_completion_timed_starts_tomorrow_when_today_passed() -> None:
    chore = _chore(
        "2026-11-23 20:00",
        recurrence="after_completion",
        interval=2,
        start_date="2026-11-01",
        due_time="18:00:00",
    )
    assert chore.state.day.isoformat() == "2026-11-24"
    assert chore.status(local("2026-11-23 20:00")) is ChoreStatus.UPCOMING


def test_after_completion_skip_and_rule_change() -> None:
    data = {"recurrence": "after_completion", "interval": 3, "start_date": "2026-11-23"}
    chore = _chore("2026-11-23 10:00", **data)
    chore.complete(local("2026-11-23 10:00"), local("2026-11-23 09:00"), "a")
    assert chore.state.day.isoformat() == "2026-11-26"
    # Skipped while overdue: the interval counts from the day of the skip.
    skipped = chore.skip(local("2026-11-28 10:00"))
    assert skipped.day.isoformat() == "2026-11-26"
    assert chore.state.day.isoformat() == "2026-12-01"
    assert chore.state.last_action is Action.SKIPPED
    # Another interval: the next follows the last completion, even if overdue.
    stored = ChoreState.from_dict(chore.state.as_dict())
    changed = _chore("2026-11-28 10:00", stored, **data | {"interval": 4})
    assert changed.state.day.isoformat() == "2026-11-27"
    assert changed.status(local("2026-11-28 10:00")) is ChoreStatus.OVERDUE

    # The calendar: the completion, then the plan every 4 days from the pending one.
    planned = changed.planned(local("2026-11-20 00:00"), local("2026-12-06 00:00"))
    assert [(item.day.isoformat(), closed is not None) for item, closed in planned] == [
        ("2026-11-23", True),
        ("2026-11-27", False),
        ("2026-12-01", False),
        ("2026-12-05", False),
    ]
    later = changed.planned(local("2026-12-02 00:00"), local("2026-12-06 00:00"))
    assert [item.day.isoformat() for item, _ in later] == ["2026-12-05"]


def test_backdated_completion_keeps_the_latest() -> None:
    chore = _chore("2026-11-23 10:00", recurrence="daily", start_date="2026-11-23")
    now = local("2026-11-23 10:00")
    chore.complete(now, now, "a")
    # An older completion reported later does not become the last one.
    result = chore.complete(local("2026-11-24 10:00"), now - timedelta(hours=1), "b")
    assert result is not None
    assert result.on_time
    assert chore.state.last_completed == now
    assert chore.state.last_completed_by == "a"
    assert chore.state.counts == {"a": 1, "b": 1}


_KINDS = [
    {"recurrence": "daily", "interval": 3},
    {"recurrence": "weekly", "weekdays": ["mon", "fri"], "due_time": "23:30:00"},
    {"recurrence": "monthly_day", "month_day": 31},
    {"recurrence": "yearly"},
    {"recurrence": "after_completion", "interval": 365, "due_time": "00:15:00"},
]


@settings(max_examples=150, deadline=None)
@given(
    data=st.sampled_from(_KINDS),
    day=st.dates(),
    snoozed=st.none() | st.datetimes(timezones=st.just(UTC)),
    zone=st.sampled_from(["Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/Berlin"]),
)
def test_stored_extreme_dates_never_raise(
    data: dict[str, Any], day: date, snoozed: datetime | None, zone: str
) -> None:
    """Any stored day and snooze end, at either end of the calendar, is usable."""
    tz = ZoneInfo(zone)
    now = datetime(2026, 11, 23, 10, tzinfo=tz)
    settings_ = ChoreSettings.from_data(data | {"start_date": "2026-11-01"})
    state = ChoreState(day=day, rule=settings_.rule.as_dict(), snoozed_until=snoozed)
    chore = Chore(settings_, state, tz, now, ["a", "b"])
    assert FIRST_DAY <= chore.state.day <= LAST_DAY
    chore.status(now)
    assert chore.next_change(now) > now
    end = datetime.max.replace(tzinfo=UTC)
    chore.planned(end - timedelta(days=40), end)
    chore.snooze(datetime.max.replace(tzinfo=UTC))
    assert chore.due_at <= chore.next_change(now)
    chore.complete(now, now, "a")
    chore.skip(now)
    assert FIRST_DAY <= chore.state.day <= LAST_DAY
    assert chore.due_at.astimezone(tz).year <= 9999
