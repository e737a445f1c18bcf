"""Set-up, unload, reload, removal and persistence of the household."""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.store import STORAGE_VERSION


async def _record(hass: HomeAssistant, member: str, value: float) -> None:
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": member, "temperature": value},
        blocking=True,
    )


def _listeners(hass: HomeAssistant) -> dict[str, int]:
    """Return the bus listeners an entry leaves, without the stores' own.

    A Store listens for the final write only while a delayed save is pending
    (any store in hass, not only ours), so that count depends on timing.
    """
    listeners = hass.bus.async_listeners()
    listeners.pop(EVENT_HOMEASSISTANT_FINAL_WRITE, None)
    return listeners


async def test_setup_unload_reload(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.mia_body_temperature") is not None
    listeners_loaded = _listeners(hass)

    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("sensor.mia_body_temperature").state == "unavailable"

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    # A reload leaves exactly the listeners a first set-up leaves.
    assert _listeners(hass) == listeners_loaded


async def test_store_round_trips_across_reload(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await _record(hass, "Mia", 37.2)
    assert hass.states.get("sensor.mia_body_temperature").state == "37.2"

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert hass_storage[f"{DOMAIN}.{loaded_entry.entry_id}"]["version"] == (
        STORAGE_VERSION
    )
    stored = hass_storage[f"{DOMAIN}.{loaded_entry.entry_id}.temperature"]
    assert stored["data"]["member_mia"]["latest"]["value_c"] == 37.2
    assert hass.states.get("sensor.mia_body_temperature").state == "37.2"


async def test_removing_member_removes_device_and_state(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_storage: dict[str, Any],
) -> None:
    await _record(hass, "Leo", 36.9)
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, "member_leo"), loaded_entry.entry_id
    )
    assert device is not None
    hass.config_entries.async_remove_subentry(loaded_entry, "member_leo")
    await hass.async_block_till_done()
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, "member_leo"), loaded_entry.entry_id
        )
        is None
    )
    assert hass.states.get("sensor.leo_body_temperature") is None
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{loaded_entry.entry_id}.temperature"]["data"]
    assert "member_leo" not in stored
    assert "member_mia" in stored


async def test_remove_entry_deletes_store(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    await _record(hass, "Mia", 37.0)
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    key = f"{DOMAIN}.{loaded_entry.entry_id}"
    assert key in hass_storage
    await hass.config_entries.async_remove(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


async def test_members_removed_one_after_the_other(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """The reload of the first removal starts while the second one lands.

    Leo's fever episode ends at that start: the event about a member who is
    gone by then is dropped, and the household loads.
    """
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    await _record(hass, "Leo", 38.9)
    # Past the episode's quiet period, with no timer run in between.
    freezer.tick(timedelta(hours=25))
    states: list[ConfigEntryState] = []
    loaded_entry.async_on_state_change(lambda: states.append(loaded_entry.state))
    hass.config_entries.async_remove_subentry(loaded_entry, "member_mia")
    hass.config_entries.async_remove_subentry(loaded_entry, "member_leo")
    await hass.async_block_till_done()
    assert ConfigEntryState.SETUP_ERROR not in states
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert ended == []
    assert hass.states.get("sensor.leo_body_temperature") is None
    assert hass.states.get("todo.chores").state == "1"
