"""When Auto Home writes its files: sensor readings in batches, changes soon."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers.json import prepare_save_json
from homeassistant.util import dt as dt_util
from homeassistant.util.json import json_loads
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.auto_home.chore_reminders import (
    ACTION_DONE,
    ACTION_PREFIX,
    MOBILE_ACTION_EVENT,
)
from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.events import EVENT_CHORE_COMPLETED
from custom_components.auto_home.store import (
    READING_WRITE_INTERVAL,
    RETRY_FIRST,
    SAVE_DELAY,
    HouseholdStore,
)

from .conftest import chore, member

START = datetime.fromisoformat("2026-06-15T10:00:00+00:00")
THERMOMETER = "sensor.mia_thermometer"


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia has a thermometer that reports every minute; Leo has none."""
    return [
        member("Mia", temperature_source=THERMOMETER),
        member("Leo"),
        chore("Water plants"),
    ]


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float):
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


def _journal(hass: HomeAssistant, entry: MockConfigEntry, name: str) -> list[str]:
    path = Path(hass.config.path(".storage", f"{DOMAIN}.{entry.entry_id}.{name}.log"))
    return path.read_text().splitlines() if path.exists() else []


def _thermometer(hass: HomeAssistant, minute: int) -> None:
    hass.states.async_set(
        THERMOMETER, f"{36.5 + minute % 5 / 10:.1f}", {"unit_of_measurement": "°C"}
    )


async def test_sensor_readings_are_written_in_batches(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A thermometer every minute: its first reading is written within
    a second, the rest once per READING_WRITE_INTERVAL, each batch appending
    only the new readings; the household's chores are never rewritten for it."""
    freezer.move_to(START)
    entry = await setup_entry()
    await _tick(hass, freezer, SAVE_DELAY + 1)
    household = f"{DOMAIN}.{entry.entry_id}"
    temperature = f"{household}.temperature"
    hass_storage.pop(household)
    month = "temperature.member_mia.2026-06"

    _thermometer(hass, 0)
    await _tick(hass, freezer, 1)
    assert len(_journal(hass, entry, month)) == 1
    assert hass_storage.pop(temperature)["data"]["member_mia"]["readings"] == 1

    minutes = READING_WRITE_INTERVAL // 60
    for minute in range(1, minutes + 1):
        await _tick(hass, freezer, 59 if minute == 1 else 60)
        _thermometer(hass, minute)
        await hass.async_block_till_done()
        if minute < minutes - 1:
            assert temperature not in hass_storage, minute
            assert len(_journal(hass, entry, month)) == 1
    await _tick(hass, freezer, 60)
    # One batch: every reading since the first, appended once.
    assert len(_journal(hass, entry, month)) == minutes + 1
    assert hass_storage[temperature]["data"]["member_mia"]["readings"] == minutes + 1
    assert household not in hass_storage

    # A chore done meanwhile writes the household store alone, within a second.
    _thermometer(hass, 1)
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Water plants"}, blocking=True
    )
    await _tick(hass, freezer, 1)
    assert hass_storage[household]["data"]["chores"]["chore_water_plants"]
    assert len(_journal(hass, entry, month)) == minutes + 1


