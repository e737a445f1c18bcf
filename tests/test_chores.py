"""Chores end to end: each recurrence kind over weeks and DST changes, rotation."""

from datetime import timedelta
from itertools import pairwise

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import async_capture_events

from .chore_helpers import (
    attributes,
    call,
    local,
    move_to,
    next_due,
    setup_household,
)
from .conftest import chore

SENSOR = "sensor.water_plants_next_due"
OVERDUE = "binary_sensor.water_plants_overdue"


async def test_every_other_day_all_day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 08:00"))
    overdue_events = async_capture_events(hass, "auto_home_chore_overdue")
    due_events = async_capture_events(hass, "auto_home_chore_due")
    completed = async_capture_events(hass, "auto_home_chore_completed")
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="daily",
            interval=2,
            start_date="2026-11-23",
            assignees=["member_mia"],
        ),
    )
    assert next_due(hass, SENSOR) == local("2026-11-23 00:00")
    assert attributes(hass, SENSOR)["status"] == "due"
    assert attributes(hass, SENSOR)["all_day"] is True
    assert attributes(hass, SENSOR)["assignee"] == "Mia"
    assert hass.states.get(OVERDUE).state == "off"
    assert [event.data["chore"] for event in due_events] == ["Water plants"]

    # Not done by midnight: overdue, exactly once, and a day later two days.
    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    assert hass.states.get(OVERDUE).state == "on"
    assert attributes(hass, SENSOR)["days_overdue"] == 1
    assert len(overdue_events) == 1
    assert overdue_events[0].data["member"] == "Mia"
    await move_to(hass, freezer, local("2026-11-25 00:00:01"))
    assert attributes(hass, SENSOR)["days_overdue"] == 2
    assert len(overdue_events) == 1

    # Done late on the 25th: the 25th is done with it, next is the 27th.
    await move_to(hass, freezer, local("2026-11-25 09:00"))
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2026-11-27 00:00")
    assert {
        "status": "done",
        "streak": 0,
        "last_completed_by": "Mia",
        "days_overdue": 0,
        "completions": {"Mia": 1},
    }.items() <= attributes(hass, SENSOR).items()
    assert hass.states.get(OVERDUE).state == "off"
    assert completed[-1].data["on_time"] is False
    assert completed[-1].data["due"] == local("2026-11-23 00:00").isoformat()
    assert completed[-1].data["status"] == "overdue"
    assert completed[-1].data["member"] == "Mia"
    assert completed[-1].data["next_due"] == local("2026-11-27 00:00").isoformat()

    await move_to(hass, freezer, local("2026-11-27 00:00:01"))
    assert attributes(hass, SENSOR)["status"] == "due"
    assert len(due_events) == 2
    await move_to(hass, freezer, local("2026-11-27 18:00"))
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert attributes(hass, SENSOR)["streak"] == 1
    assert next_due(hass, SENSOR) == local("2026-11-29 00:00")


