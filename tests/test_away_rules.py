"""Away: who is available, and who takes the turn of someone away (pure)."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, strategies as st

from custom_components.auto_home.domain.away import (
    Away,
    Custody,
    custody_of,
    is_available,
    next_available,
)
from custom_components.auto_home.domain.chore import WEEKDAYS
from custom_components.auto_home.domain.schedule import Rotation, next_assignee

AT = datetime(2026, 3, 28, 12, tzinfo=UTC)
MEMBERS = ("ann", "bob", "cat", "dan")


def test_away_until_and_open_ended() -> None:
    """Away from `since` up to `until`; without one until marked back."""
    away = Away(AT, AT + timedelta(hours=2))
    assert is_available(None, AT)
    assert is_available(away, AT - timedelta(seconds=1))
    assert not is_available(away, AT)
    assert not is_available(away, AT + timedelta(hours=2) - timedelta(seconds=1))
    assert is_available(away, AT + timedelta(hours=2))
    assert not is_available(Away(AT), AT + timedelta(days=3650))
    assert Away.from_dict(away.as_dict()) == away
    assert Away.from_dict(Away(AT).as_dict()) == Away(AT)


def test_round_robin_passes_to_the_next_not_the_first() -> None:
    """Bob away after Ann: Cat is on, not Ann again."""
    assert (
        next_available(
            Rotation.ROUND_ROBIN,
            MEMBERS,
            lambda member: member != "bob",
            previous="ann",
            last_done={},
        )
        == "cat"
    )
    # Everyone away: the household's (unassigned).
    assert (
        next_available(
            Rotation.ROUND_ROBIN, MEMBERS, lambda _: False, previous="ann", last_done={}
        )
        is None
    )


@given(
    mode=st.sampled_from(list(Rotation)),
    away=st.frozensets(st.sampled_from(MEMBERS)),
    previous=st.sampled_from([*MEMBERS, None, "eve"]),
    done=st.dictionaries(
        st.sampled_from(MEMBERS), st.integers(min_value=0, max_value=10**6)
    ),
    turn=st.one_of(st.none(), st.integers(min_value=0, max_value=10**4)),
)
def test_never_someone_away_and_same_as_before_when_all_in(
    mode: Rotation,
    away: frozenset[str],
    previous: str | None,
    done: dict[str, int],
    turn: int | None,
) -> None:
    """The pick is available; nobody only if all are away; unchanged if none is."""
    last_done = {member: AT + timedelta(seconds=s) for member, s in done.items()}
    pick = next_available(
        mode,
        MEMBERS,
        lambda member: member not in away,
        previous=previous,
        last_done=last_done,
        turn=turn,
    )
    assert (pick is None) == (away == frozenset(MEMBERS))
    assert pick is None or pick not in away
    if not away:
        assert pick == next_assignee(
            mode, MEMBERS, previous=previous, last_done=last_done, turn=turn
        )


def test_a_scheduled_turn_of_someone_away_goes_to_the_next() -> None:
    """On schedule, turn 5 is Bob's; Bob away: Cat, not Ann (and Dan next)."""
    for mode in (Rotation.ON_SCHEDULE, Rotation.WEEK_EACH):
        pick = next_available(
            mode,
            MEMBERS,
            lambda member: member != "bob",
            previous="ann",
            last_done={},
            turn=5,
        )
        assert pick == "cat"
        assert (
            next_available(
                mode, MEMBERS, lambda _: True, previous="ann", last_done={}, turn=7
            )
            == "dan"
        )


def test_every_other_weekend_from_a_friday() -> None:
    """Friday to Sunday of every other week, counted from the start."""
    custody = Custody(date(2026, 3, 6), frozenset({4, 5, 6}))
    days = [date(2026, 3, 6) + timedelta(days=offset) for offset in range(28)]
    assert [day.day for day in days if custody.away_on(day)] == [6, 7, 8, 20, 21, 22]
    assert not custody.away_on(date(2026, 3, 5))
    assert custody.next_change(date(2026, 3, 1)) == date(2026, 3, 6)
    assert custody.next_change(date(2026, 3, 6)) == date(2026, 3, 9)
    assert custody.next_change(date(2026, 3, 9)) == date(2026, 3, 20)
    assert custody_of(None, (), WEEKDAYS) is None
    assert custody_of("2026-03-06", ["fri"], WEEKDAYS) == Custody(
        date(2026, 3, 6), frozenset({4})
    )
    assert custody_of("2026-03-06", [], WEEKDAYS) == Custody(date(2026, 3, 6))


@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    weeks=st.integers(min_value=1, max_value=60),
)
def test_alternating_weeks_exactly_half(start: date, weeks: int) -> None:
    """Whole weeks: exactly half of any even number of weeks away."""
    custody = Custody(start)
    away = [
        custody.away_on(start + timedelta(days=7 * week + offset))
        for week in range(2 * weeks)
        for offset in range(7)
    ]
    assert sum(away) == 7 * weeks


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 1, 1)),
    weekdays=st.frozensets(st.integers(min_value=0, max_value=6), min_size=1),
    offset=st.integers(min_value=-30, max_value=400),
)
def test_next_change_is_the_first_day_that_differs(
    start: date, weekdays: frozenset[int], offset: int
) -> None:
    """Nothing changes before the next change; it changes on that day."""
    custody = Custody(start, weekdays)
    day = start + timedelta(days=offset)
    change = custody.next_change(day)
    assert change is not None
    assert custody.away_on(change) != custody.away_on(day)
    between = (change - day).days
    assert all(
        custody.away_on(day + timedelta(days=step)) == custody.away_on(day)
        for step in range(1, between)
    )
