"""Readings Auto Home did not store are taken back from the recorder."""

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.auto_home.const import DOMAIN

from .conftest import member

START = datetime.fromisoformat("2026-06-15T10:00:00+00:00")
THERMOMETER = "sensor.mia_thermometer"
SCALE = "sensor.scale"


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: Any) -> None:
    """Prepare the recorder's database before hass starts, as the harness needs."""


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia has a thermometer and a scale of her own."""
    return [member("Mia", temperature_source=THERMOMETER, weight_source=SCALE)]


async def _report(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_id: str,
    value: str,
    unit: str,
) -> None:
    freezer.tick(timedelta(minutes=5))
    hass.states.async_set(entity_id, value, {"unit_of_measurement": unit})
    await hass.async_block_till_done()


async def test_readings_reported_while_unloaded_are_caught_up(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """While the household was unloaded (or its last batch lost to a power
    cut) the thermometer and scale went on reporting; the recorder has it all,
    and the next start takes what came after the last stored reading."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    await _report(hass, freezer, THERMOMETER, "36.8", "°C")
    await _report(hass, freezer, SCALE, "70.2", "kg")
    await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.temperature"]["data"]
    assert stored["member_mia"]["readings"] == 1

    await _report(hass, freezer, THERMOMETER, "37.4", "°C")
    await _report(hass, freezer, THERMOMETER, "unavailable", "°C")
    await _report(hass, freezer, THERMOMETER, "38.6", "°C")
    fever_at = hass.states.get(THERMOMETER).last_updated
    await _report(hass, freezer, SCALE, "70.6", "kg")
    await async_wait_recording_done(hass)
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)

    freezer.tick(timedelta(minutes=5))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)

    assert hass.states.get("sensor.mia_body_temperature").state == "38.6"
    # The caught-up 37.4 was recorded but never shown: one write, the newest.
    shown = [
        event.data["new_state"].state
        for event in changes
        if event.data["entity_id"] == "sensor.mia_body_temperature"
        and event.data["new_state"] is not None
    ]
    assert "37.4" not in shown
    assert shown[-1] == "38.6"
    assert len(started) == 1
    assert started[0].data["started_at"] == fever_at.isoformat()
    assert hass.states.get("sensor.mia_weight").state == "70.6"
    await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.temperature"]["data"]
    assert stored["member_mia"]["readings"] == 3
    assert stored["member_mia"]["source_at"] == fever_at.isoformat()
    weight = hass_storage[f"{DOMAIN}.{entry.entry_id}.weight"]["data"]
    assert weight["members"]["member_mia"]["readings"] == 2

    # Nothing is taken twice.
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.temperature"]["data"]
    assert stored["member_mia"]["readings"] == 3
    assert len(started) == 1


async def test_days_of_readings_are_caught_up_in_order(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """More readings than one chunk: all are taken, oldest first, and the
    sensor shows the newest."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    await _report(hass, freezer, THERMOMETER, "36.5", "°C")
    await hass.config_entries.async_unload(entry.entry_id)
    for minute in range(250):
        await _report(
            hass, freezer, THERMOMETER, f"{36.0 + minute % 10 / 10:.1f}", "°C"
        )
    await async_wait_recording_done(hass)
    freezer.tick(timedelta(minutes=1))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert hass.states.get("sensor.mia_body_temperature").state == "36.9"
    await hass.config_entries.async_unload(entry.entry_id)
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.temperature"]["data"]
    assert stored["member_mia"]["readings"] == 251
