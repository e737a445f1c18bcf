"""Set-up, unload, reload, removal and persistence of the household."""

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.store import STORAGE_VERSION


async def test_setup_unload_reload(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    assert loaded_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.mia_body_temperature") is not None
    assert hass.states.get("sensor.water_plants_next_due") is not None
    listeners_loaded = hass.bus.async_listeners()

    assert await hass.config_entries.async_unload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("sensor.mia_body_temperature").state == "unavailable"

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert loaded_entry.state is ConfigEntryState.LOADED
    # A reload leaves exactly the listeners a first set-up leaves.
    assert hass.bus.async_listeners() == listeners_loaded


async def test_store_round_trips_across_reload(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    coordinator = loaded_entry.runtime_data
    coordinator.data["members"]["member_mia"]["temperature"] = {"latest": 37.2}
    coordinator.async_changed("member_mia")
    assert hass.states.get("sensor.mia_body_temperature").state == "37.2"

    assert await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    stored = hass_storage[f"{DOMAIN}.{loaded_entry.entry_id}"]
    assert stored["version"] == STORAGE_VERSION
    assert stored["data"]["members"]["member_mia"] == {"temperature": {"latest": 37.2}}
    assert hass.states.get("sensor.mia_body_temperature").state == "37.2"


async def test_store_migrates_older_layout(
    hass: HomeAssistant, config_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    hass_storage[f"{DOMAIN}.{config_entry.entry_id}"] = {
        "version": 1,
        "minor_version": 0,
        "key": f"{DOMAIN}.{config_entry.entry_id}",
        "data": {"members": {"member_mia": {"temperature": {"latest": 38.1}}}},
    }
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.mia_body_temperature").state == "38.1"
    assert config_entry.runtime_data.data["chores"] == {"chore_water_plants": {}}


async def test_removing_member_removes_device_and_state(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_storage: dict[str, Any],
) -> None:
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, "member_leo"), loaded_entry.entry_id
        )
        is not None
    )
    hass.config_entries.async_remove_subentry(loaded_entry, "member_leo")
    await hass.async_block_till_done()
    assert (
        device_registry.async_get_device_by_identifier(
            (DOMAIN, "member_leo"), loaded_entry.entry_id
        )
        is None
    )
    assert hass.states.get("sensor.leo_body_temperature") is None
    assert "member_leo" not in loaded_entry.runtime_data.data["members"]


async def test_remove_entry_deletes_store(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    loaded_entry.runtime_data.async_changed()
    await hass.config_entries.async_unload(loaded_entry.entry_id)
    key = f"{DOMAIN}.{loaded_entry.entry_id}"
    assert key in hass_storage
    await hass.config_entries.async_remove(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage
