"""Completing, skipping, snoozing and reassigning chores; the To-do list and calendar."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.calendar import DOMAIN as CALENDAR_DOMAIN
from homeassistant.components.todo import DOMAIN as TODO_DOMAIN
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import (
    attributes,
    call,
    local,
    move_to,
    next_due,
    reload,
    setup_household,
)
from .conftest import chore

TODO = "todo.chores"
CALENDAR = "calendar.chores"


def _daily(name: str, **data: Any) -> Any:
    return chore(
        name,
        recurrence="daily",
        start_date="2026-11-23",
        assignees=["member_mia", "member_leo"],
        **data,
    )


async def _todo_items(hass: HomeAssistant) -> list[dict[str, Any]]:
    response = await hass.services.async_call(
        TODO_DOMAIN,
        "get_items",
        # The open items (a completion shows ticked until midnight).
        {"status": ["needs_action"]},
        target={"entity_id": TODO},
        blocking=True,
        return_response=True,
    )
    return response[TODO]["items"]


async def test_todo_button_and_service_complete_alike(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    completed = async_capture_events(hass, "auto_home_chore_completed")
    await setup_household(hass, _daily("Dishes"), _daily("Laundry"), _daily("Trash"))
    items = await _todo_items(hass)
    assert [item["summary"] for item in items] == ["Dishes", "Laundry", "Trash"]
    assert items[0] == {
        "uid": "chore_dishes",
        "summary": "Dishes",
        "status": "needs_action",
        "due": "2026-11-23",
        "description": "Mia is on",
    }
    assert hass.states.get(TODO).state == "3"

    await hass.services.async_call(
        TODO_DOMAIN,
        "update_item",
        {"item": "Dishes", "status": "completed"},
        target={"entity_id": TODO},
        blocking=True,
    )
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.laundry_complete"}, blocking=True
    )
    await call(hass, "complete_chore", {"chore": "sensor.trash_next_due"})
    await hass.async_block_till_done()

    keys = ("status", "assignee", "last_completed_by", "streak", "completions")
    results = [
        {key: attributes(hass, f"sensor.{name}_next_due")[key] for key in keys}
        | {"next_due": next_due(hass, f"sensor.{name}_next_due")}
        for name in ("dishes", "laundry", "trash")
    ]
    assert results[0] == {
        "status": "done",
        "assignee": "Leo",
        "last_completed_by": "Mia",
        "streak": 1,
        "completions": {"Mia": 1},
        "next_due": local("2026-11-24 00:00"),
    }
    assert results[1] == results[0]
    assert results[2] == results[0]
    assert [event.data["chore"] for event in completed] == [
        "Dishes",
        "Laundry",
        "Trash",
    ]
    # Done for today: off the list until tomorrow.
    assert await _todo_items(hass) == []
    assert hass.states.get(TODO).state == "0"

    # Pressing again the same day changes nothing.
    await hass.services.async_call(
        "button", "press", {"entity_id": "button.laundry_complete"}, blocking=True
    )
    await hass.async_block_till_done()
    assert attributes(hass, "sensor.laundry_next_due")["completions"] == {"Mia": 1}
    assert len(completed) == 3

    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    assert len(await _todo_items(hass)) == 3


async def test_timed_item_due_and_window(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(
        hass,
        chore(
            "Bins",
            recurrence="weekly",
            weekdays=["wed"],
            start_date="2026-11-23",
            due_time="19:00:00",
            due_window={"days": 1},
            description="Both the paper and the rest",
        ),
    )
    # Wednesday's bins show from Tuesday on.
    assert await _todo_items(hass) == []
    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    assert await _todo_items(hass) == [
        {
            "uid": "chore_bins",
            "summary": "Bins",
            "status": "needs_action",
            "due": local("2026-11-25 19:00").isoformat(),
            "description": "Both the paper and the rest",
        }
    ]


async def test_rename_and_delete_from_todo(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass, _daily("Dishes"), _daily("Trash"))
    await hass.services.async_call(
        TODO_DOMAIN,
        "update_item",
        {"item": "chore_dishes", "rename": "Wash the dishes"},
        target={"entity_id": TODO},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert entry.subentries["chore_dishes"].title == "Wash the dishes"
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "chore_dishes"), entry.entry_id
    )
    assert device.name == "Wash the dishes"
    # Renamed, not completed: still on the list.
    assert [item["summary"] for item in await _todo_items(hass)] == [
        "Wash the dishes",
        "Trash",
    ]

    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            TODO_DOMAIN,
            "update_item",
            {"item": "chore_dishes", "rename": "trash"},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert err.value.translation_key == "chore_name_exists"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            TODO_DOMAIN,
            "remove_item",
            {"item": "Trash"},
            target={"entity_id": TODO},
            blocking=True,
        )
    assert err.value.translation_key == "chore_delete_refused"
    assert "delete it on the Auto Home integration page" in str(err.value)
    assert len(await _todo_items(hass)) == 2


async def test_skip(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    skipped = async_capture_events(hass, "auto_home_chore_skipped")
    await setup_household(
        hass,
        chore(
            "Water plants",
            recurrence="weekly",
            weekdays=["mon", "thu"],
            start_date="2026-11-01",
            assignees=["member_mia", "member_leo"],
        ),
    )
    sensor = "sensor.water_plants_next_due"
    await call(hass, "skip_chore", {"chore": "water plants"})
    assert next_due(hass, sensor) == local("2026-11-26 00:00")
    assert skipped[0].data["due"] == local("2026-11-23 00:00").isoformat()
    assert skipped[0].data["next_due"] == local("2026-11-26 00:00").isoformat()
    # A skip is no completion: nothing counted, still Mia's turn, not "done".
    attrs = attributes(hass, sensor)
    assert attrs["status"] == "upcoming"
    assert attrs["assignee"] == "Mia"
    assert attrs["completions"] == {}
    assert attrs["last_completed"] is None

    # Skipping an overdue chore drops what was missed, keeps what is due now.
    await move_to(hass, freezer, local("2026-11-30 10:00"))
    assert attributes(hass, sensor)["status"] == "overdue"
    await call(hass, "skip_chore", {"chore": "Water plants"})
    assert next_due(hass, sensor) == local("2026-11-30 00:00")
    assert attributes(hass, sensor)["status"] == "due"


async def test_snooze(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    freezer.move_to(local("2026-11-23 08:00"))
    due_events = async_capture_events(hass, "auto_home_chore_due")
    await setup_household(hass, _daily("Water plants", due_time="09:00:00"))
    sensor = "sensor.water_plants_next_due"
    await move_to(hass, freezer, local("2026-11-23 10:00"))
    assert attributes(hass, sensor)["status"] == "overdue"

    await call(hass, "snooze_chore", {"chore": "Water plants", "duration": "01:30:00"})
    assert next_due(hass, sensor) == local("2026-11-23 11:30")
    attrs = attributes(hass, sensor)
    assert attrs["status"] == "upcoming"
    assert attrs["snoozed_until"] == local("2026-11-23 11:30").isoformat()
    assert hass.states.get("binary_sensor.water_plants_overdue").state == "off"
    assert await _todo_items(hass) == []

    # When the snooze ends it is due again, until the end of that day.
    await move_to(hass, freezer, local("2026-11-23 11:30:01"))
    assert attributes(hass, sensor)["status"] == "due"
    assert [event.data["due"] for event in due_events] == [
        local("2026-11-23 09:00").isoformat(),
        local("2026-11-23 11:30").isoformat(),
    ]
    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    assert attributes(hass, sensor)["status"] == "overdue"

    await call(
        hass,
        "snooze_chore",
        {"chore": "Water plants", "until": "2026-11-24 20:00:00"},
    )
    assert next_due(hass, sensor) == local("2026-11-24 20:00")
    await call(hass, "complete_chore", {"chore": "Water plants"})
    attrs = attributes(hass, sensor)
    assert attrs["snoozed_until"] is None
    assert next_due(hass, sensor) == local("2026-11-25 09:00")


async def test_reassign_and_get_chores(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(
        hass,
        _daily("Dishes"),
        chore("Bins", recurrence="weekly", weekdays=["fri"], start_date="2026-11-01"),
        chore(
            "Windows",
            recurrence="monthly_day",
            month_day=15,
            start_date="2026-12-01",
            assignees=["member_leo"],
        ),
    )
    await call(hass, "reassign_chore", {"chore": "Dishes", "member": "Leo"})
    assert attributes(hass, "sensor.dishes_next_due")["assignee"] == "Leo"
    assert hass.states.get("sensor.leo_chores_due_today").state == "1"
    assert attributes(hass, "sensor.leo_chores_due_today")["chores"] == [
        {
            "chore": "Dishes",
            "status": "due",
            "due": local("2026-11-23 00:00").isoformat(),
            "all_day": True,
            "days_overdue": 0,
        }
    ]
    assert hass.states.get("sensor.mia_chores_due_today").state == "0"

    everything = await call(hass, "get_chores", {}, response=True)
    assert [item["chore"] for item in everything["chores"]] == [
        "Dishes",
        "Bins",
        "Windows",
    ]
    dishes = everything["chores"][0]
    assert dishes["assignee"] == "Leo"
    assert dishes["assignee_id"] == "member_leo"
    assert dishes["deadline"] == local("2026-11-24 00:00").isoformat()
    leo = await call(hass, "get_chores", {"member": "Leo"}, response=True)
    assert [item["chore"] for item in leo["chores"]] == ["Dishes", "Windows"]
    soon = await call(hass, "get_chores", {"within_days": 7}, response=True)
    assert [item["chore"] for item in soon["chores"]] == ["Dishes", "Bins"]
    due = await call(hass, "get_chores", {"status": "due"}, response=True)
    assert [item["chore"] for item in due["chores"]] == ["Dishes"]

    # The next completion rotates on from Leo.
    await call(hass, "complete_chore", {"chore": "Dishes"})
    attrs = attributes(hass, "sensor.dishes_next_due")
    assert attrs["last_completed_by"] == "Leo"
    assert attrs["assignee"] == "Mia"
    assert hass.states.get("sensor.leo_chores_due_today").state == "0"


async def test_calendar_lists_a_range(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await setup_household(
        hass,
        chore(
            "Bins",
            recurrence="weekly",
            weekdays=["mon"],
            start_date="2026-11-02",
            due_time="19:00:00",
            description="Paper",
        ),
        chore(
            "Sheets",
            recurrence="after_completion",
            interval=10,
            start_date="2026-11-25",
        ),
    )
    await call(hass, "complete_chore", {"chore": "Bins"})
    response = await hass.services.async_call(
        CALENDAR_DOMAIN,
        "get_events",
        {
            "start_date_time": "2026-11-16 00:00:00",
            "end_date_time": "2026-12-16 00:00:00",
        },
        target={"entity_id": CALENDAR},
        blocking=True,
        return_response=True,
    )
    events = [
        (event["summary"], event["start"], event.get("description"))
        for event in response[CALENDAR]["events"]
    ]
    assert events == [
        ("✓ Bins", local("2026-11-23 19:00").isoformat(), "Paper"),
        ("Sheets", "2026-11-25", None),
        ("Bins", local("2026-11-30 19:00").isoformat(), "Paper"),
        ("Sheets", "2026-12-05", None),
        ("Bins", local("2026-12-07 19:00").isoformat(), "Paper"),
        ("Bins", local("2026-12-14 19:00").isoformat(), "Paper"),
        ("Sheets", "2026-12-15", None),
    ]
    # The calendar's state follows the first pending occurrence.
    state = hass.states.get(CALENDAR)
    assert state.attributes["message"] == "Sheets"
    assert state.state == "off"
    await move_to(hass, freezer, local("2026-11-25 08:00"))
    assert hass.states.get(CALENDAR).state == "on"


async def test_catch_up_after_restart_while_overdue(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    overdue = async_capture_events(hass, "auto_home_chore_overdue")
    entry = await setup_household(hass, _daily("Dishes", due_time="20:00:00"))
    await call(hass, "complete_chore", {"chore": "Dishes"})
    assert attributes(hass, "sensor.dishes_next_due")["streak"] == 1

    # Home Assistant is down from the evening until the day after tomorrow.
    await move_to(hass, freezer, local("2026-11-23 21:00"))
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    freezer.move_to(local("2026-11-25 07:00"))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    attrs = attributes(hass, "sensor.dishes_next_due")
    assert attrs["status"] == "overdue"
    assert attrs["days_overdue"] == 1
    assert attrs["streak"] == 0
    assert attrs["assignee"] == "Leo"
    assert next_due(hass, "sensor.dishes_next_due") == local("2026-11-24 20:00")
    assert hass.states.get("binary_sensor.dishes_overdue").state == "on"
    assert len(overdue) == 1
    # Announced once: another restart does not fire it again.
    await reload(hass, entry)
    assert len(overdue) == 1
    assert hass.states.get("binary_sensor.dishes_overdue").state == "on"


async def test_bad_input_changes_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    events = async_capture_events(hass, "auto_home_chore_completed")
    entry = await setup_household(hass, _daily("Dishes"))
    before = attributes(hass, "sensor.dishes_next_due")

    cases: list[tuple[str, dict[str, Any], str, str]] = [
        (
            "complete_chore",
            {"chore": "Nope"},
            "unknown_chore",
            'called or identified by "Nope"',
        ),
        (
            "skip_chore",
            {"chore": "sensor.mia_chores_due_today"},
            "unknown_chore",
            "sensor.mia",
        ),
        (
            "complete_chore",
            {"chore": "Dishes", "completed_at": "2026-11-23 12:00:00"},
            "completed_in_future",
            "is in the future",
        ),
        (
            "complete_chore",
            {"chore": "Dishes", "member": "Ava"},
            "unknown_member",
            "Ava",
        ),
        (
            "snooze_chore",
            {"chore": "Dishes", "until": "2026-11-23 09:00:00"},
            "snooze_in_past",
            "not in the future",
        ),
        (
            "reassign_chore",
            {"chore": "Dishes", "member": "Dishes"},
            "unknown_member",
            "Dishes",
        ),
    ]
    for service, data, key, text in cases:
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, service, data)
        assert err.value.translation_key == key
        assert text in str(err.value)
    assert attributes(hass, "sensor.dishes_next_due") == before
    assert events == []
    await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["chores"][
        "chore_dishes"
    ]
    assert stored["history"] == []
    assert stored["snoozed_until"] is None


async def test_completed_at_in_the_past(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    overdue = async_capture_events(hass, "auto_home_chore_overdue")
    await setup_household(
        hass,
        chore("Dishes", recurrence="daily", start_date="2026-11-23"),
    )
    await move_to(hass, freezer, local("2026-11-26 10:00"))
    assert len(overdue) == 1
    # Done three days ago: the next occurrence is overdue again, and announced.
    await call(
        hass,
        "complete_chore",
        {"chore": "Dishes", "completed_at": "2026-11-23 21:00:00"},
    )
    assert next_due(hass, "sensor.dishes_next_due") == local("2026-11-24 00:00")
    assert attributes(hass, "sensor.dishes_next_due")["status"] == "overdue"
    assert len(overdue) == 2
    await call(hass, "skip_chore", {"chore": "Dishes"})
    assert next_due(hass, "sensor.dishes_next_due") == local("2026-11-26 00:00")
    await move_to(hass, freezer, local("2026-11-29 10:00"))
    # The day before yesterday was missed; it was done yesterday evening.
    await call(
        hass,
        "complete_chore",
        {"chore": "Dishes", "member": "Leo", "completed_at": "2026-11-28 21:00:00"},
    )
    attrs = attributes(hass, "sensor.dishes_next_due")
    assert attrs["last_completed"] == local("2026-11-28 21:00").isoformat()
    assert attrs["last_completed_by"] == "Leo"
    assert attrs["status"] == "due"
    assert next_due(hass, "sensor.dishes_next_due") == local("2026-11-29 00:00")


async def test_rule_change_replans_and_removal_drops_state(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass, _daily("Dishes"), _daily("Trash"))
    await call(hass, "complete_chore", {"chore": "Dishes"})
    subentry = entry.subentries["chore_dishes"]
    hass.config_entries.async_update_subentry(
        entry,
        subentry,
        data={**subentry.data, "recurrence": "weekly", "weekdays": ["fri"]},
    )
    await hass.async_block_till_done()
    attrs = attributes(hass, "sensor.dishes_next_due")
    assert next_due(hass, "sensor.dishes_next_due") == local("2026-11-27 00:00")
    # What was done stays done.
    assert attrs["completions"] == {"Mia": 1}
    assert attrs["status"] == "done"

    # Leo leaves the chore: Mia takes it over.
    subentry = entry.subentries["chore_dishes"]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "assignees": ["member_mia"]}
    )
    await hass.async_block_till_done()
    assert attributes(hass, "sensor.dishes_next_due")["assignee"] == "Mia"

    hass.config_entries.async_remove_subentry(entry, "chore_trash")
    await hass.async_block_till_done()
    assert hass.states.get("sensor.trash_next_due") is None
    await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["chores"]
    assert set(stored) == {"chore_dishes"}


async def test_removed_member_hands_over(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry: MockConfigEntry = await setup_household(hass, _daily("Dishes"))
    await call(hass, "reassign_chore", {"chore": "Dishes", "member": "Leo"})
    hass.config_entries.async_remove_subentry(entry, "member_leo")
    await hass.async_block_till_done()
    assert attributes(hass, "sensor.dishes_next_due")["assignee"] == "Mia"