async def test_a_persons_reading_is_written_within_a_second(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Readings a person records are written within a second, as the README
    promises, not held back by a sensor's batch."""
    freezer.move_to(START)
    entry = await setup_entry()
    temperature = f"{DOMAIN}.{entry.entry_id}.temperature"
    _thermometer(hass, 0)
    await _tick(hass, freezer, SAVE_DELAY + 1)
    _thermometer(hass, 1)
    await _tick(hass, freezer, 60)
    for value in (37.9, 38.4):
        await hass.services.async_call(
            DOMAIN,
            "record_temperature",
            {"member": "Leo", "temperature": value},
            blocking=True,
        )
        await _tick(hass, freezer, 1)
        stored = hass_storage[temperature]["data"]
        assert stored["member_leo"]["latest"]["value_c"] == value
    assert len(_journal(hass, entry, "temperature.member_leo.2026-06")) == 2
    # Mia's pending sensor reading went along with Leo's write.
    assert len(_journal(hass, entry, "temperature.member_mia.2026-06")) == 2


async def test_stopping_writes_what_is_pending(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Home Assistant's final write takes the batch that is not yet due."""
    freezer.move_to(START)
    entry = await setup_entry()
    for minute in range(5):
        _thermometer(hass, minute)
        await _tick(hass, freezer, 60)
    assert len(_journal(hass, entry, "temperature.member_mia.2026-06")) == 1
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert len(_journal(hass, entry, "temperature.member_mia.2026-06")) == 5
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}.temperature"]["data"]
    assert stored["member_mia"]["readings"] == 5


async def test_household_store_of_earlier_versions_is_split(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    config_entry: MockConfigEntry,
) -> None:
    """Health state an earlier version kept in the household store moves to
    the features' own files; nothing is lost and chores stay where they were."""
    household = f"{DOMAIN}.{config_entry.entry_id}"
    latest = {"measured_at": "2026-06-15T08:00:00+00:00", "value_c": 37.6}
    latest |= {"site": "oral", "source": None}
    weight = {
        "members": {},
        "unassigned": {
            "ab12cd34": ["2026-06-15T07:00:00+00:00", 71.5, False, "sensor.scale"]
        },
    }
    hass_storage[household] = {
        "version": 1,
        "minor_version": 1,
        "key": household,
        "data": {
            "temperature": {"member_mia": {"latest": latest, "readings": 7}},
            "weight": weight,
            "chores": {},
        },
    }
    entry = await setup_entry()
    assert hass.states.get("sensor.mia_body_temperature").state == "37.6"
    assert (
        hass_storage[f"{household}.temperature"]["data"]["member_mia"]["readings"] == 7
    )
    assert hass_storage[f"{household}.weight"]["data"] == weight
    await hass.config_entries.async_unload(entry.entry_id)
    assert set(hass_storage[household]["data"]) == {
        "away",
        "chores",
        "doses",
        "reminders",
    }
    assert (
        hass_storage[f"{household}.temperature"]["data"]["member_mia"]["readings"] == 7
    )


async def test_a_failed_write_is_tried_again(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A full disk loses nothing: the readings are written on a later try."""
    freezer.move_to(START)
    entry = await setup_entry()
    _thermometer(hass, 0)
    with patch(
        "custom_components.auto_home.history.os.write",
        side_effect=OSError("No space left on device"),
    ):
        await _tick(hass, freezer, SAVE_DELAY + 1)
    assert "Could not write" in caplog.text
    assert _journal(hass, entry, "temperature.member_mia.2026-06") == []
    await _tick(hass, freezer, RETRY_FIRST)
    assert len(_journal(hass, entry, "temperature.member_mia.2026-06")) == 1


async def test_unloading_without_changes_writes_nothing(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reload (every member or chore edit) rewrites no store that is saved."""
    freezer.move_to(START)
    entry = await setup_entry()
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Leo", "temperature": 36.9},
        blocking=True,
    )
    await _tick(hass, freezer, SAVE_DELAY + 1)
    keys = [f"{DOMAIN}.{entry.entry_id}", f"{DOMAIN}.{entry.entry_id}.temperature"]
    saved = {key: hass_storage[key] for key in keys}
    await hass.config_entries.async_unload(entry.entry_id)
    assert all(hass_storage[key] is saved[key] for key in keys)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.leo_body_temperature").state == "36.9"


async def test_a_write_due_while_stopping_is_left_to_the_final_write(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """As Home Assistant's Store does: nothing is written between stop and
    the final write, and the final write takes what was due meanwhile."""
    freezer.move_to(START)
    entry = await setup_entry()
    await _tick(hass, freezer, SAVE_DELAY + 1)
    key = f"{DOMAIN}.{entry.entry_id}.temperature"
    hass_storage.pop(key)
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Leo", "temperature": 36.9},
        blocking=True,
    )
    hass.set_state(CoreState.stopping)
    await _tick(hass, freezer, SAVE_DELAY + 1)
    assert key not in hass_storage
    hass.set_state(CoreState.final_write)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert hass_storage[key]["data"]["member_leo"]["readings"] == 1
    hass.set_state(CoreState.running)


async def test_fever_event_writes_the_temperature_store_once(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A fever's start is written before it is announced; no second write of
    the same state follows."""
    freezer.move_to(START)
    entry = await setup_entry()
    key = f"{DOMAIN}.{entry.entry_id}.temperature"
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Leo", "temperature": 38.6},
        blocking=True,
    )
    written = hass_storage[key]
    assert written["data"]["member_leo"]["tracker"]["episode"] is not None
    await _tick(hass, freezer, SAVE_DELAY + 1)
    assert hass_storage[key] is written


async def test_a_writer_unloaded_never_writes_again(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """After its unload a coordinator's writers write nothing: the files are
    the next coordinator's."""
    freezer.move_to(START)
    entry = await setup_entry()
    coordinator = entry.runtime_data
    await hass.config_entries.async_unload(entry.entry_id)
    hass_storage.clear()
    coordinator.async_changed(store="temperature")
    await coordinator.async_write_now()
    await _tick(hass, freezer, SAVE_DELAY + 1)
    assert not [key for key in hass_storage if key.startswith(DOMAIN)]


async def test_a_phone_action_while_the_writers_close_is_not_half_done(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reload stops the phone buttons before it closes the writers: a "Done"
    tapped while they close is either stored or not done at all, never done in
    memory (its event fired) and then lost with the reload."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    coordinator = entry.runtime_data
    completed = async_capture_events(hass, EVENT_CHORE_COMPLETED)
    before = coordinator.chores.chores["chore_water_plants"].state.streak
    weight = coordinator.writers["weight"]
    close = weight.async_close

    async def tapped_while_closing() -> None:
        # The household's writer is closed; this one is the last to close.
        hass.bus.async_fire(
            MOBILE_ACTION_EVENT,
            {"action": f"{ACTION_PREFIX}{ACTION_DONE}_chore_water_plants"},
        )
        await hass.async_block_till_done()
        await close()

    with patch.object(weight, "async_close", tapped_while_closing):
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    after = entry.runtime_data.chores.chores["chore_water_plants"].state.streak
    assert len(completed) == after - before
    # The same tap once loaded completes the chore: the window's was real.
    hass.bus.async_fire(
        MOBILE_ACTION_EVENT,
        {"action": f"{ACTION_PREFIX}{ACTION_DONE}_chore_water_plants"},
    )
    await hass.async_block_till_done()
    assert len(completed) == 1


@pytest.mark.parametrize(
    "subentries",
    [[member("Mia"), member("Leo"), chore("Water plants"), chore("Bins")]],
)
async def test_the_household_file_is_what_store_writes_for_the_plain_data(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Chores written from their kept JSON make the same bytes, write after write."""
    freezer.move_to(START)
    await setup_entry()
    written: list[dict[str, Any]] = []
    write = HouseholdStore._async_write_data

    async def _capture(store: HouseholdStore, data: dict[str, Any]) -> None:
        written.append(data)
        await write(store, data)

    with patch.object(HouseholdStore, "_async_write_data", _capture):
        # The second write keeps the first chore's part.
        for name in ("Water plants", "Bins"):
            await hass.services.async_call(
                DOMAIN, "complete_chore", {"chore": name}, blocking=True
            )
            await _tick(hass, freezer, SAVE_DELAY + 1)
    assert len(written) == 2
    for data in written:
        _, raw = prepare_save_json(data)
        # The same data as plain values, as Store would write them.
        _, plain = prepare_save_json(json_loads(raw))
        assert raw == plain
    assert json_loads(raw)["data"]["chores"]["chore_bins"]["history"]
