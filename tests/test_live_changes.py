"""Members and chores added, changed and deleted while the household runs.

No reload: only the entities of what changed change; everyone else's states,
fever episodes, timers and held reminders stay exactly as they were.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from types import MappingProxyType
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState, ConfigSubentry
from homeassistant.const import EVENT_STATE_CHANGED, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import call, local
from .conftest import chore, member

TODO = "todo.chores"
CALENDAR = "calendar.chores"


def _dishes(**data: Any) -> Any:
    return chore(
        "Dishes",
        recurrence="daily",
        start_date="2026-11-23",
        due_time="20:00:00",
        assignees=["member_leo"],
        **data,
    )


async def _household(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> Any:
    """Mia with an open fever episode, Leo with a held reminder, two chores."""
    freezer.move_to(local("2026-11-23 23:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        options={"quiet_start": "22:00:00", "quiet_end": "07:00:00"},
        subentries_data=[
            member("Mia", caregivers=["member_leo"]),
            member("Leo"),
            _dishes(),
            chore(
                "Trash", recurrence="weekly", weekdays=["mon"], start_date="2026-11-23"
            ),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.6})
    await call(hass, "send_reminder", {"members": ["Leo"], "message": "Bins out"})
    assert hass.states.get("binary_sensor.mia_fever").state == "on"
    assert entry.runtime_data.reminders.deferred
    return entry


def _own(hass: HomeAssistant, entry: Any, *subentry_ids: str) -> set[str]:
    """Return the entity ids of the members' or chores' own devices."""
    return {
        entity.entity_id
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
        if entity.config_subentry_id in subentry_ids
    }


@contextmanager
def _changes(hass: HomeAssistant) -> Iterator[dict[str, list[Any]]]:
    """Collect every state written meanwhile, per entity (None: removed)."""
    changed: dict[str, list[Any]] = {}

    @callback
    def _record(event: Event) -> None:
        new = event.data["new_state"]
        changed.setdefault(event.data["entity_id"], []).append(
            None if new is None else new.state
        )

    remove = hass.bus.async_listen(EVENT_STATE_CHANGED, _record)
    try:
        yield changed
    finally:
        remove()


def _snapshot(hass: HomeAssistant) -> dict[str, Any]:
    return {state.entity_id: state for state in hass.states.async_all()}


def _assert_untouched(
    hass: HomeAssistant, before: dict[str, Any], allowed: set[str]
) -> None:
    """Every other entity's state object is the very one it was."""
    for entity_id, state in before.items():
        if entity_id in allowed:
            continue
        now = hass.states.get(entity_id)
        assert now is state, entity_id
        assert now.state != STATE_UNAVAILABLE, entity_id


async def test_add_change_delete_a_member_touches_only_that_member(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _household(hass, freezer)
    coordinator = entry.runtime_data
    episode = coordinator.temperature.members["member_mia"].tracker.episode
    held = coordinator.reminders.deferred
    mia_timers = {key: key in coordinator.reminders.timers for key in ["member_mia"]}
    assert mia_timers == {"member_mia": True}
    before = _snapshot(hass)

    # Added through the member flow: its device and entities come at once.
    with _changes(hass) as changed:
        result = await hass.config_entries.subentries.async_init(
            (entry.entry_id, "member"), context={"source": SOURCE_USER}
        )
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"name": "Ava", "height": 120}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY
        await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    ava = next(s.subentry_id for s in entry.subentries.values() if s.title == "Ava")
    ava_entities = _own(hass, entry, ava)
    assert "sensor.ava_bmi" in ava_entities
    assert hass.states.get("sensor.ava_body_temperature").state == "unknown"
    assert set(changed) == ava_entities
    _assert_untouched(hass, before, ava_entities)
    # And it works: a reading of hers is hers.
    await call(hass, "record_temperature", {"member": "Ava", "temperature": 36.8})
    assert hass.states.get("sensor.ava_body_temperature").state == "36.8"

    # Changed: Mia gets Ava as a second caregiver and a birth date.
    before = _snapshot(hass)
    mia = entry.subentries["member_mia"]
    with _changes(hass) as changed:
        hass.config_entries.async_update_subentry(
            entry,
            mia,
            title="Mia Lin",
            data=dict(mia.data) | {"caregivers": ["member_leo", ava]},
        )
        await hass.async_block_till_done()
    mia_entities = _own(hass, entry, "member_mia")
    assert set(changed) <= mia_entities
    # The device is renamed; the episode goes on, never unavailable.
    assert "on" in changed.get("binary_sensor.mia_fever", ["on"])
    assert not any(STATE_UNAVAILABLE in states for states in changed.values())
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, "member_mia"), entry.entry_id
    )
    assert device.name == "Mia Lin"
    assert hass.states.get("binary_sensor.mia_fever").attributes["friendly_name"] == (
        "Mia Lin Fever"
    )
    _assert_untouched(hass, before, mia_entities)
    assert coordinator.temperature.members["member_mia"].tracker.episode is episode
    assert coordinator.reminders.caregiver_targets("member_mia") == [
        "persistent_notification"
    ]

    # A height removed takes the BMI sensor away, and only it.
    before = _snapshot(hass)
    ava_sub = entry.subentries[ava]
    with _changes(hass) as changed:
        hass.config_entries.async_update_subentry(
            entry,
            ava_sub,
            data={key: value for key, value in ava_sub.data.items() if key != "height"},
        )
        await hass.async_block_till_done()
    assert hass.states.get("sensor.ava_bmi") is None
    assert er.async_get(hass).async_get("sensor.ava_bmi") is None
    assert set(changed) <= ava_entities
    _assert_untouched(hass, before, ava_entities)

    # Deleted: device, entities and files go; Mia and Leo stay as they were.
    before = _snapshot(hass)
    with _changes(hass) as changed:
        assert hass.config_entries.async_remove_subentry(entry, ava)
        await hass.async_block_till_done()
    assert set(changed) <= ava_entities
    assert all(states == [None] for states in changed.values())
    assert not _own(hass, entry, ava)
    assert (
        dr.async_get(hass).async_get_device_by_identifier((DOMAIN, ava), entry.entry_id)
        is None
    )
    assert ava not in coordinator.temperature.members
    assert ava not in coordinator.weight.members
    _assert_untouched(hass, before, ava_entities)
    assert coordinator.temperature.members["member_mia"].tracker.episode is episode
    assert "member_mia" in coordinator.reminders.timers
    assert coordinator.reminders.deferred == held
    assert entry.state is ConfigEntryState.LOADED


