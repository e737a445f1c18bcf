"""Damaged files and failed writes: real files in the config folder, nothing lost."""

from collections.abc import Iterator
from datetime import datetime, timedelta
import errno
import json
import logging
from pathlib import Path
import shutil
import threading
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CoreState, HomeAssistant
from homeassistant.helpers import issue_registry as ir, storage
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util
from homeassistant.util.file import WriteError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.history import encode_lines, read_journal
from custom_components.auto_home.store import RETRY_FIRST, SAVE_DELAY
from custom_components.auto_home.subentries import anonymize

from .conftest import member

START = datetime.fromisoformat("2026-06-15T10:00:00+00:00")
# The harness replaces these with an in-memory dict; taken before it does.
_REAL_STORE = {
    name: getattr(Store, name) for name in ("_async_load", "_async_write_data")
}


@pytest.fixture
def real_storage(hass: HomeAssistant) -> Iterator[None]:
    """Let Auto Home's stores read and write real files in `.storage`."""
    with patch.multiple(Store, **_REAL_STORE):
        yield


def _storage(hass: HomeAssistant) -> Path:
    return Path(hass.config.path(".storage"))


def _journal(hass: HomeAssistant, entry: MockConfigEntry, name: str) -> Path:
    return _storage(hass) / f"{DOMAIN}.{entry.entry_id}.{name}.log"


def _write_store(hass: HomeAssistant, key: str, data: Any) -> Path:
    path = _storage(hass) / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"version": 1, "minor_version": 1, "key": key, "data": data})
    )
    return path


def _read_store(hass: HomeAssistant, key: str) -> Any:
    return json.loads((_storage(hass) / key).read_text())["data"]


def _kept_aside(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.name}.corrupt*"))


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float):
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


async def _record(hass: HomeAssistant, member: str, value: float, **extra: Any):
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": member, "temperature": value, **extra},
        blocking=True,
    )


def _errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    """Return the errors logged, but the one util.file logs on every failed write."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.levelno >= logging.ERROR and record.name != "homeassistant.util.file"
    ]


def _issues(hass: HomeAssistant, prefix: str) -> list[ir.IssueEntry]:
    return [
        issue
        for (domain, issue_id), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN and issue_id.startswith(prefix)
    ]


async def test_a_torn_last_line_costs_only_that_line(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A power cut during an append tears the journal's last line: at the next
    start it is logged and set aside, and the next reading is not glued to it."""
    freezer.move_to(START)
    entry = await setup_entry()
    await _record(hass, "Mia", 37.0)
    await _tick(hass, freezer, SAVE_DELAY + 1)
    await _record(hass, "Mia", 37.4)
    await _tick(hass, freezer, SAVE_DELAY + 1)
    await hass.config_entries.async_unload(entry.entry_id)
    journal = _journal(hass, entry, "temperature.member_mia.2026-06")
    whole = journal.read_bytes()
    journal.write_bytes(whole[:-9])

    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    [aside] = _kept_aside(journal)
    [warning] = [
        record
        for record in caplog.records
        if record.levelno == logging.WARNING and "torn by a power cut" in record.msg
    ]
    assert warning.args == (journal, 1, aside)
    assert aside.read_bytes() == whole[:-9]
    await _record(hass, "Mia", 38.1)
    await _tick(hass, freezer, SAVE_DELAY + 1)

    history = entry.runtime_data.temperature.members["member_mia"].history
    assert (await history.async_month("2026-06")).values == [37.0, 38.1]
    lines = journal.read_bytes().split(b"\n")
    assert all(json.loads(line) for line in lines if line)
    [issue] = _issues(hass, "journal_damaged")
    # Named by what the copy's name adds: the journal's name holds a member id.
    assert issue.translation_placeholders == {
        "lines": "1",
        "kept": aside.name.removeprefix(journal.name),
    }
    assert issue.translation_placeholders["kept"].startswith(".corrupt.")


