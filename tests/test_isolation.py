"""Extreme dates, transactional changes and per-item isolation of stored state."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import call, local, reload, setup_household
from .conftest import chore, member

NEXT_DUE = "sensor.water_plants_next_due"


def _plants() -> Any:
    return chore(
        "Water plants",
        recurrence="daily",
        start_date="2026-11-23",
        assignees=["member_mia", "member_leo"],
    )


async def test_snooze_until_year_9999_then_complete_and_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass, _plants())

    await call(
        hass,
        "snooze_chore",
        {"chore": "Water plants", "until": "9999-12-31 23:59:00"},
    )
    assert hass.states.get(NEXT_DUE).state != STATE_UNAVAILABLE
    result = await call(
        hass, "complete_chore", {"chore": "Water plants"}, response=True
    )
    assert result["counted"] is True
    assert result["snoozed_until"] is None
    await reload(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(NEXT_DUE).state == "2026-11-23T23:00:00+00:00"


async def test_stored_dates_at_the_end_of_time_load(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        subentries_data=[member("Mia"), member("Leo"), _plants()],
    )
    rule = {
        "kind": "daily",
        "start": "2026-11-23",
        "interval": 1,
        "weekdays": [],
        "month_day": None,
        "week_of_month": None,
        "weekday": None,
        "due_time": None,
    }
    hass_storage[f"{DOMAIN}.{entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{entry.entry_id}",
        "data": {
            "chores": {
                "chore_water_plants": {
                    "day": "9999-12-31",
                    "rule": rule,
                    "assignees": ["member_mia", "member_leo"],
                    "assignee": "member_mia",
                    "snoozed_until": "9999-12-31T23:59:59.999999+00:00",
                    "last_completed": None,
                    "last_completed_by": None,
                    "last_action": "completed",
                    "streak": 3,
                    "counts": {},
                    "last_done": {},
                    "history": [],
                    "announced": "done",
                }
            }
        },
    }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(NEXT_DUE).state != STATE_UNAVAILABLE
    result = await call(
        hass, "complete_chore", {"chore": "Water plants"}, response=True
    )
    assert result["counted"] is False
    await call(hass, "skip_chore", {"chore": "Water plants"})
    await reload(hass, entry)
    assert entry.state is ConfigEntryState.LOADED
