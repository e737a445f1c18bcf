"""Chore reminders through real notify services: due, repeat, escalate, done."""

from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import attributes, call, local, move_to, next_due
from .conftest import chore, member

BINS = "sensor.bins_next_due"
OPTIONS = {
    "household_targets": ["notify.mobile_app_leo"],
    "lead_minutes": 30,
    "repeat_minutes": 60,
    "repeat_limit": 3,
    "escalate_after": 2,
    "all_day_time": "09:00:00",
}


@pytest.fixture
def phones(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """Legacy notify services of two phones."""
    return {
        "mia": async_mock_service(hass, "notify", "mobile_app_mia"),
        "leo": async_mock_service(hass, "notify", "mobile_app_leo"),
    }


async def _setup(
    hass: HomeAssistant,
    *chores: ConfigSubentryData,
    options: dict[str, Any] | None = None,
) -> MockConfigEntry:
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options=OPTIONS if options is None else options,
        subentries_data=[
            member("Mia", notify_targets=["notify.mobile_app_mia"]),
            member("Leo", notify_targets=["notify.mobile_app_leo"]),
            *chores,
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _bins(**data: Any) -> ConfigSubentryData:
    return chore(
        "Bins",
        recurrence="daily",
        start_date="2026-11-23",
        due_time="19:00:00",
        assignees=["member_mia"],
        **data,
    )


def _daily(name: str, due_time: str, **data: Any) -> ConfigSubentryData:
    return chore(
        name,
        recurrence="daily",
        start_date="2026-11-23",
        due_time=due_time,
        **{"assignees": ["member_mia"]} | data,
    )


def _messages(calls: list[ServiceCall]) -> list[str]:
    return [c.data["message"] for c in calls]


async def test_lead_due_repeat_escalate_and_done(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    freezer.move_to(local("2026-11-23 12:00"))
    await _setup(hass, _bins())
    for moment in ("18:30", "19:00", "20:00", "21:00", "22:00", "23:00", "23:59"):
        await move_to(hass, freezer, local(f"2026-11-23 {moment}:01"))
    assert _messages(phones["mia"]) == [
        "Mia, Bins is coming up at 19:00.",
        "Mia, time for Bins.",
        "Mia, Bins is overdue.",
        "Bins is still not done; it was Mia's turn.",
        "Mia, Bins is overdue.",
    ]
    # Escalation (the third reminder) reached the household too, once.
    assert _messages(phones["leo"]) == ["Bins is still not done; it was Mia's turn."]
    first = phones["mia"][1].data["data"]
    assert first["tag"] == "auto_home_chore_chore_bins"
    assert [a["title"] for a in first["actions"]] == ["Done", "Snooze 1 h", "Skip"]
    assert first["actions"][0]["action"] == "AUTO_HOME_DONE_chore_bins"

    await call(hass, "complete_chore", {"chore": "Bins", "member": "Leo"})
    # The done message replaces the notification (same tag) everywhere it went.
    for phone in ("mia", "leo"):
        done = phones[phone][-1].data
        assert done["message"] == "Bins: done by Leo. ✓"
        assert done["data"]["tag"] == "auto_home_chore_chore_bins"
    # The next day starts afresh.
    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    await move_to(hass, freezer, local("2026-11-24 18:30:01"))
    assert _messages(phones["mia"])[-1] == "Mia, Bins is coming up at 19:00."


async def test_household_chore_reminders_do_not_greet_the_household(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """Nobody assigned: "Time for Bins.", not "Home, time for Bins."."""
    freezer.move_to(local("2026-11-23 12:00"))
    await _setup(hass, _daily("Bins", "19:00:00", assignees=[]))
    for moment in ("18:30", "19:00", "20:00", "21:00"):
        await move_to(hass, freezer, local(f"2026-11-23 {moment}:01"))
    assert _messages(phones["leo"]) == [
        "Bins is coming up at 19:00.",
        "Time for Bins.",
        "Bins is overdue.",
        "Bins is still not done.",
    ]
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert _messages(phones["leo"])[-1] == "Bins: done. ✓"
    assert phones["mia"] == []


async def test_phone_buttons_complete_snooze_and_skip(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    freezer.move_to(local("2026-11-23 18:00"))
    await _setup(hass, _bins(), options={**OPTIONS, "lead_minutes": 0})
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    assert _messages(phones["mia"]) == ["Mia, time for Bins."]

    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": "AUTO_HOME_SNOOZE_chore_bins"}
    )
    await hass.async_block_till_done()
    assert attributes(hass, BINS)["snoozed_until"] is not None
    assert phones["mia"][-1].data == {
        "message": "clear_notification",
        "data": {"tag": "auto_home_chore_chore_bins"},
    }
    await move_to(hass, freezer, local("2026-11-23 20:00:02"))
    assert _messages(phones["mia"])[-1] == "Mia, time for Bins."

    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": "AUTO_HOME_DONE_chore_bins"}
    )
    await hass.async_block_till_done()
    assert next_due(hass, BINS) == local("2026-11-24 19:00")
    assert attributes(hass, BINS)["last_completed_by"] == "Mia"

    await move_to(hass, freezer, local("2026-11-24 00:00:01"))
    await move_to(hass, freezer, local("2026-11-24 19:00:01"))
    assert _messages(phones["mia"])[-1] == "Mia, time for Bins."
    hass.bus.async_fire(
        "mobile_app_notification_action", {"action": "AUTO_HOME_SKIP_chore_bins"}
    )
    await hass.async_block_till_done()
    assert next_due(hass, BINS) == local("2026-11-25 19:00")
    assert _messages(phones["mia"])[-1] == "Bins: skipped this time."
    # Other apps' actions and unknown chores are ignored.
    for action in ("OTHER_APP", "AUTO_HOME_DONE_chore_nope"):
        hass.bus.async_fire("mobile_app_notification_action", {"action": action})
    await hass.async_block_till_done()
    assert next_due(hass, BINS) == local("2026-11-25 19:00")


async def test_learned_timing_after_five_completions(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    freezer.move_to(local("2026-11-01 07:00"))
    plants = chore(
        "Plants", recurrence="daily", start_date="2026-11-01", assignees=["member_mia"]
    )
    await _setup(hass, plants, options={**OPTIONS, "lead_minutes": 0})
    sensor = "sensor.plants_next_due"
    assert attributes(hass, sensor)["reminder_reason"] == "all_day_time"
    for day in range(1, 6):
        await move_to(hass, freezer, local(f"2026-11-0{day} 18:1{day}"))
        await call(hass, "complete_chore", {"chore": "Plants"})
    attrs = attributes(hass, sensor)
    assert attrs["reminder_reason"] == "learned"
    assert attrs["usual_completion_time"] == "18:13"
    assert attrs["reminder_at"] == "2026-11-06T17:58:00+01:00"
    before = len(phones["mia"])
    await move_to(hass, freezer, local("2026-11-06 09:00:01"))
    assert len(phones["mia"]) == before
    await move_to(hass, freezer, local("2026-11-06 17:58:01"))
    assert _messages(phones["mia"])[before:] == ["Mia, time for Plants."]


async def test_no_repeat_after_restart_and_one_catch_up(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    freezer.move_to(local("2026-11-23 18:00"))
    dishes = _daily("Dishes", "19:30:00")
    options = {**OPTIONS, "lead_minutes": 0}
    entry = await _setup(hass, _bins(), dishes, options=options)
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    assert _messages(phones["mia"]) == ["Mia, time for Bins."]
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len(phones["mia"]) == 1

    await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(local("2026-11-23 22:10"))
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    # Bins' repeats and Dishes' reminders that fell due: one message.
    assert len(phones["mia"]) == 2
    assert phones["mia"][1].data["title"] == "Home: 2 reminders"
    assert phones["mia"][1].data["message"] == (
        "While Home Assistant was offline these fell due: Bins, Dishes."
    )
    await move_to(hass, freezer, local("2026-11-23 22:30:01"))
    assert len(phones["mia"]) == 3


async def test_a_reminder_due_while_the_writers_close_is_sent_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """A reload stops the reminder timers before it closes the writers: one
    falling due while they close is not sent unrecorded, then again after."""
    freezer.move_to(local("2026-11-23 18:59"))
    entry = await _setup(hass, _bins(), options={**OPTIONS, "lead_minutes": 0})
    weight = entry.runtime_data.writers["weight"]
    close = weight.async_close

    async def due_while_closing() -> None:
        # The household's writer is closed; this one is the last to close.
        await move_to(hass, freezer, local("2026-11-23 19:00:01"))
        await close()

    with patch.object(weight, "async_close", due_while_closing):
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    await move_to(hass, freezer, local("2026-11-23 19:00:02"))
    assert len(phones["mia"]) == 1


async def test_digest_and_send_reminder_for_a_chore(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    freezer.move_to(local("2026-11-23 06:00"))
    await _setup(
        hass,
        _bins(),
        chore("Laundry", recurrence="daily", start_date="2026-11-22"),
        options={**OPTIONS, "digest_time": "07:00:00", "lead_minutes": 0},
    )
    await move_to(hass, freezer, local("2026-11-23 07:00:00"))
    assert _messages(phones["mia"]) == ["1 chores today: Bins."]
    assert phones["mia"][0].data["title"] == "Today for Mia"

    response = await call(hass, "send_reminder", {"chore": "Bins"}, response=True)
    assert response == {"targets": {"notify.mobile_app_mia": "sent"}}
    assert _messages(phones["mia"])[-1] == "Mia, time for Bins."
    with pytest.raises(ServiceValidationError) as raised:
        await call(hass, "send_reminder", {"title": "Nothing"})
    assert raised.value.translation_key == "reminder_needs_message"


async def test_persistent_reminder_dismissed_when_done(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 18:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        subentries_data=[member("Mia"), _bins()],
    )
    entry.add_to_hass(hass)
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert notifications["auto_home_chore_chore_bins"]["message"] == (
        "Mia, time for Bins."
    )
    await call(hass, "complete_chore", {"chore": "Bins"})
    assert "auto_home_chore_chore_bins" not in notifications


QUIET = {"quiet_start": "22:00:00", "quiet_end": "07:00:00"}
NIGHT = {**OPTIONS, **QUIET, "lead_minutes": 0}


async def _close(hass: HomeAssistant, how: str) -> None:
    """Complete, skip or snooze Bins the way a household member would."""
    if how.startswith("phone_"):
        action = how.removeprefix("phone_").upper()
        hass.bus.async_fire(
            "mobile_app_notification_action",
            {"action": f"AUTO_HOME_{action}_chore_bins"},
        )
        await hass.async_block_till_done()
    elif how == "todo":
        await hass.services.async_call(
            "todo",
            "update_item",
            {"item": "Bins", "status": "completed"},
            target={"entity_id": "todo.chores"},
            blocking=True,
        )
    elif how == "button":
        await hass.services.async_call(
            "button", "press", {"entity_id": "button.bins_complete"}, blocking=True
        )
    elif how == "snooze_chore":
        await call(hass, how, {"chore": "Bins", "until": "2026-11-24 08:00:00"})
    else:
        await call(hass, how, {"chore": "Bins"})
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    "how",
    [
        "complete_chore",
        "skip_chore",
        "snooze_chore",
        "todo",
        "button",
        "phone_done",
        "phone_skip",
        "phone_snooze",
    ],
)
async def test_chore_closed_in_quiet_hours_is_not_reminded_after(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    how: str,
) -> None:
    """Bins due 23:00 is held; done (or skipped, snoozed) at 23:30, however it
    is done: at 07:00 neither the reminder nor a done message arrives."""
    freezer.move_to(local("2026-11-23 21:00"))
    entry = await _setup(
        hass, _daily("Bins", "23:00:00"), options={**NIGHT, "repeat_limit": 0}
    )
    await move_to(hass, freezer, local("2026-11-23 23:00:01"))
    assert phones["mia"] == []
    assert entry.runtime_data.reminders.deferred != {}

    await move_to(hass, freezer, local("2026-11-23 23:30:00"))
    await _close(hass, how)
    assert entry.runtime_data.reminders.deferred == {}
    for moment in ("00:30:01", "03:00:00", "07:00:01"):
        await move_to(hass, freezer, local(f"2026-11-24 {moment}"))
    # Only the phone's snooze (1 h) ended in the night: its reminder is true.
    expected = ["Mia, time for Bins."] if how == "phone_snooze" else []
    assert _messages(phones["mia"]) == expected
    assert phones["leo"] == []


async def test_held_reminder_survives_restart_and_only_if_still_open(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """A restart in the middle of quiet hours keeps what is held, keyed."""
    freezer.move_to(local("2026-11-23 21:00"))
    dishes = _daily("Dishes", "23:00:00")
    entry = await _setup(hass, _daily("Bins", "23:00:00"), dishes, options=NIGHT)
    await move_to(hass, freezer, local("2026-11-23 23:00:01"))
    await hass.config_entries.async_unload(entry.entry_id)
    freezer.move_to(local("2026-11-24 02:00"))
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "complete_chore", {"chore": "Bins"})

    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    # Only Dishes is still true; sent as itself, with its buttons and tag.
    assert _messages(phones["mia"]) == ["Mia, time for Dishes."]
    sent = phones["mia"][0].data
    assert sent["data"]["tag"] == "auto_home_chore_chore_dishes"
    assert sent["data"]["actions"][0]["action"] == "AUTO_HOME_DONE_chore_dishes"
    # It was delivered, so its done message replaces it.
    await call(hass, "complete_chore", {"chore": "Dishes"})
    assert _messages(phones["mia"])[-1] == "Dishes: done by Mia. ✓"


async def test_repeats_held_in_quiet_hours_arrive_as_the_latest_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """Due and overdue reminders of one chore share its tag: the phone would
    only show the last, so only the last is held."""
    freezer.move_to(local("2026-11-23 21:00"))
    await _setup(
        hass, _daily("Bins", "22:30:00"), options={**NIGHT, "escalate_after": 0}
    )
    for moment in ("22:30:01", "23:30:01", "00:30:01", "01:30:01", "07:00:01"):
        day = "2026-11-23" if moment > "12" else "2026-11-24"
        await move_to(hass, freezer, local(f"{day} {moment}"))
    assert _messages(phones["mia"]) == ["Mia, Bins is overdue."]


async def test_deleted_chore_leaves_no_reminder(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """Deleting a chore dismisses what was sent and drops what is held."""
    freezer.move_to(local("2026-11-23 18:00"))
    options = {**NIGHT, "household_targets": ["persistent_notification"]}
    dishes = _daily("Dishes", "23:00:00")
    entry = await _setup(
        hass, _daily("Bins", "19:00:00", assignees=[]), dishes, options=options
    )
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert "auto_home_chore_chore_bins" in notifications
    await move_to(hass, freezer, local("2026-11-23 23:00:01"))
    assert phones["mia"] == []

    hass.config_entries.async_remove_subentry(entry, "chore_bins")
    hass.config_entries.async_remove_subentry(entry, "chore_dishes")
    await hass.async_block_till_done()
    assert "auto_home_chore_chore_bins" not in notifications
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert phones["mia"] == []
    assert entry.runtime_data.reminders.chores.sent == {}


async def test_snooze_clears_a_sent_reminder_from_any_path(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    freezer.move_to(local("2026-11-23 18:00"))
    await _setup(hass, _bins(), options={**OPTIONS, "lead_minutes": 0})
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    await call(hass, "snooze_chore", {"chore": "Bins", "duration": "01:00:00"})
    assert phones["mia"][-1].data == {
        "message": "clear_notification",
        "data": {"tag": "auto_home_chore_chore_bins"},
    }


async def test_held_reminders_of_0_1_are_migrated(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    hass_storage: dict[str, Any],
) -> None:
    """0.1 held {title, message} only: a chore's is recognised by its title."""
    freezer.move_to(local("2026-11-23 23:30"))
    entry_id = "household"
    hass_storage[f"{DOMAIN}.{entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{entry_id}",
        "data": {
            "reminders": {
                "deferred": {
                    "notify.mobile_app_mia": [
                        {"title": "Chore: Bins", "message": "Mia, time for Bins."},
                        {"title": "Home", "message": "Feed the cat"},
                    ]
                },
                "failures": {},
                "sent": 0,
                "recheck_sent": {},
                "chores": {},
            }
        },
    }
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        entry_id=entry_id,
        title="Home",
        data={},
        options=NIGHT,
        subentries_data=[
            member("Mia", notify_targets=["notify.mobile_app_mia"]),
            _daily("Bins", "23:00:00"),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "complete_chore", {"chore": "Bins"})
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    assert _messages(phones["mia"]) == ["Feed the cat"]


@pytest.mark.parametrize(
    ("how", "told"),
    [
        ("complete_chore", "Bins: done by Mia. ✓"),
        ("phone_done", "Bins: done by Mia. ✓"),
        ("todo", "Bins: done by Mia. ✓"),
        ("skip_chore", "Bins: skipped this time."),
        ("phone_skip", "Bins: skipped this time."),
    ],
)
async def test_reminder_that_arrived_is_replaced_alike_from_every_path(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
    how: str,
    told: str,
) -> None:
    """The bus event and the listener key reach the reminders in an order that
    depends on the path; the outcome does not."""
    freezer.move_to(local("2026-11-23 18:00"))
    entry = await _setup(hass, _bins(), options={**OPTIONS, "lead_minutes": 0})
    await move_to(hass, freezer, local("2026-11-23 19:00:01"))
    await _close(hass, how)
    assert _messages(phones["mia"]) == ["Mia, time for Bins.", told]
    assert phones["mia"][-1].data["data"]["tag"] == "auto_home_chore_chore_bins"
    # Nothing more for the closed occurrence, and nothing kept to tell.
    await move_to(hass, freezer, local("2026-11-23 20:00:01"))
    assert len(phones["mia"]) == 2
    assert not entry.runtime_data.reminders.chores.sent.get("chore_bins", {}).get(
        "targets"
    )


async def test_persistent_reminder_held_and_done_in_the_night_never_shows(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 21:00"))
    options = {**NIGHT, "household_targets": ["persistent_notification"]}
    await _setup(hass, _daily("Bins", "23:00:00", assignees=[]), options=options)
    await move_to(hass, freezer, local("2026-11-23 23:00:01"))
    await move_to(hass, freezer, local("2026-11-23 23:30:00"))
    await call(hass, "complete_chore", {"chore": "Bins"})
    await move_to(hass, freezer, local("2026-11-24 07:00:01"))
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert not [key for key in notifications if key.startswith(DOMAIN)]


async def test_clock_jump_sends_only_the_latest_repeat(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """A suspended host or an NTP jump: the repeats that fell due go out once."""
    freezer.move_to(local("2026-11-23 18:00"))
    await _setup(hass, _bins())
    for moment in ("18:30:01", "19:00:01"):
        await move_to(hass, freezer, local(f"2026-11-23 {moment}"))
    sent = len(phones["mia"])
    assert _messages(phones["mia"])[-1] == "Mia, time for Bins."
    # Home Assistant runs on, its clock 24 hours later all at once.
    await move_to(hass, freezer, local("2026-11-24 19:00:01"))
    # The latest repeat that fell due (past the escalation), not each of them.
    assert _messages(phones["mia"])[sent:] == [
        "Bins is still not done; it was Mia's turn."
    ]
    assert _messages(phones["leo"]) == ["Bins is still not done; it was Mia's turn."]
    # The repeat limit is reached: nothing more follows.
    await move_to(hass, freezer, local("2026-11-24 23:00:01"))
    assert len(phones["mia"]) == sent + 1


async def test_clock_set_back_holds_the_reminder_until_due(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    phones: dict[str, list[ServiceCall]],
) -> None:
    """A timer that runs while the wall clock was set back sends nothing yet."""
    freezer.move_to(local("2026-11-23 18:00"))
    await _setup(hass, _bins())
    # The lead reminder's timer runs, but by the clock it is still 18:00.
    async_fire_time_changed(hass, local("2026-11-23 18:30:01"))
    await hass.async_block_till_done()
    assert phones["mia"] == []
    await move_to(hass, freezer, local("2026-11-23 18:30:01"))
    assert _messages(phones["mia"]) == ["Mia, Bins is coming up at 19:00."]


async def test_new_all_day_time_moves_the_reminder_shown(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-01 07:00"))
    plants = chore("Plants", recurrence="daily", start_date="2026-11-01")
    entry = await _setup(hass, plants, options={**OPTIONS, "lead_minutes": 0})
    sensor = "sensor.plants_next_due"
    assert attributes(hass, sensor)["reminder_at"] == "2026-11-01T09:00:00+01:00"
    hass.config_entries.async_update_entry(
        entry, options={**OPTIONS, "lead_minutes": 0, "all_day_time": "10:30:00"}
    )
    await hass.async_block_till_done()
    assert attributes(hass, sensor)["reminder_at"] == "2026-11-01T10:30:00+01:00"
