"""One internal channel: public events are outputs only, a closing arrives once."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant, ServiceCall, callback
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.signals import ChoreClosed

from .chore_helpers import call, local, move_to
from .conftest import member
from .test_chore_reminders import _close, _daily

PHONE = "notify.mobile_app_mia"
TAG = "auto_home_chore_chore_bins"
OPTIONS = {
    "household_targets": ["persistent_notification"],
    "repeat_minutes": 60,
    "repeat_limit": 3,
    "escalate_after": 0,
    "quiet_start": "22:00:00",
    "quiet_end": "07:00:00",
}


@pytest.fixture
def log(hass: HomeAssistant) -> list[tuple[str, ...]]:
    """What Mia's phone and the persistent notifications were told, in order."""
    calls: list[tuple[str, ...]] = []

    async def _phone(call: ServiceCall) -> None:
        calls.append(("phone", call.data["message"]))

    hass.services.async_register("notify", "mobile_app_mia", _phone)

    @callback
    def _persistent(
        update: persistent_notification.UpdateType, changed: dict[str, Any]
    ) -> None:
        calls.extend(("persistent", update.value, key) for key in changed)

    persistent_notification.async_register_callback(hass, _persistent)
    return calls


async def _household(hass: HomeAssistant) -> MockConfigEntry:
    """Mia is told on her phone and in persistent notifications; Bins is hers."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=OPTIONS,
        subentries_data=[
            member("Mia", notify_targets=[PHONE, "persistent_notification"]),
            member("Leo"),
            _daily("Bins", "21:30:00"),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_public_events_from_outside_change_nothing(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    log: list[tuple[str, ...]],
) -> None:
    """An automation firing Auto Home's own events does not make it act: no
    caregiver is paged, no reminder is cleared or answered."""
    freezer.move_to(local("2026-11-23 21:00"))
    entry = await _household(hass)
    await move_to(hass, freezer, local("2026-11-23 21:30:01"))
    assert log == [("phone", "Mia, time for Bins."), ("persistent", "added", TAG)]
    log.clear()
    before = {state.entity_id: state for state in hass.states.async_all()}
    episode = {
        "started_at": "2026-11-23T21:00:00+01:00",
        "peak_c": 40.1,
        "peak_at": "2026-11-23T21:00:00+01:00",
        "latest_c": 40.1,
        "latest_at": "2026-11-23T21:00:00+01:00",
        "last_fever_at": "2026-11-23T21:00:00+01:00",
        "readings": 1,
        "highest_class": "high_fever",
        "ended_at": None,
    }
    for kind in ("started", "escalated", "ended"):
        hass.bus.async_fire(
            f"{DOMAIN}_fever_{kind}",
            {
                "member": "Mia",
                "member_id": "member_mia",
                "urgent": True,
                "type": kind,
                **episode,
                "duration_seconds": 0.0,
                "backfilled": False,
            },
        )
    for kind in ("completed", "skipped", "snoozed"):
        hass.bus.async_fire(
            f"{DOMAIN}_chore_{kind}",
            {"chore": "Bins", "chore_id": "chore_bins", "member": "Mia"},
        )
    hass.bus.async_fire(f"{DOMAIN}_weight_unassigned", {"reading_id": "abc"})
    await hass.async_block_till_done()

    assert log == []
    assert {state.entity_id: state for state in hass.states.async_all()} == before
    assert entry.runtime_data.reminders.chores.sent["chore_bins"]["targets"] == [
        PHONE,
        "persistent_notification",
    ]
    # The real completion still finds what was sent, and answers it once.
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert log == [
        ("persistent", "removed", TAG),
        ("phone", "Bins: done by Mia. ✓"),
    ]


@pytest.mark.parametrize("how", ["complete_chore", "todo", "button", "phone_done"])
async def test_a_completion_reaches_the_reminders_once_in_one_order(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    log: list[tuple[str, ...]],
    how: str,
) -> None:
    """However Bins is done, the reminders hear of it once: the persistent
    reminder is dismissed, then the phone's is replaced by one done message."""
    freezer.move_to(local("2026-11-23 21:00"))
    await _household(hass)
    completed = async_capture_events(hass, f"{DOMAIN}_chore_completed")
    await move_to(hass, freezer, local("2026-11-23 21:30:01"))
    log.clear()
    await _close(hass, how)
    assert log == [
        ("persistent", "removed", TAG),
        ("phone", "Bins: done by Mia. ✓"),
    ]
    assert len(completed) == 1