async def test_an_append_after_a_torn_line_starts_a_new_line(
    hass: HomeAssistant, setup_entry: Any, freezer: FrozenDateTimeFactory
) -> None:
    """A write cut short while running (a full disk) leaves a partial line:
    the retry starts on a new line, and a later read skips only that part."""
    freezer.move_to(START)
    entry = await setup_entry()
    journal = _journal(hass, entry, "temperature.member_mia.2026-06")
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(encode_lines([(START.timestamp() - 60, 36.8, "oral")])[:-7])
    await _record(hass, "Mia", 37.2)
    await _tick(hass, freezer, SAVE_DELAY + 1)
    assert journal.read_bytes().count(b"\n") == 2
    history = entry.runtime_data.temperature.members["member_mia"].history
    assert (await history.async_month("2026-06")).values == [37.2]
    [issue] = _issues(hass, "journal_damaged")
    assert issue.translation_placeholders["lines"] == "1"


async def test_garbage_lines_are_skipped_counted_and_kept_aside(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every good line of a damaged journal is read; the bad ones are counted,
    the file as it was is kept aside, and the journal is cleaned once."""
    journal = _journal(hass, config_entry, "temperature.member_mia.2026-06")
    journal.parent.mkdir(parents=True, exist_ok=True)
    at = START.timestamp()
    journal.write_bytes(
        encode_lines([(at, 37.0, "oral")])
        + b"\x00\xff\xfegarbage\n"
        + encode_lines([(at + 60, 37.1, "oral")])
        + b'[1.0,"hot","oral"]\n[2.0]\n{"t":1}\n[3.0,37.0,"oral",1]\n'
        + encode_lines([(at + 120, 37.2, "ear")])
    )
    damaged = journal.read_bytes()
    entry = await setup_entry()
    history = entry.runtime_data.temperature.members["member_mia"].history
    june = await history.async_month("2026-06")
    assert june.values == [37.0, 37.1, 37.2]
    assert f"journal {journal}: 5;" in caplog.text
    [aside] = _kept_aside(journal)
    assert aside.read_bytes() == damaged
    [issue] = _issues(hass, "journal_damaged")
    assert issue.translation_placeholders["lines"] == "5"
    assert issue.translation_key == "journal_damaged"
    assert len(journal.read_bytes().splitlines()) == 3

    # Cleaned: read again from disk, the journal has nothing left to report.
    ir.async_delete_issue(hass, DOMAIN, issue.issue_id)
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    history = entry.runtime_data.temperature.members["member_mia"].history
    assert (await history.async_month("2026-06")).values == [37.0, 37.1, 37.2]
    assert not _issues(hass, "journal_damaged")
    assert len(_kept_aside(journal)) == 1


def _mia_journals(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Three readings of Mia in two months, and Leo's weight in one."""
    may = START - timedelta(days=30)
    _journal(hass, entry, "temperature.member_mia.2026-05").parent.mkdir(
        parents=True, exist_ok=True
    )
    _journal(hass, entry, "temperature.member_mia.2026-05").write_bytes(
        encode_lines([(may.timestamp(), 36.9, "oral")])
    )
    _journal(hass, entry, "temperature.member_mia.2026-06").write_bytes(
        encode_lines(
            [(START.timestamp() - 7200, 38.6, "ear"), (START.timestamp(), 37.8, "ear")]
        )
    )
    _journal(hass, entry, "weight.member_leo.2026-06").write_bytes(
        encode_lines(
            [
                (START.timestamp() - 86400 * 7, 31.0, ""),
                (START.timestamp() - 86400, 30.6, "sensor.scale"),
            ]
        )
    )


@pytest.mark.usefixtures("real_storage")
@pytest.mark.parametrize(
    "content",
    [
        b'{"version": 1, "minor_version": 1, "key": "x", "data": {"member_mia": {"la',
        b"\x00\x00\x00\x00",
    ],
    ids=["truncated", "garbage"],
)
async def test_a_corrupt_health_store_is_rebuilt_from_the_journals(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    content: bytes,
) -> None:
    """Home Assistant sets a file it cannot parse aside and raises a repair;
    Auto Home then re-indexes the readings from the journals on disk."""
    freezer.move_to(START + timedelta(hours=1))
    _mia_journals(hass, config_entry)
    key = f"{DOMAIN}.{config_entry.entry_id}.temperature"
    (_storage(hass) / key).write_bytes(content)
    await setup_entry()
    assert len(_kept_aside(_storage(hass) / key)) == 1
    assert hass.states.get("sensor.mia_body_temperature").state == "37.8"
    await _tick(hass, freezer, SAVE_DELAY + 1)
    stored = _read_store(hass, key)["member_mia"]
    assert stored["readings"] == 3
    assert stored["months"] == ["2026-05", "2026-06"]
    assert stored["latest"]["site"] == "ear"


@pytest.mark.usefixtures("real_storage")
@pytest.mark.parametrize(
    ("feature", "data"),
    [
        ("temperature", []),
        ("temperature", "617 readings"),
        ("weight", []),
        ("weight", {"members": [], "scales": {}}),
    ],
)
# Leo's scale is linked, so its rebuilt catch-up point is kept.
@pytest.mark.parametrize(
    "subentries",
    [[member("Mia"), member("Leo", weight_source="sensor.scale")]],
)
async def test_a_health_store_that_does_not_fit_is_kept_aside_and_rebuilt(
    hass: HomeAssistant,
    *,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    feature: str,
    data: Any,
) -> None:
    """`data: []` loads but is not a household's state: no silent reset."""
    freezer.move_to(START + timedelta(hours=1))
    _mia_journals(hass, config_entry)
    key = f"{DOMAIN}.{config_entry.entry_id}.{feature}"
    path = _write_store(hass, key, data)
    original = path.read_bytes()
    await setup_entry()
    [aside] = _kept_aside(path)
    assert aside.read_bytes() == original
    assert "does not fit" in caplog.text
    [issue] = _issues(hass, "store_damaged")
    assert issue.translation_key == "history_store_damaged"
    assert issue.translation_placeholders["file"] == key
    assert issue.translation_placeholders["kept"] == aside.name
    assert issue.translation_placeholders["readings"] == (
        "3" if feature == "temperature" else "2"
    )
    assert hass.states.get("sensor.mia_body_temperature").state == "37.8"
    report = await hass.services.async_call(
        DOMAIN,
        "get_weight_report",
        {"member": "Leo"},
        blocking=True,
        return_response=True,
    )
    assert [reading["kg"] for reading in report["readings"]] == [31.0, 30.6]
    await _tick(hass, freezer, SAVE_DELAY + 1)
    if feature == "weight":
        stored = _read_store(hass, key)
        assert stored["members"]["member_leo"]["readings"] == 2
        assert stored["scales"] == {
            "sensor.scale": (START - timedelta(days=1)).isoformat()
        }


@pytest.mark.usefixtures("real_storage")
@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"version": 1, "minor_version": 1, "key": "x", "data": []}),
        json.dumps({"version": 1, "minor_version": 1, "data": {"chores": [1]}}),
        json.dumps({"chores": {}}),
        json.dumps([1, 2]),
    ],
    ids=["data-list", "section-list", "no-envelope", "list"],
)
async def test_a_household_store_that_does_not_fit_is_kept_aside(
    hass: HomeAssistant,
    *,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    content: str,
) -> None:
    """Chores cannot be rebuilt: the file is kept aside, a repair says so, and
    the household starts fresh instead of failing to set up."""
    freezer.move_to(START)
    key = f"{DOMAIN}.{config_entry.entry_id}"
    path = _storage(hass) / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content)
    entry = await setup_entry()
    [aside] = _kept_aside(path)
    assert aside.read_text() == content
    assert "does not fit" in caplog.text
    [issue] = _issues(hass, "store_damaged")
    assert issue.translation_key == "household_store_damaged"
    assert issue.is_persistent
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Water plants"}, blocking=True
    )
    await _tick(hass, freezer, SAVE_DELAY + 1)
    assert _read_store(hass, key)["chores"]["chore_water_plants"]
    assert entry.state.value == "loaded"
    assert len(_kept_aside(path)) == 1