async def test_add_change_delete_a_chore_touches_only_that_chore(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _household(hass, freezer)
    coordinator = entry.runtime_data
    episode = coordinator.temperature.members["member_mia"].tracker.episode
    held = dict(coordinator.reminders.deferred)
    dishes_timer = "chore_dishes" in coordinator.chores.timers
    assert dishes_timer
    # The household's lists and its chores-due-today count follow every chore.
    lists = {TODO, CALENDAR, "sensor.household_chores_due_today"}
    before = _snapshot(hass)

    # Added: its entities at once; the household's lists and its assignee's
    # "chores due today" and own list are the only others that may change.
    laundry = ConfigSubentry(
        subentry_type="chore",
        title="Laundry",
        unique_id=None,
        data=MappingProxyType(
            {
                "recurrence": "daily",
                "start_date": "2026-11-23",
                "assignees": ["member_mia"],
            }
        ),
    )
    with _changes(hass) as changed:
        assert hass.config_entries.async_add_subentry(entry, laundry)
        await hass.async_block_till_done()
    laundry_entities = _own(hass, entry, laundry.subentry_id)
    assert laundry_entities == {
        "sensor.laundry_next_due",
        "binary_sensor.laundry_overdue",
        "button.laundry_complete",
    }
    allowed = (
        laundry_entities | lists | {"sensor.mia_chores_due_today", "todo.mia_chores"}
    )
    assert set(changed) <= allowed
    _assert_untouched(hass, before, allowed)
    assert coordinator.chores.chores[laundry.subentry_id].state.assignee == "member_mia"
    assert "Laundry" in [
        item["summary"]
        for item in (
            await hass.services.async_call(
                "todo",
                "get_items",
                {},
                target={"entity_id": TODO},
                blocking=True,
                return_response=True,
            )
        )[TODO]["items"]
    ]

    # Changed: Dishes moves to 21:00. Its own entities and the lists only;
    # its state (streak, completions) is kept.
    await call(hass, "complete_chore", {"chore": "Dishes"})
    streak = coordinator.chores.chores["chore_dishes"].state.streak
    before = _snapshot(hass)
    dishes = entry.subentries["chore_dishes"]
    with _changes(hass) as changed:
        hass.config_entries.async_update_subentry(
            entry, dishes, data=dict(dishes.data) | {"due_time": "21:00:00"}
        )
        await hass.async_block_till_done()
    dishes_entities = _own(hass, entry, "chore_dishes")
    allowed = (
        dishes_entities | lists | {"sensor.leo_chores_due_today", "todo.leo_chores"}
    )
    assert set(changed) <= allowed
    _assert_untouched(hass, before, allowed)
    assert coordinator.chores.chores["chore_dishes"].state.streak == streak
    due = coordinator.chores.chores["chore_dishes"].due_at
    assert due is not None
    assert due.astimezone(local("2026-11-24 00:00").tzinfo).hour == 21

    # Deleted: its device, entities, timers and records go; nothing else moves.
    before = _snapshot(hass)
    with _changes(hass) as changed:
        assert hass.config_entries.async_remove_subentry(entry, laundry.subentry_id)
        await hass.async_block_till_done()
    allowed = (
        laundry_entities | lists | {"sensor.mia_chores_due_today", "todo.mia_chores"}
    )
    assert set(changed) <= allowed
    assert all(changed[entity_id] == [None] for entity_id in laundry_entities)
    _assert_untouched(hass, before, allowed)
    assert laundry.subentry_id not in coordinator.chores.chores
    assert laundry.subentry_id not in coordinator.chores.timers
    assert "chore_dishes" in coordinator.chores.timers
    assert coordinator.temperature.members["member_mia"].tracker.episode is episode
    assert coordinator.reminders.deferred == held
    assert entry.state is ConfigEntryState.LOADED


async def test_a_deleted_members_chores_pass_to_the_others(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await _household(hass, freezer)
    dishes = entry.subentries["chore_dishes"]
    hass.config_entries.async_update_subentry(
        entry,
        dishes,
        data=dict(dishes.data) | {"assignees": ["member_leo", "member_mia"]},
    )
    await hass.async_block_till_done()
    chores = entry.runtime_data.chores
    assert chores.chores["chore_dishes"].state.assignee == "member_leo"
    assert hass.config_entries.async_remove_subentry(entry, "member_leo")
    await hass.async_block_till_done()
    assert chores.chores["chore_dishes"].state.assignee == "member_mia"
    assert hass.states.get("sensor.dishes_next_due").attributes["assignee"] == "Mia"
    # What was held for Leo is no longer sent.
    assert not any(
        message.about == "member_leo"
        for messages in entry.runtime_data.reminders.deferred.values()
        for message in messages
    )


async def test_options_apply_without_a_reload(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Thresholds and reminder settings take effect at once; no entity blinks."""
    entry = await _household(hass, freezer)
    coordinator = entry.runtime_data
    before = _snapshot(hass)
    with _changes(hass) as changed:
        hass.config_entries.async_update_entry(
            entry, options=dict(entry.options) | {"fever": 38.8, "low_grade": 37.5}
        )
        await hass.async_block_till_done()
    assert coordinator is entry.runtime_data
    assert not any(STATE_UNAVAILABLE in states for states in changed.values())
    # 38.6 °C is now low grade: the open episode was judged by the new bounds.
    assert hass.states.get("sensor.mia_fever_status").state == "low_grade"
    assert coordinator.options.thresholds.fever == 38.8
    mia = _own(hass, entry, "member_mia")
    assert set(changed) <= mia
    _assert_untouched(hass, before, mia)

    # Quiet hours ended by the options: what waited goes now.
    with _changes(hass):
        hass.config_entries.async_update_entry(
            entry, options={"quiet_start": None, "quiet_end": None}
        )
        await hass.async_block_till_done()
    assert coordinator.reminders.deferred == {}
    assert coordinator.options.thresholds.fever == 38.0


async def test_a_thermometer_and_a_scale_linked_while_running(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A member's new thermometer and scale are followed at once; no reload."""
    entry = await _household(hass, freezer)
    coordinator = entry.runtime_data
    hass.states.async_set(
        "sensor.leo_thermometer", "36.5", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set("sensor.scale", "80.0", {"unit_of_measurement": "kg"})
    await hass.async_block_till_done()
    leo = entry.subentries["member_leo"]
    hass.config_entries.async_update_subentry(
        entry,
        leo,
        data=dict(leo.data)
        | {
            "temperature_source": "sensor.leo_thermometer",
            "weight_source": "sensor.scale",
        },
    )
    await hass.async_block_till_done()
    assert coordinator is entry.runtime_data
    freezer.tick(60)
    hass.states.async_set(
        "sensor.leo_thermometer", "37.1", {"unit_of_measurement": "°C"}
    )
    hass.states.async_set("sensor.scale", "79.6", {"unit_of_measurement": "kg"})
    await hass.async_block_till_done()
    assert hass.states.get("sensor.leo_body_temperature").state == "37.1"
    assert hass.states.get("sensor.leo_weight").state == "79.6"

    # Unlinked again: its readings are no longer Leo's.
    leo = entry.subentries["member_leo"]
    hass.config_entries.async_update_subentry(
        entry,
        leo,
        data={
            key: value
            for key, value in leo.data.items()
            if key not in ("temperature_source", "weight_source")
        },
    )
    await hass.async_block_till_done()
    freezer.tick(60)
    hass.states.async_set(
        "sensor.leo_thermometer", "38.2", {"unit_of_measurement": "°C"}
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.leo_body_temperature").state == "37.1"


async def test_what_a_reload_used_to_redo_is_done_live(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    caplog: Any,
) -> None:
    """Privacy, names shown elsewhere, repairs and reminders follow each change."""
    entry = await _household(hass, freezer)
    coordinator = entry.runtime_data
    registry = er.async_get(hass)

    # Two changes at once (one delete, one add) are each applied once.
    hass.config_entries.async_remove_subentry(entry, "member_mia")
    hass.config_entries.async_add_subentry(
        entry,
        ConfigSubentry(
            subentry_type="member",
            title="Ava",
            unique_id=None,
            data=MappingProxyType({"notify_targets": ["notify.gone"]}),
        ),
    )
    await hass.async_block_till_done()
    assert "already exists" not in caplog.text
    assert hass.states.get("sensor.ava_body_temperature") is not None
    assert hass.states.get("sensor.mia_body_temperature") is None
    # A member added live keeps their health from Assist, as one set up does.
    temperature = registry.async_get("sensor.ava_body_temperature")
    assert temperature.options["conversation"]["should_expose"] is False
    # Their notify target does not exist: the repair says so at once, and
    # goes with the member.
    issues = ir.async_get(hass).issues
    assert any(
        issue.translation_key == "missing_notify_target"
        for (domain, _), issue in issues.items()
        if domain == DOMAIN
    )
    ava = next(s.subentry_id for s in entry.subentries.values() if s.title == "Ava")
    hass.config_entries.async_remove_subentry(entry, ava)
    await hass.async_block_till_done()
    assert not any(
        issue.translation_key == "missing_notify_target"
        for (domain, _), issue in ir.async_get(hass).issues.items()
        if domain == DOMAIN
    )

    # A renamed member is renamed on the chores that name them.
    leo = entry.subentries["member_leo"]
    hass.config_entries.async_update_subentry(entry, leo, title="Leonard")
    await hass.async_block_till_done()
    assert hass.states.get("sensor.dishes_next_due").attributes["assignee"] == (
        "Leonard"
    )

    # A chore whose settings could not be used, fixed while running, is reminded.
    dishes = entry.subentries["chore_dishes"]
    good = dict(dishes.data)
    hass.config_entries.async_update_subentry(
        entry, dishes, data=good | {"recurrence": "weekly", "weekdays": []}
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.dishes_next_due").state == STATE_UNAVAILABLE
    assert "chore_dishes" not in coordinator.chores.chores
    hass.config_entries.async_update_subentry(
        entry, entry.subentries["chore_dishes"], data=good
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.dishes_next_due").state != STATE_UNAVAILABLE
    assert coordinator.reminders.chores.explain("chore_dishes")["reminder_at"]
    assert "chore_dishes" in coordinator.reminders.chores._timers


async def test_infants_have_no_adult_measures_and_are_not_offered_to_help(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """A baby's goal date, forecast and BMI are off by default; nobody is asked
    to make a baby their caregiver or give them a chore, unless already chosen."""
    freezer.move_to(local("2026-11-23 10:00"))
    await hass.config.async_set_time_zone("Europe/Berlin")
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        subentries_data=[
            member("Mia"),
            member("Noa", birth_date="2026-10-01", height=55),
            member("Leo", caregivers=["member_noa"]),
        ],
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    registry = er.async_get(hass)
    for key in ("goal_date", "weight_forecast_30_days", "bmi"):
        assert registry.async_get(f"sensor.noa_{key}").disabled_by is (
            er.RegistryEntryDisabler.INTEGRATION
        ), key
    for key in ("goal_date", "weight_forecast_30_days"):
        assert registry.async_get(f"sensor.mia_{key}").disabled_by is None
    assert hass.states.get("sensor.noa_weight") is not None

    def _offered(result: Any, field: str) -> list[str]:
        for key, value in result["data_schema"].schema.items():
            if str(key) == field:
                return [option["value"] for option in value.config["options"]]
        raise AssertionError(field)

    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "member"), context={"source": SOURCE_USER}
    )
    assert _offered(result, "caregivers") == ["member_mia", "member_leo"]
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    assert _offered(result, "assignees") == ["member_mia", "member_leo"]
    # Leo chose Noa before: reconfiguring him keeps her offered.
    result = await entry.start_subentry_reconfigure_flow(hass, "member_leo")
    assert _offered(result, "caregivers") == ["member_mia", "member_noa"]
