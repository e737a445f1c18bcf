"""The state is never saved ahead of the journals it counts."""

import copy
from datetime import datetime, timedelta
from pathlib import Path
import shutil
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import STORAGE_DIR
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.store import RETRY_FIRST, SAVE_DELAY

from .conftest import member

START = datetime.fromisoformat("2026-06-15T10:00:00+00:00")
THERMOMETER = "sensor.mia_thermometer"
ATTRS = {"unit_of_measurement": "°C", "device_class": "temperature"}


@pytest.fixture
def mock_recorder_before_hass(async_test_recorder: Any) -> None:
    """Prepare the recorder's database before hass starts, as the harness needs."""


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia has a thermometer; Leo has none."""
    return [member("Mia", temperature_source=THERMOMETER), member("Leo")]


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float):
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


@pytest.mark.usefixtures("recorder_mock")
async def test_a_reading_whose_journal_failed_survives_a_kill(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Mia's journal cannot be written: her state is not saved either, so
    after a kill the catch-up point is still before her reading, and the
    recorder gives it back. Leo's journal is written meanwhile."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    key = f"{DOMAIN}.{entry.entry_id}.temperature"
    storage = Path(hass.config.path(STORAGE_DIR))
    journal = storage / f"{DOMAIN}.{entry.entry_id}.temperature.member_mia.2026-06.log"
    journal.mkdir(parents=True)
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(THERMOMETER, "38.2", ATTRS)
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Leo", "temperature": 36.9},
        blocking=True,
    )
    await _tick(hass, freezer, SAVE_DELAY + 1)
    await _tick(hass, freezer, RETRY_FIRST)
    leo = storage / f"{DOMAIN}.{entry.entry_id}.temperature.member_leo.2026-06.log"
    assert leo.read_text().count("36.9") == 1
    assert hass_storage[key]["data"]["member_mia"].get("readings", 0) == 0
    # Killed now: the files as they are, no final write.
    at_kill = copy.deepcopy(hass_storage)
    await async_wait_recording_done(hass)
    await hass.config_entries.async_unload(entry.entry_id)
    hass_storage.clear()
    hass_storage.update(at_kill)
    shutil.rmtree(journal)

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    mia = entry.runtime_data.temperature.members["member_mia"]
    assert (await mia.history.async_month("2026-06")).values == [38.2]
    assert hass.states.get("sensor.mia_body_temperature").state == "38.2"
    await async_wait_recording_done(hass)
    await hass.config_entries.async_unload(entry.entry_id)