async def test_weekly_timed_across_spring_forward(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Due at 02:30 on Sundays; on 29 March 2026 02:30 does not exist in Berlin."""
    freezer.move_to(local("2026-03-20 12:00"))
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="weekly",
            weekdays=["sun"],
            start_date="2026-03-15",
            due_time="02:30:00",
        ),
    )
    assert next_due(hass, SENSOR) == local("2026-03-22 02:30")
    assert attributes(hass, SENSOR)["status"] == "upcoming"
    await move_to(hass, freezer, local("2026-03-22 00:00:01"))
    assert attributes(hass, SENSOR)["status"] == "due"
    await move_to(hass, freezer, local("2026-03-22 02:30:01"))
    assert attributes(hass, SENSOR)["status"] == "overdue"
    await call(hass, "complete_chore", {"chore": "Water plants"})

    # The skipped wall time becomes 03:30 summer time: 01:30 UTC, as before.
    assert next_due(hass, SENSOR) == local("2026-03-29 03:30")
    assert next_due(hass, SENSOR).utcoffset() == timedelta(hours=2)
    assert attributes(hass, SENSOR)["status"] == "done"
    await move_to(hass, freezer, local("2026-03-29 00:00:01"))
    assert attributes(hass, SENSOR)["status"] == "due"
    await move_to(hass, freezer, local("2026-03-29 03:29"))
    assert attributes(hass, SENSOR)["status"] == "due"
    await move_to(hass, freezer, local("2026-03-29 03:30:01"))
    assert attributes(hass, SENSOR)["status"] == "overdue"
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2026-04-05 02:30")


async def test_weekly_timed_never_twice_in_fall_back(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """On 25 October 2026 02:30 happens twice in Berlin: the chore is due once."""
    freezer.move_to(local("2026-10-24 12:00"))
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="weekly",
            weekdays=["sun", "wed"],
            start_date="2026-10-01",
            due_time="02:30:00",
        ),
    )
    first = next_due(hass, SENSOR)
    assert first == local("2026-10-25 02:30")
    assert first.utcoffset() == timedelta(hours=2)
    # Completed at 02:45 summer time; the repeated 02:30 (winter time) follows.
    await move_to(hass, freezer, first + timedelta(minutes=15))
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2026-10-28 02:30")
    await move_to(hass, freezer, first + timedelta(hours=1, minutes=1))
    assert attributes(hass, SENSOR)["status"] == "done"


async def test_monthly_on_day_31_clamps(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2027-01-30 10:00"))
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="monthly_day",
            month_day=31,
            start_date="2027-01-01",
        ),
    )
    assert next_due(hass, SENSOR) == local("2027-01-31 00:00")
    # Never completed yet: an early completion counts for the 31st.
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2027-02-28 00:00")
    for day, following in (
        ("2027-02-28", "2027-03-31"),
        ("2027-03-31", "2027-04-30"),
        ("2027-04-30", "2027-05-31"),
    ):
        await move_to(hass, freezer, local(f"{day} 20:00"))
        assert attributes(hass, SENSOR)["status"] == "due"
        await call(hass, "complete_chore", {"chore": "Water plants"})
        assert next_due(hass, SENSOR) == local(f"{following} 00:00")
    assert attributes(hass, SENSOR)["streak"] == 4


@pytest.mark.parametrize(
    ("week", "weekday", "dates"),
    [
        ("last", "fri", ["2026-11-27", "2026-12-25", "2027-01-29"]),
        ("2", "tue", ["2026-11-10", "2026-12-08", "2027-01-12"]),
    ],
)
async def test_monthly_on_weekday(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    week: str,
    weekday: str,
    dates: list[str],
) -> None:
    freezer.move_to(local("2026-11-01 10:00"))
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="monthly_weekday",
            week_of_month=week,
            weekday=weekday,
            start_date="2026-11-01",
            due_time="19:00:00",
        ),
    )
    for day, following in pairwise(dates):
        assert next_due(hass, SENSOR) == local(f"{day} 19:00")
        await move_to(hass, freezer, local(f"{day} 18:00"))
        await call(hass, "complete_chore", {"chore": "Water plants"})
        assert next_due(hass, SENSOR) == local(f"{following} 19:00")


async def test_yearly_from_february_29(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2028-02-29 10:00"))
    await setup_household(
        hass,
        chore("Water plants", recurrence="yearly", start_date="2028-02-29"),
    )
    assert attributes(hass, SENSOR)["status"] == "due"
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2029-02-28 00:00")
    await move_to(hass, freezer, local("2029-02-28 12:00"))
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2030-02-28 00:00")


async def test_after_completion(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-20 10:00"))
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="after_completion",
            interval=3,
            start_date="2026-11-23",
            due_time="18:00:00",
            due_window={"days": 1},
        ),
    )
    assert next_due(hass, SENSOR) == local("2026-11-23 18:00")
    # Done two days late: the next is three days after the completion.
    await move_to(hass, freezer, local("2026-11-25 09:00"))
    assert attributes(hass, SENSOR)["days_overdue"] == 2
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2026-11-28 18:00")
    # Done again before its window opens: not counted twice.
    await move_to(hass, freezer, local("2026-11-26 10:00"))
    assert attributes(hass, SENSOR)["status"] == "done"
    response = await call(
        hass, "complete_chore", {"chore": "Water plants"}, response=True
    )
    assert response["counted"] is False
    assert next_due(hass, SENSOR) == local("2026-11-28 18:00")
    # Within its window (a day before its day): upcoming, and can be done early.
    await move_to(hass, freezer, local("2026-11-27 00:00:01"))
    assert attributes(hass, SENSOR)["status"] == "upcoming"
    await call(hass, "complete_chore", {"chore": "Water plants"})
    assert next_due(hass, SENSOR) == local("2026-11-30 18:00")
    assert attributes(hass, SENSOR)["streak"] == 1


@pytest.mark.parametrize(
    ("rotation", "by", "expected"),
    [
        ("fixed", [None, None, None], ["Mia", "Mia", "Mia", "Mia"]),
        ("round_robin", [None, None, None], ["Mia", "Leo", "Mia", "Leo"]),
        # Leo steps in for Mia, so Mia is the one who did it least recently.
        ("least_recently_done", ["Leo", "Mia", None], ["Mia", "Mia", "Leo", "Mia"]),
    ],
)
async def test_rotation(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    rotation: str,
    by: list[str | None],
    expected: list[str],
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="daily",
            start_date="2026-11-23",
            assignees=["member_mia", "member_leo"],
            rotation=rotation,
        ),
    )
    assignees = [attributes(hass, SENSOR)["assignee"]]
    for day, member in enumerate(by):
        await move_to(hass, freezer, local(f"2026-11-{23 + day} 10:00"))
        data = {"chore": "Water plants"} | ({"member": member} if member else {})
        await call(hass, "complete_chore", data)
        assignees.append(attributes(hass, SENSOR)["assignee"])
    assert assignees == expected
