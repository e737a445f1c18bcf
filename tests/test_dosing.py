"""Dose spacing, tested directly: interval, rolling 24 hours, DST, invariants."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from hypothesis import given, strategies as st
import pytest

from custom_components.auto_home.domain.dosing import (
    DAY,
    Dose,
    DoseRule,
    TooEarlyReason,
    allowed_after,
    check_dose,
    doses_within,
    next_allowed,
    recount_at,
)

NEW_YORK = ZoneInfo("America/New_York")
START = datetime(2026, 3, 2, 8, tzinfo=UTC)
EVERY_4H_MAX_4 = DoseRule(min_interval=timedelta(hours=4), max_per_day=4)


def _h(hours: float, minutes: float = 0) -> datetime:
    return START + timedelta(hours=hours, minutes=minutes)


def test_first_dose_is_allowed_now() -> None:
    assert check_dose([], EVERY_4H_MAX_4, START) is None
    assert next_allowed([], EVERY_4H_MAX_4, START) == START


def test_interval_refuses_and_tells_when() -> None:
    refused = check_dose([_h(0)], EVERY_4H_MAX_4, _h(3))
    assert refused is not None
    assert refused.reason is TooEarlyReason.INTERVAL
    assert refused.allowed_at == _h(4)
    assert check_dose([_h(0)], EVERY_4H_MAX_4, _h(4)) is None


def test_rolling_24_hours_not_the_calendar_day() -> None:
    # Four doses 08:00, 12:00, 16:00, 20:00: the fifth waits until 08:00 next
    # day (24 h after the first), though midnight has passed.
    given_times = [_h(0), _h(4), _h(8), _h(12)]
    refused = check_dose(given_times, EVERY_4H_MAX_4, _h(17))
    assert refused is not None
    assert refused.reason is TooEarlyReason.DAILY_LIMIT
    assert refused.allowed_at == _h(24)
    assert check_dose(given_times, EVERY_4H_MAX_4, _h(23, 59)) is not None
    assert check_dose(given_times, EVERY_4H_MAX_4, _h(24)) is None
    assert doses_within(given_times, _h(23)) == 4
    assert doses_within(given_times, _h(24)) == 3


def test_late_record_is_checked_against_later_doses() -> None:
    # A dose written down afterwards, at 10:00, between doses at 08:00 and 13:00.
    refused = check_dose([_h(0), _h(5)], EVERY_4H_MAX_4, _h(2))
    assert refused is not None
    assert refused.reason is TooEarlyReason.INTERVAL
    # Nothing fits between them: the next is 4 h after the last.
    assert refused.allowed_at == _h(9)
    assert check_dose([_h(0), _h(9)], EVERY_4H_MAX_4, _h(4, 30)) is None


def test_dose_before_fall_back_counts_real_hours() -> None:
    # New York falls back at 02:00 EDT on 1 November 2026: 01:30 happens twice.
    first = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=0)  # EDT
    second = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK, fold=1)  # EST
    assert second - first == timedelta(0)  # wall clock: no difference
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    refused = check_dose([first], EVERY_4H_MAX_4, second.astimezone(UTC))
    assert refused is not None
    allowed = refused.allowed_at.astimezone(NEW_YORK)
    # 4 real hours after 01:30 EDT is 04:30 EST, not 05:30.
    assert (allowed.hour, allowed.minute) == (4, 30)
    assert allowed.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=4)


def test_daily_limit_across_spring_forward_is_24_real_hours() -> None:
    # The day clocks spring forward has 23 hours; the window stays 24 real hours.
    doses = [
        datetime(2026, 3, 8, hour, tzinfo=NEW_YORK).astimezone(UTC)
        for hour in (0, 1, 4, 8)
    ]
    rule = DoseRule(min_interval=timedelta(minutes=30), max_per_day=4)
    allowed = next_allowed(doses, rule, doses[-1])
    assert allowed - doses[0] == DAY
    assert allowed.astimezone(NEW_YORK).hour == 1  # local 01:00 on 9 March


def test_rule_and_dose_validation() -> None:
    with pytest.raises(ValueError, match="min_interval"):
        DoseRule(min_interval=timedelta(0), max_per_day=4)
    with pytest.raises(ValueError, match="max_per_day"):
        DoseRule(min_interval=timedelta(hours=4), max_per_day=0)
    with pytest.raises(ValueError, match="aware"):
        Dose(medicine_id="m", medicine="M", given_at=datetime(2026, 1, 1))


def test_dose_round_trips_and_rejects_damage() -> None:
    dose = Dose(
        medicine_id="m", medicine="Paracetamol", given_at=START, amount=250, unit="mg"
    )
    assert Dose.from_dict(dose.as_dict()) == dose
    with pytest.raises(TypeError):
        Dose.from_dict(dose.as_dict() | {"amount": "250"})
    with pytest.raises(ValueError, match="without zone"):
        Dose.from_dict(dose.as_dict() | {"given_at": "2026-03-02T08:00:00"})


_OFFSETS = st.lists(st.integers(min_value=0, max_value=72 * 60), max_size=12)
_RULES = st.builds(
    DoseRule,
    min_interval=st.integers(min_value=1, max_value=12 * 60).map(
        lambda minutes: timedelta(minutes=minutes)
    ),
    max_per_day=st.integers(min_value=1, max_value=8),
)


def _accepted(offsets: list[int], rule: DoseRule) -> list[datetime]:
    """Give a dose at each time the rule allows, in order; return those given."""
    taken: list[datetime] = []
    for offset in sorted(offsets):
        at = START + timedelta(minutes=offset)
        if check_dose(taken, rule, at) is None:
            taken.append(at)
    return taken


@given(_OFFSETS, _RULES)
def test_accepted_doses_keep_the_rule(offsets: list[int], rule: DoseRule) -> None:
    taken = _accepted(offsets, rule)
    for earlier, later in pairwise(taken):
        assert later - earlier >= rule.min_interval
    for at in taken:
        assert sum(1 for time in taken if at <= time < at + DAY) <= rule.max_per_day


@given(_OFFSETS, _RULES, st.integers(min_value=0, max_value=96 * 60))
def test_next_allowed_is_the_earliest_allowed(
    offsets: list[int], rule: DoseRule, now_offset: int
) -> None:
    now = START + timedelta(minutes=now_offset)
    taken = [time for time in _accepted(offsets, rule) if time <= now]
    allowed = next_allowed(taken, rule, now)
    assert allowed >= now
    assert check_dose(taken, rule, allowed) is None
    if allowed > now:
        assert check_dose(taken, rule, allowed - timedelta(seconds=1)) is not None


@given(_OFFSETS, _RULES, st.integers(min_value=0, max_value=72 * 60))
def test_a_refusal_names_an_allowed_time(
    offsets: list[int], rule: DoseRule, at_offset: int
) -> None:
    taken = _accepted(offsets, rule)
    at = START + timedelta(minutes=at_offset)
    if (refused := check_dose(taken, rule, at)) is not None:
        assert refused.allowed_at > at
        assert check_dose(taken, rule, refused.allowed_at) is None


def test_allowed_after_stays_put_as_the_clock_moves() -> None:
    assert allowed_after([], EVERY_4H_MAX_4) is None
    given = [_h(0), _h(4), _h(8), _h(12)]
    # The fourth dose of the day: the first must be 24 hours back.
    assert allowed_after(given, EVERY_4H_MAX_4) == _h(24)
    assert allowed_after(given[:1], EVERY_4H_MAX_4) == _h(4)
    # Whenever it is asked, it is the same: unlike next_allowed from now.
    assert next_allowed(given[:1], EVERY_4H_MAX_4, _h(10)) == _h(10)


def test_reach_is_a_day_or_the_interval_if_longer() -> None:
    assert EVERY_4H_MAX_4.reach == DAY
    assert DoseRule(min_interval=timedelta(hours=36), max_per_day=1).reach == (
        timedelta(hours=36)
    )


def test_recount_at_is_when_the_next_dose_drops_out() -> None:
    # 08:00, 14:00 and 20:00: at 09:00 next day the 08:00 dose is out, not
    # only 24 hours after the last.
    given_times = [_h(0), _h(6), _h(12)]
    assert recount_at(given_times, _h(20)) == _h(24)
    assert doses_within(given_times, _h(25)) == 2
    assert recount_at(given_times, _h(24)) == _h(30)
    assert recount_at(given_times, _h(36)) is None
    # A dose a few seconds ahead (clock skew) counts once it is given.
    assert recount_at([_h(1)], _h(0)) == _h(1)


@given(
    st.lists(st.integers(min_value=0, max_value=72 * 60), max_size=12),
    st.integers(min_value=0, max_value=96 * 60),
    st.integers(min_value=0, max_value=96 * 60),
)
def test_the_count_holds_until_recount_at(
    offsets: list[int], now_offset: int, later_offset: int
) -> None:
    given_times = [START + timedelta(minutes=offset) for offset in offsets]
    now = START + timedelta(minutes=now_offset)
    later = now + timedelta(minutes=later_offset)
    change = recount_at(given_times, now)
    if change is None or later < change:
        assert doses_within(given_times, later) == doses_within(given_times, now)
    else:
        assert change > now
        # Nothing starts or stops counting before it.
        assert recount_at(given_times, now) == recount_at(
            given_times, change - timedelta(microseconds=1)
        )
