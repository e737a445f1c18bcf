"""Readings Auto Home did not store are taken back from the recorder; restarts
and power cuts add no phantom, lost or repeated reading or alert."""

import asyncio
import copy
from datetime import datetime, timedelta
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.recorder import Recorder
from homeassistant.components.recorder.db_schema import RecorderRuns
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.const import ATTR_RESTORED, EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, ServiceCall
from homeassistant.helpers.recorder import session_scope
from homeassistant.helpers.storage import STORAGE_DIR
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
    mock_restore_cache,
)
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.store import FeatureStore

from .conftest import member

START = datetime.fromisoformat("2026-06-15T10:00:00+00:00")
THERMOMETER = "sensor.mia_thermometer"
SCALE = "sensor.scale"
ATTRS = {"unit_of_measurement": "°C", "device_class": "temperature"}
FEVER = "binary_sensor.mia_fever"
TEMP = "sensor.mia_body_temperature"
FAMILY_PHONE = {"household_targets": ["notify.mobile_app_family"]}


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


@pytest.fixture
def phone(hass: HomeAssistant) -> list[ServiceCall]:
    """The family's phone, a legacy notify service."""
    return async_mock_service(hass, "notify", "mobile_app_family")


def _stored(hass_storage: dict[str, Any], entry: MockConfigEntry) -> dict[str, Any]:
    return hass_storage[f"{DOMAIN}.{entry.entry_id}.temperature"]["data"]["member_mia"]


async def _start(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)


async def _cut(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any], at: Any
) -> None:
    """Stop as a power cut would: what was on disk at `at` is all that is left."""
    await async_wait_recording_done(hass)
    await hass.config_entries.async_unload(entry.entry_id)
    hass_storage.clear()
    hass_storage.update(at["storage"])
    storage = Path(hass.config.path(STORAGE_DIR))

    def _restore_journals() -> None:
        for path in storage.glob(f"{DOMAIN}.*.log"):
            path.unlink()
        for name, content in at["journals"].items():
            (storage / name).write_bytes(content)

    await hass.async_add_executor_job(_restore_journals)


async def _on_disk(hass: HomeAssistant) -> dict[str, Any]:
    storage = Path(hass.config.path(STORAGE_DIR))

    def _journals() -> dict[str, bytes]:
        return {
            path.name: path.read_bytes() for path in storage.glob(f"{DOMAIN}.*.log")
        }

    return {"journals": await hass.async_add_executor_job(_journals)}


def _restart_thermometer(hass: HomeAssistant, value: str) -> None:
    """Restart the thermometer's integration: the placeholder Home Assistant
    shows until it is set up, then the value it restored, written anew."""
    hass.states.async_set(THERMOMETER, STATE_UNAVAILABLE, {ATTR_RESTORED: True})
    hass.states.async_set(THERMOMETER, value, ATTRS)


