"""To-do items and calendar events say who is on, and who did a completed one."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import DOMAIN as CALENDAR_DOMAIN
from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.core import HomeAssistant

from .chore_helpers import attributes, call, local, move_to, setup_household
from .conftest import chore

DISHES = chore(
    "Dishes",
    recurrence="daily",
    start_date="2026-11-22",
    due_time="19:00:00",
    assignees=["member_mia", "member_leo"],
    description="Pots too",
)


async def _descriptions(hass: HomeAssistant) -> tuple[list[Any], list[Any]]:
    items = await hass.services.async_call(
        TODO_DOMAIN,
        "get_items",
        # The open items (a completion shows ticked until midnight).
        {"status": ["needs_action"]},
        target={"entity_id": "todo.chores"},
        blocking=True,
        return_response=True,
    )
    events = await hass.services.async_call(
        CALENDAR_DOMAIN,
        "get_events",
        {
            "start_date_time": "2026-11-23 00:00:00",
            "end_date_time": "2026-11-26 00:00:00",
        },
        target={"entity_id": "calendar.chores"},
        blocking=True,
        return_response=True,
    )
    return (
        [item.get("description") for item in items["todo.chores"]["items"]],
        [
            (event["start"][:10], event.get("description"))
            for event in events["calendar.chores"]["events"]
        ],
    )


async def test_items_and_events_say_who_is_on(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(hass, DISHES)
    items, events = await _descriptions(hass)
    assert items == ["Mia is on\n\nPots too"]
    assert events[0] == ("2026-11-23", "Mia is on\n\nPots too")
    # Leo does Mia's turn.
    await call(hass, "complete_chore", {"chore": "Dishes", "member": "Leo"})
    items, events = await _descriptions(hass)
    # Done for today; the turn passed on from Mia: Leo is on next.
    assert items == []
    assert events == [
        ("2026-11-23", "Done by Leo\n\nPots too"),
        ("2026-11-24", "Leo is on\n\nPots too"),
        # Later turns depend on who completes the ones before.
        ("2026-11-25", "Pots too"),
    ]


async def test_in_the_household_language(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    hass.config.language = "zh-Hans"
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(hass, DISHES)
    items, events = await _descriptions(hass)
    assert items == ["轮到Mia\n\nPots too"]
    assert events[0] == ("2026-11-23", "轮到Mia\n\nPots too")


async def test_each_event_says_who_did_it(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Events of one chore done by different members each name their own."""
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(hass, DISHES)
    await call(hass, "complete_chore", {"chore": "Dishes", "member": "Leo"})
    await move_to(hass, freezer, local("2026-11-24 10:00"))
    await call(hass, "complete_chore", {"chore": "Dishes", "member": "Mia"})
    _, events = await _descriptions(hass)
    assert events == [
        ("2026-11-23", "Done by Leo\n\nPots too"),
        ("2026-11-24", "Done by Mia\n\nPots too"),
        ("2026-11-25", "Mia is on\n\nPots too"),
    ]
    # The event shown is the pending one, built after the last change.
    assert attributes(hass, "calendar.chores")["description"] == (
        "Mia is on\n\nPots too"
    )
