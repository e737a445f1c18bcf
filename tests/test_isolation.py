"""Extreme dates, transactional changes and per-item isolation of stored state."""

from datetime import timedelta
import hashlib
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import MATCH_ALL, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.auto_home import weight_feature
from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.domain import chore as chore_state

from .chore_helpers import call, local, reload, setup_household
from .conftest import chore, member

NEXT_DUE = "sensor.water_plants_next_due"


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float):
    freezer.tick(timedelta(seconds=seconds))
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


async def _setup_stored(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    subentries: list[Any],
    stores: dict[str, dict[str, Any]],
) -> MockConfigEntry:
    """Set up a Berlin household whose store files (by key suffix) hold `stores`."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN, title="Home", data={}, subentries_data=subentries
    )
    for suffix, data in stores.items():
        key = f"{DOMAIN}.{entry.entry_id}{suffix}"
        hass_storage[key] = {"version": 1, "minor_version": 1, "key": key, "data": data}
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _issue_id(entry: MockConfigEntry, feature: str, item_id: str) -> str:
    """Return a damaged item's issue id: its id hashed, as in diagnostics."""
    digest = hashlib.sha256(f"{entry.entry_id}{item_id}".encode()).hexdigest()
    return f"damaged_{feature}_{digest[:8]}"


def _plants() -> Any:
    return chore(
        "Water plants",
        recurrence="daily",
        start_date="2026-11-23",
        assignees=["member_mia", "member_leo"],
    )


async def test_snooze_until_year_9999_then_complete_and_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass, _plants())

    before = hass.states.get(NEXT_DUE).state
    # The boundary refuses it now; the stored case is the next test.
    with pytest.raises(ServiceValidationError) as refused:
        await call(
            hass,
            "snooze_chore",
            {"chore": "Water plants", "until": "9999-12-31 23:59:00"},
        )
    assert refused.value.translation_key == "snooze_too_far"
    assert hass.states.get(NEXT_DUE).state == before
    result = await call(
        hass, "complete_chore", {"chore": "Water plants"}, response=True
    )
    assert result["counted"] is True
    assert result["snoozed_until"] is None
    await reload(hass, entry)

    assert entry.state is ConfigEntryState.LOADED
    # An all-day chore: its day, not midnight as a timestamp.
    assert hass.states.get(NEXT_DUE).state == "2026-11-24"


