"""Away: who is available, and who takes the turn of someone away (pure)."""

from datetime import UTC, datetime, timedelta

from hypothesis import given, strategies as st

from custom_components.auto_home.domain.away import (
    Away,
    is_available,
    next_available,
)
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
)
def test_never_someone_away_and_same_as_before_when_all_in(
    mode: Rotation,
    away: frozenset[str],
    previous: str | None,
    done: dict[str, int],
) -> None:
    """The pick is available; nobody only if all are away; unchanged if none is."""
    last_done = {member: AT + timedelta(seconds=s) for member, s in done.items()}
    pick = next_available(
        mode,
        MEMBERS,
        lambda member: member not in away,
        previous=previous,
        last_done=last_done,
    )
    assert (pick is None) == (away == frozenset(MEMBERS))
    assert pick is None or pick not in away
    if not away:
        assert pick == next_assignee(
            mode, MEMBERS, previous=previous, last_done=last_done
        )