@pytest.mark.usefixtures("real_storage")
@pytest.mark.parametrize("minor_version", [1, 2], ids=["0.1", "current"])
@pytest.mark.parametrize(
    "bad",
    [
        {"deferred": []},
        {"deferred": {"notify.mia": "garbage"}},
        {"chores": []},
        {"chores": {"chore_water_plants": "garbage"}},
        {"failures": []},
        {"failures": {"notify.mia": "x"}},
        {"sent": "x"},
        {"recheck_sent": []},
        {"recheck_sent": {"member_mia": 1}},
    ],
)
async def test_a_bad_part_of_the_reminders_costs_only_that_part(
    hass: HomeAssistant,
    *,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
    minor_version: int,
    bad: dict[str, Any],
) -> None:
    """A household file that parses but has one unusable reminders part
    loads with that part reset and logged; the rest and the file are kept."""
    freezer.move_to(START)
    key = f"{DOMAIN}.{config_entry.entry_id}"
    path = _storage(hass) / key
    path.parent.mkdir(parents=True, exist_ok=True)
    good = {"failures": {"notify.leo": 2}, "sent": 4, "recheck_sent": {}}
    content = {"reminders": good | bad}
    path.write_text(
        json.dumps(
            {"version": 1, "minor_version": minor_version, "key": key, "data": content}
        )
    )
    entry = await setup_entry()
    assert entry.state is ConfigEntryState.LOADED
    reminders = entry.runtime_data.reminders
    assert reminders.sent == (0 if "sent" in bad else 4)
    assert reminders.failures == ({} if "failures" in bad else {"notify.leo": 2})
    assert not reminders.deferred
    assert "cannot be used" in caplog.text or "Reset the stored" in caplog.text
    assert not _kept_aside(path)