async def test_restarts_with_a_restored_thermometer_add_no_readings(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """One fever reading and three restarts, the thermometer restoring its
    38.9 °C each time (before Auto Home starts, after it, or with the old
    time): still one reading, and the episode ends 24 h after it."""
    run_start = recorder_mock.recorder_runs_manager.recording_start
    # The previous run, before this one's recorder started.
    freezer.move_to(run_start - timedelta(hours=10))
    entry: MockConfigEntry = await setup_entry()
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(THERMOMETER, "38.9", ATTRS)
    await hass.async_block_till_done()
    fever_at = hass.states.get(THERMOMETER).last_updated
    assert hass.states.get(FEVER).state == "on"
    hass.states.async_set(SCALE, "70.2", {"unit_of_measurement": "kg"})
    await hass.async_block_till_done()
    await hass.config_entries.async_unload(entry.entry_id)
    mock_restore_cache(hass, [hass.states.get(THERMOMETER), hass.states.get(SCALE)])

    # This run: restored before Auto Home starts, the catch-up finds it.
    freezer.move_to(run_start + timedelta(minutes=1))
    _restart_thermometer(hass, "38.9")
    hass.states.async_set(SCALE, STATE_UNAVAILABLE, {ATTR_RESTORED: True})
    hass.states.async_set(SCALE, "70.2", {"unit_of_measurement": "kg"})
    freezer.tick(timedelta(seconds=5))
    await _start(hass, entry)
    assert entry.runtime_data.weight.members["member_mia"].readings == 1
    assert (
        entry.runtime_data.weight.scale_at[SCALE] == hass.states.get(SCALE).last_updated
    )
    # Restored after Auto Home started: the live listener sees it.
    freezer.tick(timedelta(hours=6))
    await hass.config_entries.async_unload(entry.entry_id)
    await _start(hass, entry)
    freezer.tick(timedelta(minutes=1))
    _restart_thermometer(hass, "38.9")
    await hass.async_block_till_done()
    # Written at start with its old time.
    freezer.tick(timedelta(hours=6))
    await hass.config_entries.async_unload(entry.entry_id)
    await _start(hass, entry)
    hass.states.async_set(
        THERMOMETER,
        "38.8",
        ATTRS,
        timestamp=(fever_at - timedelta(minutes=1)).timestamp(),
    )
    await hass.async_block_till_done()
    # And once more: what was found to be no reading is not looked at again.
    await hass.config_entries.async_unload(entry.entry_id)
    await _start(hass, entry)

    members = entry.runtime_data.temperature.members
    assert members["member_mia"].readings == 1
    episode = members["member_mia"].tracker.episode
    assert episode is not None
    assert (episode.readings, episode.last_fever_at) == (1, fever_at)
    assert hass.states.get(TEMP).state == "38.9"
    freezer.move_to(fever_at + timedelta(hours=24, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(FEVER).state == "off"
    assert len(started) == len(ended) == 1

    # A real measurement after a restart is a reading, even of the same value.
    freezer.tick(timedelta(hours=1))
    hass.states.async_set(THERMOMETER, STATE_UNAVAILABLE, ATTRS)
    hass.states.async_set(THERMOMETER, "38.9", ATTRS)
    await hass.async_block_till_done()
    assert members["member_mia"].readings == 2
    await hass.config_entries.async_unload(entry.entry_id)
    assert _stored(hass_storage, entry)["readings"] == 2


async def test_stale_restored_value_after_a_kill_is_no_reading(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Killed after 37.1 then 37.4 °C, with the restore cache still at 37.1:
    the thermometer restores 37.1 as this run starts; the latest stays 37.4."""
    run_start = recorder_mock.recorder_runs_manager.recording_start
    # The previous run, before this one's recorder started.
    freezer.move_to(run_start - timedelta(hours=3))
    entry: MockConfigEntry = await setup_entry()
    freezer.tick(timedelta(minutes=5))
    hass.states.async_set(THERMOMETER, "37.1", ATTRS)
    await hass.async_block_till_done()
    mock_restore_cache(hass, [hass.states.get(THERMOMETER)])
    at_kill = {"storage": copy.deepcopy(hass_storage), **await _on_disk(hass)}
    freezer.tick(timedelta(minutes=5))
    hass.states.async_set(THERMOMETER, "37.4", ATTRS)
    await hass.async_block_till_done()
    await _cut(hass, entry, hass_storage, at_kill)

    # This run: the thermometer comes back with the stale value.
    freezer.move_to(run_start + timedelta(seconds=1))
    hass.states.async_set(THERMOMETER, "37.1", ATTRS)
    await async_wait_recording_done(hass)
    freezer.tick(timedelta(seconds=1))
    await _start(hass, entry)
    assert hass.states.get(TEMP).state == "37.4"
    members = entry.runtime_data.temperature.members
    assert members["member_mia"].readings == 2

    # The same when the live listener sees the entity come back.
    await hass.config_entries.async_unload(entry.entry_id)
    await _start(hass, entry)
    hass.states.async_remove(THERMOMETER)
    freezer.tick(timedelta(seconds=1))
    hass.states.async_set(THERMOMETER, "37.1", ATTRS)
    await hass.async_block_till_done()
    assert hass.states.get(TEMP).state == "37.4"
    assert members["member_mia"].readings == 2


async def test_fresh_link_is_caught_up_after_a_cut(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A thermometer and a scale linked a minute ago report 30 readings each;
    power is cut before the batch is written. All are taken back."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    at_cut = {"storage": copy.deepcopy(hass_storage), **await _on_disk(hass)}
    assert _stored(hass_storage, entry)["source_at"] == START.isoformat()
    for minute in range(30):
        freezer.tick(timedelta(minutes=1))
        hass.states.async_set(THERMOMETER, f"{36.0 + minute / 100:.2f}", ATTRS)
        hass.states.async_set(
            SCALE, f"{70.0 + minute / 10:.1f}", {"unit_of_measurement": "kg"}
        )
        await hass.async_block_till_done()
    await _cut(hass, entry, hass_storage, at_cut)
    freezer.tick(timedelta(minutes=1))
    await _start(hass, entry)
    assert entry.runtime_data.temperature.members["member_mia"].readings == 30
    assert entry.runtime_data.weight.members["member_mia"].readings == 30
    assert hass.states.get(TEMP).state == "36.29"


@pytest.mark.usefixtures("recorder_mock")
@pytest.mark.parametrize("options", [FAMILY_PHONE])
async def test_fever_started_is_not_repeated_after_a_cut(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    phone: list[ServiceCall],
) -> None:
    """Killed 7 s after a fever started: after the restart the fever is still
    known, and neither the event nor the alert comes again."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    freezer.tick(timedelta(hours=1))
    hass.states.async_set(THERMOMETER, "36.8", ATTRS)
    await hass.async_block_till_done()
    started: list[Event] = []
    at_fire: dict[str, Any] = {}

    async def _fired(event: Event) -> None:
        started.append(event)
        # What is on disk the moment the event fires.
        at_fire["storage"] = copy.deepcopy(hass_storage)
        at_fire.update(await _on_disk(hass))

    hass.bus.async_listen(f"{DOMAIN}_fever_started", _fired)
    freezer.tick(timedelta(minutes=5))
    hass.states.async_set(THERMOMETER, "38.9", ATTRS)
    await hass.async_block_till_done()
    assert len(started) == len(phone) == 1
    freezer.tick(timedelta(seconds=7))
    await _cut(hass, entry, hass_storage, at_fire)

    freezer.tick(timedelta(minutes=1))
    await _start(hass, entry)
    assert len(started) == 1
    assert hass.states.get(FEVER).state == "on"
    assert entry.runtime_data.temperature.members["member_mia"].readings == 2
    assert len(phone) == 1
    await hass.config_entries.async_unload(entry.entry_id)
    assert (
        _stored(hass_storage, entry)["tracker"]["episode"]["started_at"]
        == (started[0].data["started_at"])
    )


@pytest.mark.usefixtures("recorder_mock")
@pytest.mark.parametrize("options", [FAMILY_PHONE])
async def test_fever_is_announced_when_the_store_cannot_be_written(
    hass: HomeAssistant,
    setup_entry: Any,
    phone: list[ServiceCall],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A disk that refuses the write must not silence the alert."""
    await setup_entry()
    with patch.object(FeatureStore, "async_save", side_effect=OSError("disk full")):
        await hass.services.async_call(
            DOMAIN,
            "record_temperature",
            {"member": "Mia", "temperature": 38.5},
            blocking=True,
        )
    assert len(phone) == 1
    assert "Could not write" in caplog.text


async def test_relinked_member_is_followed_from_the_new_link(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """Mia switches to another thermometer: what it measured before she was
    linked to it (someone else's fever) is not hers."""
    other = "sensor.hall_thermometer"
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    await _report(hass, freezer, THERMOMETER, "36.8", "°C")
    await hass.config_entries.async_unload(entry.entry_id)
    await _report(hass, freezer, other, "39.0", "°C")
    await async_wait_recording_done(hass)
    subentry = entry.subentries["member_mia"]
    hass.config_entries.async_update_subentry(
        entry, subentry, data={**subentry.data, "temperature_source": other}
    )
    freezer.tick(timedelta(minutes=1))
    await _start(hass, entry)
    assert hass.states.get(TEMP).state == "36.8"
    assert hass.states.get(FEVER).state == "off"
    await hass.config_entries.async_unload(entry.entry_id)
    assert _stored(hass_storage, entry)["source"] == other


@pytest.mark.parametrize("options", [FAMILY_PHONE])
async def test_fever_caught_up_after_a_day_long_outage_is_live(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
    phone: list[ServiceCall],
) -> None:
    """Stopped for 31 hours, while the thermometer read 38.9 °C (30 h ago)
    and 39.4 °C (20 h ago), then a glitch: caught up, it is one fever, still
    open for 4 h, and the family is told; then it ends once."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    await _report(hass, freezer, THERMOMETER, "36.8", "°C")
    await hass.config_entries.async_unload(entry.entry_id)
    freezer.tick(timedelta(hours=1))
    hass.states.async_set(THERMOMETER, "38.9", ATTRS)
    freezer.tick(timedelta(hours=10))
    hass.states.async_set(THERMOMETER, "39.4", ATTRS)
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(THERMOMETER, "0.5", ATTRS)
    await async_wait_recording_done(hass)
    freezer.tick(timedelta(hours=20) - timedelta(minutes=1))
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    escalated = async_capture_events(hass, f"{DOMAIN}_fever_escalated")
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    await _start(hass, entry)
    assert hass.states.get(FEVER).state == "on"
    mia = entry.runtime_data.temperature.members["member_mia"]
    assert mia.tracker.episode is not None
    assert (mia.tracker.episode.readings, mia.tracker.episode.peak_c) == (2, 39.4)
    assert [event.data["backfilled"] for event in (*started, *escalated)] == [
        False,
        False,
    ]
    assert ended == []
    # Told of the fever (started, then high), and asked to measure again.
    assert [call.data["data"]["tag"] for call in phone] == [
        f"{DOMAIN}_fever_member_mia",
        f"{DOMAIN}_fever_member_mia",
        f"{DOMAIN}_recheck_member_mia",
    ]
    freezer.tick(timedelta(hours=4))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get(FEVER).state == "off"
    assert len(ended) == 1
    assert not ended[0].data["backfilled"]


@pytest.mark.parametrize(
    ("key", "entity_id", "unit", "value", "other", "shown"),
    [
        ("weight_source", SCALE, "kg", "70.2", "92.5", "sensor.mia_weight"),
        ("temperature_source", THERMOMETER, "°C", "36.8", "39.0", TEMP),
    ],
)
async def test_source_unlinked_and_linked_again_is_a_new_link(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    *,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
    key: str,
    entity_id: str,
    unit: str,
    value: str,
    other: str,
    shown: str,
) -> None:
    """Mia's scale or thermometer is unlinked, used by someone else, then
    linked again: what it measured while it was not hers is not taken."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    await _report(hass, freezer, entity_id, value, unit)
    await hass.config_entries.async_unload(entry.entry_id)
    subentry = entry.subentries["member_mia"]
    linked = dict(subentry.data)
    hass.config_entries.async_update_subentry(
        entry,
        subentry,
        data={name: item for name, item in linked.items() if name != key},
    )
    await _start(hass, entry)
    await hass.config_entries.async_unload(entry.entry_id)
    await _report(hass, freezer, entity_id, other, unit)
    await async_wait_recording_done(hass)
    hass.config_entries.async_update_subentry(entry, subentry, data=linked)
    freezer.tick(timedelta(minutes=1))
    await _start(hass, entry)
    assert hass.states.get(shown).state == value
    assert hass.states.get(FEVER).state == "off"


async def test_restored_state_of_a_run_cut_short_is_no_reading(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """As the soak found on a real Home Assistant: a run restores 36.6 °C and
    is killed before its catch-up point past it is written. The next start
    finds that run's restored state in the recorder, first of its run: no
    reading; the real reading after it is."""
    run_start = recorder_mock.recorder_runs_manager.recording_start
    freezer.move_to(run_start - timedelta(hours=3))
    entry: MockConfigEntry = await setup_entry()
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(THERMOMETER, "36.6", ATTRS)
    await hass.async_block_till_done()
    await hass.config_entries.async_unload(entry.entry_id)
    mock_restore_cache(hass, [hass.states.get(THERMOMETER)])

    # A run of its own (the recorder starts one at each start): the
    # thermometer restores 36.6, then measures 37.2; killed within seconds.
    previous_run = run_start - timedelta(hours=1)

    def _add_run() -> None:
        with session_scope(hass=hass) as session:
            session.add(RecorderRuns(start=previous_run, created=previous_run))

    await recorder_mock.async_add_executor_job(_add_run)
    freezer.move_to(previous_run + timedelta(seconds=1))
    hass.states.async_remove(THERMOMETER)
    hass.states.async_set(THERMOMETER, "36.6", ATTRS)
    await async_wait_recording_done(hass)
    await _start(hass, entry)
    at_kill = {"storage": copy.deepcopy(hass_storage), **await _on_disk(hass)}
    freezer.tick(timedelta(seconds=5))
    hass.states.async_set(THERMOMETER, "37.2", ATTRS)
    await hass.async_block_till_done()
    await _cut(hass, entry, hass_storage, at_kill)

    # This run: the restore cache still holds 36.6.
    freezer.move_to(run_start + timedelta(seconds=1))
    hass.states.async_remove(THERMOMETER)
    hass.states.async_set(THERMOMETER, "36.6", ATTRS)
    await async_wait_recording_done(hass)
    await _start(hass, entry)
    members = entry.runtime_data.temperature.members
    assert members["member_mia"].readings == 2
    assert hass.states.get(TEMP).state == "37.2"
    await hass.config_entries.async_unload(entry.entry_id)
    journals = await _on_disk(hass)
    assert [
        json.loads(line)[1]
        for content in journals["journals"].values()
        for line in content.decode().splitlines()
    ] == [36.6, 37.2]


async def _fever_while_unloaded(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, hours: int
) -> MockConfigEntry:
    """Unload the household after a fever reading; the fever goes on for `hours`,
    the thermometer reporting every 20 minutes; return the unloaded household."""
    entry: MockConfigEntry = hass.config_entries.async_entries(DOMAIN)[0]
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(THERMOMETER, "38.8", ATTRS)
    await hass.async_block_till_done()
    await hass.config_entries.async_unload(entry.entry_id)
    for i in range(hours * 3):
        freezer.tick(timedelta(minutes=20))
        hass.states.async_set(THERMOMETER, "38.9" if i % 2 else "39.0", ATTRS)
        await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    freezer.tick(timedelta(minutes=10))
    return entry


async def test_fever_over_an_outage_of_more_than_a_day_is_not_announced_again(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Off for 30 h while the fever went on: the start does not end the
    episode 24 h after its last stored reading before the caught-up readings
    are in, so it neither ends nor starts again."""
    freezer.move_to(START)
    await setup_entry()
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    entry = await _fever_while_unloaded(hass, freezer, 30)
    assert len(started) == 1

    await _start(hass, entry)

    assert len(started) == 1
    assert ended == []
    assert hass.states.get(FEVER).state == "on"
    assert entry.runtime_data.temperature.members["member_mia"].readings == 91


async def test_live_reading_during_the_catch_up_waits_for_it(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The thermometer reports while the catch-up yields to the event loop:
    the live reading is taken after the caught-up ones, and the fever is
    still one episode, announced once, never ended."""
    freezer.move_to(START)
    await setup_entry()
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    entry = await _fever_while_unloaded(hass, freezer, 60)
    yields = 0

    async def _yield(delay: float) -> None:
        nonlocal yields
        yields += 1
        hass.states.async_set(THERMOMETER, "38.7", ATTRS)
        await asyncio.sleep(delay)

    with patch(
        "custom_components.auto_home.sources.asyncio", SimpleNamespace(sleep=_yield)
    ):
        await _start(hass, entry)

    assert yields == 1
    assert len(started) == 1
    assert ended == []
    assert entry.runtime_data.temperature.members["member_mia"].readings == 182
    assert hass.states.get(TEMP).state == "38.7"


async def test_restored_states_of_runs_while_disabled_are_no_readings(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Disabled across two restarts: each run's thermometer restores what the
    run before it ended with (36.6 °C, then 37.2 °C). Neither is a reading,
    though the restore cache holds only the last run's 37.2 °C."""
    run_start = recorder_mock.recorder_runs_manager.recording_start
    freezer.move_to(run_start - timedelta(hours=3))
    entry: MockConfigEntry = await setup_entry()
    freezer.tick(timedelta(minutes=1))
    hass.states.async_set(THERMOMETER, "36.6", ATTRS)
    await hass.async_block_till_done()
    await hass.config_entries.async_unload(entry.entry_id)

    # The run before this one: the thermometer restores 36.6, then measures
    # 37.2, and runs long enough for the restore cache to keep 37.2.
    previous_run = run_start - timedelta(hours=1)

    def _add_run() -> None:
        with session_scope(hass=hass) as session:
            session.add(RecorderRuns(start=previous_run, created=previous_run))

    await recorder_mock.async_add_executor_job(_add_run)
    freezer.move_to(previous_run + timedelta(seconds=1))
    _restart_thermometer(hass, "36.6")
    freezer.tick(timedelta(minutes=10))
    hass.states.async_set(THERMOMETER, "37.2", ATTRS)
    await async_wait_recording_done(hass)
    mock_restore_cache(hass, [hass.states.get(THERMOMETER)])

    # This run: the thermometer restores 37.2; the household is enabled.
    freezer.move_to(run_start + timedelta(seconds=1))
    _restart_thermometer(hass, "37.2")
    await async_wait_recording_done(hass)
    await _start(hass, entry)

    assert entry.runtime_data.temperature.members["member_mia"].readings == 2
    assert hass.states.get(TEMP).state == "37.2"


async def test_catch_up_without_the_recorder_runs_table_knows_the_current_run(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Should the recorder's schema module move, the catch-up still tells the
    current run's restored state from the readings before it."""
    run_start = recorder_mock.recorder_runs_manager.recording_start
    freezer.move_to(run_start - timedelta(hours=1))
    entry: MockConfigEntry = await setup_entry()
    await _report(hass, freezer, THERMOMETER, "36.6", "°C")
    await hass.config_entries.async_unload(entry.entry_id)
    await _report(hass, freezer, THERMOMETER, "37.2", "°C")
    mock_restore_cache(hass, [hass.states.get(THERMOMETER)])
    freezer.move_to(run_start + timedelta(seconds=1))
    _restart_thermometer(hass, "37.2")
    await async_wait_recording_done(hass)

    with patch.dict(
        "sys.modules", {"homeassistant.components.recorder.db_schema": None}
    ):
        await _start(hass, entry)

    assert entry.runtime_data.temperature.members["member_mia"].readings == 2


async def test_live_readings_go_on_when_the_catch_up_fails(
    recorder_mock: Recorder,
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The recorder cannot be read at start: the error is logged, and live
    readings, held for the catch-up, are taken all the same."""
    freezer.move_to(START)
    entry: MockConfigEntry = await setup_entry()
    await _report(hass, freezer, THERMOMETER, "36.6", "°C")
    await hass.config_entries.async_unload(entry.entry_id)
    with patch(
        "custom_components.auto_home.sources.history.state_changes_during_period",
        side_effect=RuntimeError("database is locked"),
    ):
        await _start(hass, entry)
    assert "Could not take missed readings from the recorder" in caplog.text

    await _report(hass, freezer, THERMOMETER, "37.2", "°C")

    assert entry.runtime_data.temperature.members["member_mia"].readings == 2
    assert hass.states.get(TEMP).state == "37.2"