@pytest.mark.parametrize("how", ["complete_chore", "todo", "button", "phone_done"])
async def test_a_completion_in_the_night_is_answered_once_in_the_morning(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    log: list[tuple[str, ...]],
    how: str,
) -> None:
    """The reminder arrived at 21:30, its repeat is held from 22:30; done at
    23:30: the phone is cleared once, silently, the held repeat is dropped
    and the done message waits for 07:00, alone."""
    freezer.move_to(local("2026-11-23 21:00"))
    entry = await _household(hass)
    await move_to(hass, freezer, local("2026-11-23 21:30:01"))
    await move_to(hass, freezer, local("2026-11-23 22:30:01"))
    reminders = entry.runtime_data.reminders
    assert [m.message for m in reminders.deferred[PHONE]] == ["Mia, Bins is overdue."]
    log.clear()

    await move_to(hass, freezer, local("2026-11-23 23:30:00"))
    await _close(hass, how)
    assert log == [("persistent", "removed", TAG), ("phone", "clear_notification")]
    assert [m.message for m in reminders.deferred[PHONE]] == ["Bins: done by Mia. ✓"]
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert log[2:] == [("phone", "Bins: done by Mia. ✓")]


async def test_a_failing_handler_keeps_the_change_and_the_others(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    log: list[tuple[str, ...]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A handler that raises is logged; the completion and the reminders'
    answer happen all the same."""
    freezer.move_to(local("2026-11-23 21:00"))
    entry = await _household(hass)
    await move_to(hass, freezer, local("2026-11-23 21:30:01"))
    log.clear()

    @callback
    def _broken(closed: ChoreClosed) -> None:
        raise RuntimeError(f"cannot handle {closed.chore_id}")

    entry.runtime_data.signals.connect(ChoreClosed, _broken)
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert "cannot handle chore_bins" in caplog.text
    assert log == [
        ("persistent", "removed", TAG),
        ("phone", "Bins: done by Mia. ✓"),
    ]
    assert entry.runtime_data.chores.chores["chore_bins"].state.last_completed


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia and Leo share the bathroom scale."""
    shared = {"weight_source": "sensor.bathroom_scale", "weight_source_shared": True}
    return [member("Mia", **shared), member("Leo", **shared)]


@pytest.fixture
def options() -> dict[str, Any]:
    """Quiet hours at night."""
    return {"quiet_start": "22:00:00", "quiet_end": "07:00:00"}


KG = {"unit_of_measurement": "kg", "device_class": "weight"}


async def test_unassigned_weight_notice_waits_for_the_morning(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    setup_entry: Any,
) -> None:
    """A shared-scale reading at 23:00 fits nobody: the event fires at once,
    the question waits for 07:00; one settled in the night is not asked."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(local("2026-11-23 23:00"))
    await setup_entry()
    unassigned = async_capture_events(hass, f"{DOMAIN}_weight_unassigned")
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    hass.states.async_set("sensor.bathroom_scale", "62.0", KG)
    await hass.async_block_till_done()
    freezer.tick(120)
    hass.states.async_set("sensor.bathroom_scale", "80.0", KG)
    await hass.async_block_till_done()
    first, second = (event.data["reading_id"] for event in unassigned)
    assert notifications == {}

    await call(hass, "discard_weight", {"reading_id": first})
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert list(notifications) == [f"{DOMAIN}_weight_{second}"]
    assert "80.0 kg" in notifications[f"{DOMAIN}_weight_{second}"]["message"]

    # Assigned by day: the question is withdrawn at once.
    await call(hass, "assign_weight", {"reading_id": second, "member": "Leo"})
    assert notifications == {}


async def test_a_reminder_of_a_replanned_occurrence_is_answered_by_the_next(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    log: list[tuple[str, ...]],
) -> None:
    """Bins was reminded at 21:30, then moved to 21:45: done before its new
    reminder, the one that arrived is still answered, once."""
    freezer.move_to(local("2026-11-23 21:00"))
    entry = await _household(hass)
    await move_to(hass, freezer, local("2026-11-23 21:30:01"))
    subentry = entry.subentries["chore_bins"]
    hass.config_entries.async_update_subentry(
        entry,
        subentry,
        data={**subentry.data, "start_date": "2026-11-24", "due_time": "21:45:00"},
    )
    await hass.async_block_till_done()
    log.clear()
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert log == [
        ("persistent", "removed", TAG),
        ("phone", "Bins: done by Mia. ✓"),
    ]