async def test_an_unwritable_journal_is_retried_within_seconds(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """One member's month that cannot be written keeps its reading, is tried
    again within seconds while a repair says so, and stalls no other journal.
    Her state waits for it, never ahead of her readings; Leo's is saved."""
    freezer.move_to(START)
    entry = await setup_entry()
    journal = _journal(hass, entry, "temperature.member_mia.2026-06")
    journal.mkdir(parents=True)
    key = f"{DOMAIN}.{entry.entry_id}.temperature"
    hass_storage.pop(key, None)
    await _record(hass, "Mia", 38.2)
    await _record(hass, "Leo", 36.9)
    await _tick(hass, freezer, SAVE_DELAY + 1)
    [issue] = _issues(hass, "write_failed")
    assert issue.translation_placeholders["file"] == journal.name
    leo = _journal(hass, entry, "temperature.member_leo.2026-06")
    assert len(leo.read_text().splitlines()) == 1
    # Leo's state is saved; Mia's stays as it was, behind her reading.
    stored = hass_storage[key]["data"]
    assert stored["member_leo"]["readings"] == 1
    assert stored.get("member_mia", {}).get("readings", 0) == 0

    # Backing off: 5 s, 10 s, 20 s ... and still failing.
    for delay in (5, 10, 20):
        await _tick(hass, freezer, delay)
        assert _issues(hass, "write_failed")
    assert hass_storage[key]["data"].get("member_mia", {}).get("readings", 0) == 0
    journal.rmdir()
    await _tick(hass, freezer, 40)
    assert journal.read_text().count("38.2") == 1
    stored = hass_storage[key]["data"]
    assert stored["member_mia"]["readings"] == stored["member_leo"]["readings"] == 1
    assert leo.read_text().count("36.9") == 1
    assert not _issues(hass, "write_failed")
    history = entry.runtime_data.temperature.members["member_mia"].history
    assert not history.has_pending


@pytest.mark.usefixtures("real_storage")
async def test_a_household_store_that_cannot_be_written_is_retried(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Home Assistant's Store only logs a failed write: Auto Home notices,
    keeps the completion and writes it once the file can be written."""
    freezer.move_to(START)
    entry = await setup_entry()
    await _tick(hass, freezer, SAVE_DELAY + 1)
    path = _storage(hass) / f"{DOMAIN}.{entry.entry_id}"
    path.unlink()
    path.mkdir()
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Water plants"}, blocking=True
    )
    await _tick(hass, freezer, SAVE_DELAY + 1)
    [issue] = _issues(hass, "write_failed")
    assert issue.translation_placeholders["file"] == path.name
    path.rmdir()
    await _tick(hass, freezer, 5)
    assert _read_store(hass, path.name)["chores"]["chore_water_plants"]
    assert not _issues(hass, "write_failed")


async def test_the_final_write_logs_a_failure_instead_of_raising(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    freezer.move_to(START)
    entry = await setup_entry()
    journal = _journal(hass, entry, "temperature.member_mia.2026-06")
    journal.mkdir(parents=True)
    await _record(hass, "Mia", 38.2)
    caplog.clear()
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    # Nothing raised into the event bus or a task: only the loss is logged.
    assert _errors(caplog) == [
        f"Changes to {DOMAIN}.{entry.entry_id}.temperature were not written "
        "at unload or stop and are lost"
    ]
    shutil.rmtree(journal)


async def test_a_journal_that_cannot_be_checked_does_not_stop_the_start(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    journal = _journal(hass, config_entry, "temperature.member_mia.2026-06")
    journal.mkdir(parents=True)
    entry = await setup_entry()
    assert entry.state.value == "loaded"
    assert "Could not check the reading journal" in caplog.text
    assert "Could not re-index" in caplog.text


async def test_damaged_lines_that_cannot_be_set_aside_are_still_skipped(
    hass: HomeAssistant,
    setup_entry: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = await setup_entry()
    journal = _journal(hass, entry, "temperature.member_mia.2026-06")
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(encode_lines([(START.timestamp(), 37.0, "oral")]) + b"xx\n")
    with patch(
        "custom_components.auto_home.history.shutil.copy2",
        side_effect=PermissionError("Read-only file system"),
    ):
        history = entry.runtime_data.temperature.members["member_mia"].history
        assert (await history.async_month("2026-06")).values == [37.0]
    assert "could not set them aside" in caplog.text
    assert not _issues(hass, "journal_damaged")
    assert journal.read_bytes().endswith(b"xx\n")


@pytest.mark.usefixtures("real_storage")
async def test_a_store_that_cannot_be_read_is_tried_again_later(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """Unreadable is not damaged: nothing is set aside, set-up is retried."""
    path = _storage(hass) / f"{DOMAIN}.{config_entry.entry_id}"
    path.mkdir(parents=True)
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY
    assert config_entry.error_reason_translation_key == "load_failed"
    assert not _kept_aside(path)
    path.rmdir()


@pytest.mark.usefixtures("real_storage")
async def test_a_store_of_a_newer_version_is_left_as_it_is(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> None:
    """After a downgrade the newer file is not set aside as damaged: the
    household does not set up, and the file waits for the newer version."""
    key = f"{DOMAIN}.{config_entry.entry_id}.temperature"
    path = _storage(hass) / key
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"version": 9, "key": key, "data": {}}))
    config_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    assert json.loads(path.read_text())["version"] == 9
    assert not _kept_aside(path)


def test_a_copy_kept_aside_is_never_overwritten(
    tmp_path: Path, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(START)
    journal = tmp_path / "auto_home.x.temperature.m.2026-06.log"
    reading = (START.timestamp(), 37.0, "oral")
    for garbage in (b"first\n", b"second\n"):
        journal.write_bytes(encode_lines([reading]) + garbage)
        lines, damage = read_journal(journal)
        assert lines == [reading]
        assert damage is not None
        assert damage.kept.read_bytes().endswith(garbage)
    assert len(_kept_aside(journal)) == 2
    assert read_journal(journal) == ([reading], None)


async def test_removing_the_household_removes_its_repairs_and_copies(
    hass: HomeAssistant, setup_entry: Any, config_entry: MockConfigEntry
) -> None:
    journal = _journal(hass, config_entry, "temperature.member_mia.2026-06")
    journal.parent.mkdir(parents=True)
    journal.write_bytes(encode_lines([(START.timestamp(), 37.0, "oral")])[:-3])
    entry = await setup_entry()
    assert _issues(hass, "journal_damaged")
    [aside] = _kept_aside(journal)
    await hass.config_entries.async_remove(entry.entry_id)
    assert not _issues(hass, "journal_damaged")
    assert not aside.exists()
    assert not journal.exists()


async def test_a_reload_waits_for_a_write_in_flight(
    hass: HomeAssistant,
    setup_entry: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reload while a write is in flight (and failing) waits for it and
    tries once more itself; the old writer never writes after the new one."""
    freezer.move_to(START)
    entry = await setup_entry()
    key = f"{DOMAIN}.{entry.entry_id}.temperature"
    await _record(hass, "Leo", 36.9)
    started, gate = threading.Event(), threading.Event()

    def _slow_full_disk(path: Path, data: bytes) -> None:
        started.set()
        gate.wait(5)
        raise OSError(errno.ENOSPC, "No space left on device")

    with patch(
        "custom_components.auto_home.history.append_to_journal", _slow_full_disk
    ):
        freezer.tick(timedelta(seconds=SAVE_DELAY + 1))
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_add_executor_job(started.wait, 5)
    # The disk fails the write only once the reload has begun.
    threading.Timer(0.2, gate.set).start()
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    leo = entry.runtime_data.temperature.members["member_leo"]
    assert leo.readings == 1
    assert hass_storage[key]["data"]["member_leo"]["readings"] == 1

    await _record(hass, "Leo", 37.5)
    for delay in (SAVE_DELAY + 1, RETRY_FIRST, 2 * RETRY_FIRST, 4 * RETRY_FIRST):
        await _tick(hass, freezer, delay)
    assert hass_storage[key]["data"]["member_leo"]["readings"] == 2
    assert not _issues(hass, "write_failed")


@pytest.mark.usefixtures("real_storage")
async def test_a_write_now_while_stopping_waits_for_the_final_write(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Handed to the Store while stopping, a write would be taken by the
    Store's own final write, which does not expect our error, while the
    repair went away. It waits for Auto Home's final write instead."""
    freezer.move_to(START)
    entry = await setup_entry()
    await _tick(hass, freezer, SAVE_DELAY + 1)
    path = _storage(hass) / f"{DOMAIN}.{entry.entry_id}"
    path.unlink()
    path.mkdir()
    await hass.services.async_call(
        DOMAIN, "complete_chore", {"chore": "Water plants"}, blocking=True
    )
    await _tick(hass, freezer, SAVE_DELAY + 1)
    assert _issues(hass, "write_failed")
    hass.set_state(CoreState.stopping)
    await entry.runtime_data.async_write_now()
    await hass.async_block_till_done()
    assert _issues(hass, "write_failed")
    caplog.clear()
    hass.set_state(CoreState.final_write)
    hass.bus.async_fire(EVENT_HOMEASSISTANT_FINAL_WRITE)
    await hass.async_block_till_done()
    assert _errors(caplog) == [
        f"Changes to {path.name} were not written at unload or stop and are lost"
    ]
    path.rmdir()
    hass.set_state(CoreState.running)


@pytest.mark.usefixtures("real_storage")
async def test_rows_outside_their_month_or_with_an_unknown_site_are_damaged(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Valid JSON that is no reading of its file: a time far outside the
    month, a site no thermometer has, a boolean. Counted as damaged; the
    state is re-indexed and an old month compacted from the rest."""
    freezer.move_to(START)
    june = _journal(hass, config_entry, "temperature.member_mia.2026-06")
    june.parent.mkdir(parents=True)
    at = START.timestamp()
    june.write_bytes(
        encode_lines([(at - 60, 37.0, "oral")])
        + b'[1e300,37.0,"oral"]\n'
        + encode_lines([(at - 86400 * 40, 37.1, "oral"), (at, 36.9, "armpit")])
        + b'[1781517600.0,true,"oral"]\n'
    )
    old = START - timedelta(days=420)
    old_journal = _journal(hass, config_entry, f"temperature.member_mia.{old:%Y-%m}")
    old_journal.write_bytes(
        encode_lines([(old.timestamp(), 38.0, "ear"), (old.timestamp(), 38.4, "x")])
    )
    entry = await setup_entry()
    assert entry.state is ConfigEntryState.LOADED
    damaged = {
        issue.issue_id: issue.translation_placeholders["lines"]
        for issue in _issues(hass, "journal_damaged")
    }
    assert damaged == {
        f"journal_damaged_{anonymize(june.name)}": "4",
        f"journal_damaged_{anonymize(old_journal.name)}": "1",
    }
    assert hass.states.get("sensor.mia_body_temperature").state == "37.0"
    mia = entry.runtime_data.temperature.members["member_mia"]
    assert (await mia.history.async_month("2026-06")).values == [37.0]
    assert not old_journal.exists()
    hourly = _read_store(
        hass, f"{DOMAIN}.{entry.entry_id}.temperature.member_mia.hourly"
    )
    assert [bucket["count"] for bucket in hourly["buckets"]] == [1]


@pytest.mark.usefixtures("real_storage")
async def test_a_compaction_that_cannot_write_its_hours_keeps_the_raw_month(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A full disk: the hourly buckets are not written, so the raw month
    they would replace stays, and the next compaction tries again."""
    freezer.move_to(START)
    old = START - timedelta(days=420)
    journal = _journal(hass, config_entry, f"temperature.member_mia.{old:%Y-%m}")
    journal.parent.mkdir(parents=True)
    journal.write_bytes(encode_lines([(old.timestamp(), 38.0, "ear")]))
    hourly = _storage(hass) / (
        f"{DOMAIN}.{config_entry.entry_id}.temperature.member_mia.hourly"
    )
    write = storage.write_utf8_file_atomic

    def _full_disk_for_hours(path: str, *args: Any, **kwargs: Any) -> None:
        if path == str(hourly):
            raise WriteError("No space left on device")
        write(path, *args, **kwargs)

    with patch.object(storage, "write_utf8_file_atomic", _full_disk_for_hours):
        entry = await setup_entry()
    assert entry.state is ConfigEntryState.LOADED
    assert journal.exists()
    assert "Could not fold" in caplog.text
    mia = entry.runtime_data.temperature.members["member_mia"]
    assert f"{old:%Y-%m}" in mia.months

    await _tick(hass, freezer, 86400)
    assert not journal.exists()
    assert [b["count"] for b in _read_store(hass, hourly.name)["buckets"]] == [1]


@pytest.mark.usefixtures("real_storage")
async def test_two_stores_set_aside_in_one_second_are_both_kept(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A misfit store set aside twice at the same moment keeps both copies."""
    freezer.move_to(START)
    path = _storage(hass) / f"{DOMAIN}.{config_entry.entry_id}"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps([1]))
    entry = await setup_entry()
    await hass.config_entries.async_unload(entry.entry_id)
    path.write_text(json.dumps([2]))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert sorted(aside.read_text() for aside in _kept_aside(path)) == ["[1]", "[2]"]
