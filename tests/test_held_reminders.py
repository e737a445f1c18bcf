"""Held chore reminders: a flush racing a close, the night, 0.1 stores, reassigning."""

import asyncio
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.store import HouseholdStore

from .chore_helpers import call, local, move_to, reload
from .conftest import chore, member
from .test_chore_reminders import NIGHT, _daily, _messages, _setup


@pytest.fixture(name="phones")
def phones_fixture(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """Legacy notify services of Mia's and Leo's phones."""
    return {
        name: async_mock_service(hass, "notify", f"mobile_app_{name}")
        for name in ("mia", "leo")
    }


async def _flush_with_slow_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    monkeypatch: pytest.MonkeyPatch,
    entry: MockConfigEntry,
    action: tuple[str, dict[str, Any]],
) -> None:
    """End quiet hours while the write takes long (a slow SD card), and call
    the service of `action` while the flush waits for it."""
    store = entry.runtime_data.store
    save = store.async_save
    writing, written = asyncio.Event(), asyncio.Event()

    async def _slow_save(data: dict[str, Any]) -> None:
        writing.set()
        await written.wait()
        await save(data)

    monkeypatch.setattr(store, "async_save", _slow_save)
    freezer.move_to(local("2026-11-24 07:00:01"))
    async_fire_time_changed(hass, dt_util.utcnow())
    await asyncio.wait_for(writing.wait(), 5)
    await hass.services.async_call(DOMAIN, *action, blocking=True)
    written.set()
    await hass.async_block_till_done()


