"""Rotation that follows the calendar: on schedule, and a week each."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from hypothesis import given, strategies as st

from custom_components.auto_home.domain.schedule import (
    Recurrence,
    Rotation,
    next_assignee,
    schedule_turn,
)

from .chore_helpers import attributes, call, local, move_to, setup_household

TZ = ZoneInfo("Europe/Berlin")
START = date(2026, 11, 23)
PEOPLE = ("a", "b", "c")


def _daily(interval: int = 1) -> Recurrence:
    return Recurrence.from_dict(
        {"kind": "daily", "start": START.isoformat(), "interval": interval}
    )


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=9))
def test_on_schedule_turn_is_the_occurrence_number(days: int, interval: int) -> None:
    rule = _daily(interval)
    day = START + timedelta(days=days * interval)
    turn = schedule_turn(rule, TZ, Rotation.ON_SCHEDULE, day)
    assert turn == days
    # Consecutive occurrences go to consecutive assignees, whatever happened.
    on = next_assignee(
        Rotation.ON_SCHEDULE, PEOPLE, previous=None, last_done={}, turn=turn
    )
    assert on == PEOPLE[days % len(PEOPLE)]


@given(st.integers(min_value=0, max_value=2000))
def test_week_each_stays_a_week(days: int) -> None:
    day = START + timedelta(days=days)
    turn = schedule_turn(_daily(), TZ, Rotation.WEEK_EACH, day)
    monday = START + timedelta(days=days - days % 7)
    assert turn == schedule_turn(_daily(), TZ, Rotation.WEEK_EACH, monday)
    assert turn == days // 7


def test_other_rotations_and_after_completion_have_no_turn() -> None:
    assert schedule_turn(_daily(), TZ, Rotation.ROUND_ROBIN, START) is None
    after = Recurrence.from_dict(
        {"kind": "after_completion", "start": START.isoformat(), "interval": 3}
    )
    assert schedule_turn(after, TZ, Rotation.ON_SCHEDULE, START) is None
    # Without a turn they take turns as round robin does.
    assert (
        next_assignee(Rotation.ON_SCHEDULE, PEOPLE, previous="c", last_done={}) == "a"
    )


async def _add(hass: HomeAssistant, entry_id: str, rotation: str, name: str) -> None:
    result = await hass.config_entries.subentries.async_init(
        (entry_id, "chore"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": name,
            "recurrence": "daily",
            "start_date": "2026-11-23",
            "assignees": ["member_mia", "member_leo"],
            "rotation": rotation,
        },
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"interval": 1}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()


async def test_modes_chosen_in_the_flow_follow_the_calendar(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass)
    await _add(hass, entry.entry_id, "on_schedule", "Dishes")
    await _add(hass, entry.entry_id, "week_each", "Trash")
    await _add(hass, entry.entry_id, "round_robin", "Sweep")
    dishes, trash, sweep = (
        f"sensor.{name}_next_due" for name in ("dishes", "trash", "sweep")
    )
    assert attributes(hass, dishes)["assignee"] == "Mia"

    # Mia skips: on schedule the next day is Leo's; round robin keeps Mia on.
    for chore in ("Dishes", "Sweep"):
        await call(hass, "skip_chore", {"chore": chore})
    await move_to(hass, freezer, local("2026-11-24 10:00"))
    assert attributes(hass, dishes)["assignee"] == "Leo"
    assert attributes(hass, sweep)["assignee"] == "Mia"

    # Nobody does Tuesday's; done on Thursday, Friday's is Mia's (day 4).
    await move_to(hass, freezer, local("2026-11-26 10:00"))
    await call(hass, "complete_chore", {"chore": "Dishes"})
    assert attributes(hass, dishes)["last_completed_by"] == "Leo"
    assert attributes(hass, dishes)["assignee"] == "Mia"

    # A week each: Mia's week from Monday the 23rd, done each day, Leo's next.
    for day in range(26, 30):
        await move_to(hass, freezer, local(f"2026-11-{day} 20:00"))
        assert attributes(hass, trash)["assignee"] == "Mia", day
        await call(hass, "complete_chore", {"chore": "Trash"})
    await move_to(hass, freezer, local("2026-11-30 08:00"))
    assert attributes(hass, trash)["assignee"] == "Leo"