async def test_stored_dates_at_the_end_of_time_load(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    rule = {
        "kind": "daily",
        "start": "2026-11-23",
        "interval": 1,
        "weekdays": [],
        "month_day": None,
        "week_of_month": None,
        "weekday": None,
        "due_time": None,
    }
    stored = {
        "": {
            "chores": {
                "chore_water_plants": {
                    "day": "9999-12-31",
                    "rule": rule,
                    "assignees": ["member_mia", "member_leo"],
                    "assignee": "member_mia",
                    "snoozed_until": "9999-12-31T23:59:59.999999+00:00",
                    "last_completed": None,
                    "last_completed_by": None,
                    "last_action": "completed",
                    "streak": 3,
                    "counts": {},
                    "last_done": {},
                    "history": [],
                    "announced": "done",
                }
            }
        },
    }
    entry = await _setup_stored(
        hass, hass_storage, [member("Mia"), member("Leo"), _plants()], stored
    )

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(NEXT_DUE).state != STATE_UNAVAILABLE
    result = await call(
        hass, "complete_chore", {"chore": "Water plants"}, response=True
    )
    assert result["counted"] is False
    await call(hass, "skip_chore", {"chore": "Water plants"})
    await reload(hass, entry)
    assert entry.state is ConfigEntryState.LOADED


def _fail(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("cannot be computed")


@pytest.mark.parametrize(
    ("service", "data", "target"),
    [
        # Rotation comes after the history, streak and counts changed.
        ("complete_chore", {}, "next_available"),
        # The next date comes after the skip was recorded.
        ("skip_chore", {}, "Chore._first_not_overdue"),
        ("snooze_chore", {"duration": "01:00:00"}, "Chore.next_change"),
        ("reassign_chore", {"member": "Leo"}, "Chore.next_change"),
    ],
)
async def test_a_change_that_fails_midway_changes_nothing(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    service: str,
    data: dict[str, Any],
    target: str,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass, _plants())
    await _tick(hass, freezer, 60)
    chores = entry.runtime_data.chores
    before = chores.chores["chore_water_plants"].state.as_dict()
    stored = hass_storage[f"{DOMAIN}.{entry.entry_id}"]
    shown = hass.states.get(NEXT_DUE)
    events = async_capture_events(hass, MATCH_ALL)

    owner, _, name = target.rpartition(".")
    monkeypatch.setattr(
        getattr(chore_state, owner) if owner else chore_state, name, _fail
    )
    with pytest.raises(RuntimeError):
        await call(hass, service, {"chore": "Water plants", **data})
    monkeypatch.undo()
    await _tick(hass, freezer, 60)

    assert chores.chores["chore_water_plants"].state.as_dict() == before
    assert hass_storage[f"{DOMAIN}.{entry.entry_id}"] is stored
    assert hass.states.get(NEXT_DUE) == shown
    assert [
        event.event_type for event in events if event.event_type.startswith(DOMAIN)
    ] == []
    # And the chore still works.
    result = await call(
        hass, "complete_chore", {"chore": "Water plants"}, response=True
    )
    assert result["counted"] is True


async def test_an_assignment_that_fails_keeps_the_reading_unassigned(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, monkeypatch: pytest.MonkeyPatch
) -> None:
    weight = loaded_entry.runtime_data.weight
    result = await call(hass, "record_weight", {"weight": 62.0}, response=True)
    assert result["assigned"] is False
    (reading_id,) = weight.unassigned

    monkeypatch.setattr(weight_feature, "_feed", _fail)
    with pytest.raises(RuntimeError):
        await call(hass, "assign_weight", {"reading_id": reading_id, "member": "Mia"})
    monkeypatch.undo()

    assert list(weight.unassigned) == [reading_id]
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert f"{DOMAIN}_weight_{reading_id}" in notifications
    await call(hass, "assign_weight", {"reading_id": reading_id, "member": "Mia"})
    assert weight.unassigned == {}
    assert hass.states.get("sensor.mia_weight").state == "62.0"
    assert hass.states.get("sensor.mia_weight").attributes["unassigned_readings"] == 0


_DAMAGED = {
    "chores": (
        "",
        ["chores", "chore_water_plants"],
        {"day": "someday", "rule": {}, "history": 7},
        [
            NEXT_DUE,
            "binary_sensor.water_plants_overdue",
            "button.water_plants_complete",
        ],
    ),
    "temperature": (
        ".temperature",
        ["member_mia"],
        {"tracker": {"episode": "hot"}, "latest": [38.5]},
        [
            "sensor.mia_body_temperature",
            "sensor.mia_fever_status",
            "sensor.mia_next_temperature_check",
            "binary_sensor.mia_fever",
        ],
    ),
    "weight": (
        ".weight",
        ["members", "member_mia"],
        {"tracker": "heavy", "recent": [["yesterday", 62.0]], "readings": 1},
        [
            "sensor.mia_weight",
            "sensor.mia_weight_trend",
            "sensor.mia_weekly_weight_change",
            "sensor.mia_weight_forecast_30_days",
            "sensor.mia_goal_date",
        ],
    ),
}
_HEALTHY = [
    "sensor.mia_chores_due_today",
    "sensor.leo_body_temperature",
    "sensor.leo_weight",
    "todo.chores",
    "calendar.chores",
]


def _section(data: dict[str, Any], path: list[str]) -> Any:
    for key in path:
        data = data[key]
    return data


@pytest.mark.parametrize("feature", list(_DAMAGED))
async def test_a_damaged_item_is_isolated_and_reset_by_its_repair(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    caplog: pytest.LogCaptureFixture,
    feature: str,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    assert await async_setup_component(hass, "repairs", {})
    suffix, path, damaged, entities = _DAMAGED[feature]
    data: dict[str, Any] = {}
    section = data
    for step in path[:-1]:
        section = section.setdefault(step, {})
    section[path[-1]] = damaged
    entry = await _setup_stored(
        hass,
        hass_storage,
        [member("Mia"), member("Leo"), _plants()],
        {suffix: data},
    )
    key = f"{DOMAIN}.{entry.entry_id}{suffix}"

    assert entry.state is ConfigEntryState.LOADED
    for entity_id in entities:
        assert hass.states.get(entity_id).state == STATE_UNAVAILABLE, entity_id
    for entity_id in _HEALTHY:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE, entity_id
    name = "Water plants" if feature == "chores" else "Mia"
    issue = issue_registry.async_get_issue(DOMAIN, _issue_id(entry, feature, path[-1]))
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_key == f"{feature}_damaged"
    assert issue.translation_placeholders == {"name": name}
    assert str(damaged) in caplog.text
    assert caplog.text.count("cannot be used") == 1
    # The damaged section is written back as it was, not dropped.
    coordinator = entry.runtime_data
    await coordinator.writers[suffix.lstrip(".") or "household"].async_write()
    assert _section(hass_storage[key]["data"], path) == damaged
    if feature == "chores":
        with pytest.raises(ServiceValidationError) as err:
            await call(hass, "complete_chore", {"chore": "Water plants"})
        assert err.value.translation_key == "chore_damaged"
    else:
        # Readings go on for the member meanwhile, and are kept by the reset.
        await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.6})
        await call(hass, "record_weight", {"member": "Mia", "weight": 61.0})

    flows = hass.data["repairs"]["flow_manager"]
    result = await flows.async_init(DOMAIN, data={"issue_id": issue.issue_id})
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "confirm"
    assert result["description_placeholders"] == {"name": name}
    result = await flows.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    for entity_id in entities:
        assert hass.states.get(entity_id).state != STATE_UNAVAILABLE, entity_id
    assert issue_registry.async_get_issue(DOMAIN, issue.issue_id) is None
    await _tick(hass, freezer, 60)
    assert _section(hass_storage[key]["data"], path) != damaged
    if feature == "chores":
        result = await call(
            hass, "complete_chore", {"chore": "Water plants"}, response=True
        )
        assert result["counted"] is True
    elif feature == "temperature":
        assert hass.states.get("sensor.mia_body_temperature").state == "38.6"
    else:
        assert hass.states.get("sensor.mia_weight").state == "61.0"


async def test_the_issue_of_a_removed_damaged_chore_goes_with_it(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    assert await async_setup_component(hass, "repairs", {})
    entry = await _setup_stored(
        hass,
        hass_storage,
        [member("Mia"), _plants(), chore("Bins")],
        {"": {"chores": {"chore_water_plants": ["garbage"]}}},
    )
    issue_id = _issue_id(entry, "chores", "chore_water_plants")
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is not None
    flows = hass.data["repairs"]["flow_manager"]
    result = await flows.async_init(DOMAIN, data={"issue_id": issue_id})

    # Removing the chore reloads the household: its issue is dropped.
    hass.config_entries.async_remove_subentry(entry, "chore_water_plants")
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert hass.states.get("sensor.bins_next_due").state != STATE_UNAVAILABLE
    # A flow opened before finds nothing to reset.
    result = await flows.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "household_not_loaded"


async def test_a_chore_whose_rule_cannot_be_planned_is_isolated(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(
        hass, _plants(), chore("Bins", recurrence="weekly", weekdays=[])
    )
    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.bins_next_due").state == STATE_UNAVAILABLE
    assert hass.states.get(NEXT_DUE).state != STATE_UNAVAILABLE
    issue = issue_registry.async_get_issue(
        DOMAIN, _issue_id(entry, "chores", "chore_bins")
    )
    # A reset would not help: it asks to reconfigure the chore instead.
    assert issue.translation_key == "chores_unusable"
    assert not issue.is_fixable
    await entry.runtime_data.writers["household"].async_write()
    # Nothing was stored for it, and nothing is made up.
    assert (
        "chore_bins" not in hass_storage[f"{DOMAIN}.{entry.entry_id}"]["data"]["chores"]
    )


@pytest.mark.parametrize("minor_version", [1, 2])
async def test_a_held_reminder_that_cannot_be_read_is_dropped_alone(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    freezer: FrozenDateTimeFactory,
    minor_version: int,
) -> None:
    """A garbage held message neither fails the household nor, in a 0.1 file,
    sets the household file aside: it is dropped with a warning, the rest kept."""
    # Before the chore's own reminder time, which would add a notification.
    freezer.move_to(local("2026-11-23 08:00"))
    good = {"title": "Auto Home", "message": "Feed the cat", "tag": "note"}
    entry = MockConfigEntry(
        domain=DOMAIN, title="Home", data={}, subentries_data=[_plants()]
    )
    key = f"{DOMAIN}.{entry.entry_id}"
    hass_storage[key] = {
        "version": 1,
        "minor_version": minor_version,
        "key": key,
        "data": {
            "reminders": {
                "sent": 7,
                "deferred": {
                    "persistent_notification": ["garbage", {"title": 3}, good],
                    "notify.gone": "garbage",
                },
            },
        },
    }
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    # Outside quiet hours what waited is delivered at start: the readable one.
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert [n["message"] for n in notifications.values()] == ["Feed the cat"]
    assert entry.runtime_data.reminders.deferred == {}
    # The rest of the file was kept, not set aside: 7 sent before, 1 now.
    assert entry.runtime_data.reminders.sent == 8
    assert "held reminders" in caplog.text
