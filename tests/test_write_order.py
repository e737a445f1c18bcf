"""The state is never saved ahead of the journals it counts."""

import copy
from datetime import datetime, timedelta
from functools import partial
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


async def _start_with_mias_journal_unwritable(
    setup_entry: Any, freezer: FrozenDateTimeFactory, kind: str
) -> tuple[MockConfigEntry, Path]:
    """Start, then put a folder where Mia's `kind` journal of June goes."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    name = f"{DOMAIN}.{entry.entry_id}.{kind}.member_mia.2026-06.log"
    hass = entry.runtime_data.hass
    journal = Path(hass.config.path(STORAGE_DIR, name))
    await hass.async_add_executor_job(partial(journal.mkdir, parents=True))
    return entry, journal


async def _kill_and_start(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    journal: Path,
) -> None:
    """Kill now (the files as they are, no final write), then start again
    with the journal writable."""
    at_kill = copy.deepcopy(hass_storage)
    await async_wait_recording_done(hass)
    await hass.config_entries.async_unload(entry.entry_id)
    hass_storage.clear()
    hass_storage.update(at_kill)
    shutil.rmtree(journal)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


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
    entry, journal = await _start_with_mias_journal_unwritable(
        setup_entry, freezer, "temperature"
    )
    key = f"{DOMAIN}.{entry.entry_id}.temperature"
    storage = journal.parent
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
    await _kill_and_start(hass, entry, hass_storage, journal)
    mia = entry.runtime_data.temperature.members["member_mia"]
    assert (await mia.history.async_month("2026-06")).values == [38.2]
    assert hass.states.get("sensor.mia_body_temperature").state == "38.2"
    await async_wait_recording_done(hass)
    await hass.config_entries.async_unload(entry.entry_id)


LEO_THERMOMETER = "sensor.leo_thermometer"


@pytest.mark.usefixtures("recorder_mock")
@pytest.mark.parametrize(
    "subentries",
    [
        [
            member("Mia", temperature_source=THERMOMETER),
            member("Leo", temperature_source=LEO_THERMOMETER),
        ]
    ],
)
async def test_one_unwritable_journal_does_not_double_another_members_reading(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Mia's journal cannot be written: Leo's state is saved all the same,
    so after a kill his catch-up point is past his reading and the catch-up
    does not take it a second time. Mia's state stays behind her reading."""
    entry, journal = await _start_with_mias_journal_unwritable(
        setup_entry, freezer, "temperature"
    )
    key = f"{DOMAIN}.{entry.entry_id}.temperature"
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(THERMOMETER, "38.2", ATTRS)
    hass.states.async_set(LEO_THERMOMETER, "37.1", ATTRS)
    await hass.async_block_till_done()
    for _ in range(30):
        await _tick(hass, freezer, 60)
    stored = hass_storage[key]["data"]
    assert stored["member_leo"]["readings"] == 1
    assert stored["member_leo"]["latest"]["value_c"] == 37.1
    assert stored.get("member_mia", {}).get("readings", 0) == 0
    await _kill_and_start(hass, entry, hass_storage, journal)
    await _tick(hass, freezer, SAVE_DELAY + 1)
    members = entry.runtime_data.temperature.members
    leo = await members["member_leo"].history.async_month("2026-06")
    assert leo.values == [37.1]
    assert members["member_leo"].readings == 1
    mia = await members["member_mia"].history.async_month("2026-06")
    assert mia.values == [38.2]
    await async_wait_recording_done(hass)
    await hass.config_entries.async_unload(entry.entry_id)


@pytest.mark.parametrize("subentries", [[member("Mia"), member("Leo")]])
async def test_one_unwritable_weight_journal_holds_back_only_that_member(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The weight store keeps Mia's section as last saved while her month
    cannot be written, and saves Leo's; once it can, hers follows."""
    entry, journal = await _start_with_mias_journal_unwritable(
        setup_entry, freezer, "weight"
    )
    key = f"{DOMAIN}.{entry.entry_id}.weight"
    for name, weight in (("Mia", 61.3), ("Leo", 72.4)):
        await hass.services.async_call(
            DOMAIN,
            "record_weight",
            {"member": name, "weight": weight},
            blocking=True,
        )
    await _tick(hass, freezer, SAVE_DELAY + 1)
    members = hass_storage[key]["data"]["members"]
    assert members["member_leo"]["readings"] == 1
    assert members.get("member_mia", {}).get("readings", 0) == 0
    journal.rmdir()
    await _tick(hass, freezer, RETRY_FIRST)
    members = hass_storage[key]["data"]["members"]
    assert members["member_mia"]["readings"] == members["member_leo"]["readings"] == 1