async def test_chore_closed_while_the_morning_flush_writes_is_not_sent(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Bins is held at 23:00; Mia completes it while the 07:00 flush writes:
    its reminder is no longer true."""
    freezer.move_to(local("2026-11-23 21:00"))
    entry = await _setup(
        hass, _daily("Bins", "23:00:00"), options={**NIGHT, "repeat_limit": 0}
    )
    await move_to(hass, freezer, local("2026-11-23 23:00:01"))
    await _flush_with_slow_write(
        hass, freezer, monkeypatch, entry, ("complete_chore", {"chore": "Bins"})
    )

    assert _messages(phones["mia"]) == []
    assert entry.runtime_data.reminders.deferred == {}


async def test_chore_reassigned_while_the_morning_flush_writes(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Given to Leo while the flush writes: not sent to Mia; Leo's reminder
    is the next repeat, not one held until the next night ends."""
    freezer.move_to(local("2026-11-23 21:00"))
    bins = _daily("Bins", "23:30:00", assignees=["member_mia", "member_leo"])
    options = {**NIGHT, "repeat_limit": 8, "escalate_after": 0}
    entry = await _setup(hass, bins, options=options)
    for moment in ("2026-11-23 23:30:01", "2026-11-24 06:30:01"):
        await move_to(hass, freezer, local(moment))
    await _flush_with_slow_write(
        hass,
        freezer,
        monkeypatch,
        entry,
        ("reassign_chore", {"chore": "Bins", "member": "Leo"}),
    )
    assert phones["mia"] == []
    assert entry.runtime_data.reminders.deferred == {}
    assert phones["leo"] == []
    await move_to(hass, freezer, local("2026-11-24 07:30:01"))
    assert phones["mia"] == []
    assert _messages(phones["leo"]) == ["Leo, Bins is overdue."]


async def test_done_at_night_clears_the_reminder_at_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """Bins reminded at 21:30, done at 22:30 (quiet hours): the phone's
    'time for Bins' goes silently at once; 'done by Mia' waits for 07:00."""
    freezer.move_to(local("2026-11-23 21:00"))
    await _setup(hass, _daily("Bins", "21:30:00"), options={**NIGHT, "repeat_limit": 0})
    await move_to(hass, freezer, local("2026-11-23 21:30:01"))
    assert _messages(phones["mia"]) == ["Mia, time for Bins."]

    await move_to(hass, freezer, local("2026-11-23 22:30:00"))
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert phones["mia"][-1].data == {
        "message": "clear_notification",
        "data": {"tag": "auto_home_chore_chore_bins"},
    }
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert _messages(phones["mia"]) == [
        "Mia, time for Bins.",
        "clear_notification",
        "Bins: done by Mia. ✓",
    ]
    assert phones["leo"] == []


async def test_0_1_store_is_migrated_once_and_delivers_only_what_is_true(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    hass_storage: dict[str, Any],
) -> None:
    """0.1 held 'time for Bins' and, later, 'done by Mia' for one phone: the
    phone would only show the done message, so only it is delivered."""
    freezer.move_to(local("2026-11-24 06:00"))
    key = f"{DOMAIN}.household"
    held = [
        {"title": "Chore: Bins", "message": "Mia, time for Bins."},
        {"title": "Chore: Bins", "message": "Bins: done by Mia. ✓"},
        {"title": "Home", "message": "Feed the cat"},
    ]
    hass_storage[key] = {
        "version": 1,
        "minor_version": 1,
        "key": key,
        "data": {
            "reminders": {
                "deferred": {"notify.mobile_app_mia": held},
                # 0.1 noted only where a chore's reminder arrived.
                "chores": {"chore_bins": {"day": "2026-11-23|None", "targets": []}},
            }
        },
    }
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id="household",
        title="Home",
        data={},
        options=NIGHT,
        subentries_data=[
            member("Mia", notify_targets=["notify.mobile_app_mia"]),
            chore(
                "Bins",
                recurrence="daily",
                start_date="2026-11-24",
                due_time="23:00:00",
                assignees=["member_mia"],
            ),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    # Migrated on load and written back: later starts do not migrate again.
    assert hass_storage[key]["minor_version"] == 2
    migrated = hass_storage[key]["data"]["reminders"]["deferred"]
    assert [item["tag"] for item in migrated["notify.mobile_app_mia"]] == [
        "auto_home_chore_chore_bins",
        "auto_home_collapsed",
    ]
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert _messages(phones["mia"]) == [
        "• Chore: Bins: Bins: done by Mia. ✓\n• Home: Feed the cat"
    ]


async def test_missed_chores_held_at_start_share_one_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """Three chores fell due while stopped; the start is in quiet hours."""
    freezer.move_to(local("2026-11-23 21:00"))
    chores = [_daily(name, "23:00:00") for name in ("Bins", "Dishes", "Plants")]
    entry = await _setup(hass, *chores, options={**NIGHT, "repeat_limit": 0})
    await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(local("2026-11-23 23:30"))
    with patch.object(
        HouseholdStore,
        "async_save",
        autospec=True,
        side_effect=HouseholdStore.async_save,
    ) as save:
        await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
    assert save.call_count == 1
    held = entry.runtime_data.reminders.deferred["notify.mobile_app_mia"]
    assert [message.message for message in held] == [
        "Mia, time for Bins.",
        "Mia, time for Dishes.",
        "Mia, time for Plants.",
    ]
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert [call.data["title"] for call in phones["mia"]] == ["Home: 3 reminders"]


async def test_send_reminder_for_a_damaged_chore_is_refused(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        subentries_data=[
            member("Mia", notify_targets=["notify.mobile_app_mia"]),
            _daily("Bins", "19:00:00"),
        ],
    )
    key = f"{DOMAIN}.{entry.entry_id}"
    damaged = {"day": "someday", "rule": {}, "history": 7}
    hass_storage[key] = {
        "version": 1,
        "minor_version": 2,
        "key": key,
        "data": {"chores": {"chore_bins": damaged}},
    }
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    with pytest.raises(ServiceValidationError) as err:
        await call(hass, "send_reminder", {"chore": "Bins"})
    assert err.value.translation_key == "chore_damaged"
    assert phones["mia"] == []


async def test_reassigning_a_chore_moves_its_held_reminder(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """Bins is held for Mia at 23:00 and given to Leo at 23:30: in the morning
    Leo is reminded, Mia is not."""
    freezer.move_to(local("2026-11-23 21:00"))
    bins = _daily("Bins", "23:00:00", assignees=["member_mia", "member_leo"])
    entry = await _setup(hass, bins, options={**NIGHT, "repeat_limit": 0})
    await move_to(hass, freezer, local("2026-11-23 23:00:01"))
    await move_to(hass, freezer, local("2026-11-23 23:30:00"))
    # Also after a restart: the reassignment is the first change it sees.
    await reload(hass, entry)
    await call(hass, "reassign_chore", {"chore": "Bins", "member": "Leo"})
    assert list(entry.runtime_data.reminders.deferred) == ["notify.mobile_app_leo"]

    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert phones["mia"] == []
    assert _messages(phones["leo"]) == ["Leo, time for Bins."]
    # It arrived for Leo, so completing it replaces it there.
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert _messages(phones["leo"])[-1] == "Bins: done by Leo. ✓"
