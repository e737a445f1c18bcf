"""A power cut right after a send or an event repeats neither after the restart.

The cut is simulated by taking the stored data at the moment after the send
(what a kill -9 leaves on disk) and starting from it at a later time.
"""

from copy import deepcopy
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.store import HouseholdStore

from .chore_helpers import call, local, move_to
from .conftest import chore, member
from .test_corruption import real_storage  # noqa: F401 - the fixture

OPTIONS = {
    "household_targets": ["notify.mobile_app_mia"],
    "quiet_start": "22:00:00",
    "quiet_end": "07:00:00",
}


@pytest.fixture
def phone(hass: HomeAssistant) -> list[ServiceCall]:
    """Mia's phone, a legacy notify service."""
    return async_mock_service(hass, "notify", "mobile_app_mia")


@pytest.fixture
async def entry(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """A Berlin household at 17:00 whose Bins are due at 19:00 (Mia's turn)."""
    freezer.move_to(local("2026-11-23 17:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=OPTIONS,
        subentries_data=[
            member("Mia", notify_targets=["notify.mobile_app_mia"]),
            member("Leo", caregivers=["member_mia"]),
            chore(
                "Bins",
                recurrence="daily",
                start_date="2026-11-23",
                due_time="19:00:00",
                assignees=["member_mia"],
            ),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def _cut_and_restart(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    at: datetime,
) -> None:
    """Power cut now (the disk keeps what it has); start again at `at`."""
    on_disk = deepcopy(hass_storage)
    await hass.config_entries.async_unload(entry.entry_id)
    hass_storage.clear()
    hass_storage.update(on_disk)
    freezer.move_to(at)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Let the timers that fell due while it was off run.
    await move_to(hass, freezer, at)


async def test_cut_after_chore_reminder_and_overdue_event(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    phone: list[ServiceCall],
    entry: MockConfigEntry,
) -> None:
    overdue = async_capture_events(hass, "auto_home_chore_overdue")
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    assert [c.data["message"] for c in phone] == ["Mia, time for Bins."]
    assert len(overdue) == 1

    await _cut_and_restart(
        hass, freezer, entry, hass_storage, local("2026-11-23 19:05")
    )
    assert len(overdue) == 1
    assert len(phone) == 1
    # The next repeat still comes, once.
    await move_to(hass, freezer, local("2026-11-23 21:00:01"))
    assert [c.data["message"] for c in phone][1:] == ["Mia, Bins is overdue."]


async def test_cut_after_catch_up_at_start(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    phone: list[ServiceCall],
    entry: MockConfigEntry,
) -> None:
    await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(local("2026-11-23 19:30"))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert [c.data["message"] for c in phone] == ["Mia, time for Bins."]

    await _cut_and_restart(
        hass, freezer, entry, hass_storage, local("2026-11-23 19:35")
    )
    assert len(phone) == 1


async def test_cut_after_quiet_hours_end(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    phone: list[ServiceCall],
    entry: MockConfigEntry,
) -> None:
    await call(hass, "skip_chore", {"chore": "Bins"})
    await move_to(hass, freezer, local("2026-11-23 23:00"))
    await call(hass, "send_reminder", {"message": "Lock the door"})
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert [c.data["message"] for c in phone] == ["Lock the door"]

    await _cut_and_restart(
        hass, freezer, entry, hass_storage, local("2026-11-24 07:05")
    )
    assert len(phone) == 1


async def test_cut_after_recheck_reminder(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    phone: list[ServiceCall],
    entry: MockConfigEntry,
) -> None:
    await call(hass, "skip_chore", {"chore": "Bins"})
    await call(hass, "record_temperature", {"member": "Leo", "temperature": 38.4})
    # Everything before the re-check is written; only the re-check is not.
    await move_to(hass, freezer, local("2026-11-23 20:00"))
    await move_to(hass, freezer, local("2026-11-23 21:00:01"))
    assert [c.data["message"] for c in phone] == [
        "Leo's temperature is 38.4 °C (oral): fever.",
        "Time to measure Leo's temperature again.",
    ]

    await _cut_and_restart(
        hass, freezer, entry, hass_storage, local("2026-11-23 21:05")
    )
    assert len(phone) == 2


async def test_reminders_of_one_moment_share_one_write(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: list[ServiceCall],
) -> None:
    """All-day chores are all reminded at 09:00: one write first, not one each."""
    freezer.move_to(local("2026-11-23 08:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    chores = [
        chore(
            f"Chore {n}",
            recurrence="daily",
            start_date="2026-11-23",
            assignees=["member_mia"],
        )
        for n in range(5)
    ]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options={"household_targets": ["notify.mobile_app_mia"]},
        subentries_data=[
            member("Mia", notify_targets=["notify.mobile_app_mia"]),
            *chores,
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await move_to(hass, freezer, local("2026-11-23 08:30"))
    with patch.object(
        HouseholdStore,
        "async_save",
        autospec=True,
        side_effect=HouseholdStore.async_save,
    ) as save:
        await move_to(hass, freezer, local("2026-11-23 09:00:01"))
    assert len(phone) == 5
    assert save.call_count == 1


async def test_cut_after_a_reminder_was_held(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    phone: list[ServiceCall],
    entry: MockConfigEntry,
) -> None:
    """What waits for the morning is on disk when the call says "deferred"."""
    await call(hass, "skip_chore", {"chore": "Bins"})
    await move_to(hass, freezer, local("2026-11-23 23:00"))
    response = await call(
        hass, "send_reminder", {"message": "Lock the door"}, response=True
    )
    assert response == {"targets": {"notify.mobile_app_mia": "deferred"}}

    await _cut_and_restart(
        hass, freezer, entry, hass_storage, local("2026-11-23 23:05")
    )
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert [c.data["message"] for c in phone] == ["Lock the door"]


@pytest.mark.usefixtures("real_storage")
async def test_reminder_still_sent_when_the_household_cannot_be_written(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phone: list[ServiceCall],
    entry: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
) -> None:
    """A disk that refuses the sent-state does not swallow the reminder."""
    path = Path(hass.config.path(".storage", f"{DOMAIN}.{entry.entry_id}"))

    def _block() -> None:
        path.unlink(missing_ok=True)
        path.mkdir()

    await hass.async_add_executor_job(_block)
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    assert [c.data["message"] for c in phone] == ["Mia, time for Bins."]
    assert issue_registry.async_get_issue(DOMAIN, f"write_failed_{path.name}")
