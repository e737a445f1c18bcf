"""Stored state that loads but is wrong, settings that cannot be used, resets."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import call, local, reload, setup_household
from .conftest import chore, member
from .test_isolation import NEXT_DUE, _issue_id, _plants, _setup_stored, _tick

_RULE = {
    "kind": "daily",
    "start": "2026-11-23",
    "interval": 1,
    "weekdays": [],
    "month_day": None,
    "week_of_month": None,
    "weekday": None,
    "due_time": None,
}
_CHORE_STATE = {
    "day": "2026-11-23",
    "rule": _RULE,
    "assignees": ["member_mia", "member_leo"],
    "assignee": "member_mia",
    "snoozed_until": None,
    "last_completed": "2026-11-20T10:00:00+00:00",
    "last_completed_by": "member_mia",
    "last_action": "completed",
    "streak": 2,
    "counts": {"member_mia": 2},
    "last_done": {"member_mia": "2026-11-20T10:00:00+00:00"},
    "history": [],
    "announced": None,
}
_READING = ["2026-11-22T08:00:00+00:00", 61.0, False, "sensor.scale"]
_DONE = {
    "day": "2026-11-20",
    "at": "2026-11-20T10:00:00+00:00",
    "action": "completed",
    "by": "member_mia",
    "on_time": True,
}


@pytest.mark.parametrize(
    ("suffix", "data", "kept"),
    [
        (
            ".weight",
            {"unassigned": {"abc": "garbage", "def": _READING}},
            lambda entry: list(entry.runtime_data.weight.unassigned) == ["def"],
        ),
        (
            ".weight",
            {"scales": {"sensor.s": "garbage", "sensor.t": _READING[0]}},
            lambda entry: list(entry.runtime_data.weight.scale_at) == ["sensor.t"],
        ),
        (
            "",
            {
                "reminders": {
                    "chores": {
                        "chore_water_plants": "garbage",
                        "chore_bins": {
                            "day": "2026-11-23|None",
                            "lead_sent": False,
                            "sent": 1,
                            "escalated": False,
                            "targets": ["notify.phone"],
                        },
                    }
                }
            },
            lambda entry: (
                entry.runtime_data.reminders.chores.sent["chore_bins"]["targets"]
                == ["notify.phone"]
            ),
        ),
    ],
)
async def test_a_bad_record_is_dropped_not_the_household(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    suffix: str,
    data: dict[str, Any],
    kept: Any,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await _setup_stored(
        hass,
        hass_storage,
        # Mia's scale is linked: its catch-up point is kept.
        [
            member("Mia", weight_source="sensor.t"),
            member("Leo"),
            _plants(),
            chore("Bins"),
        ],
        {suffix: data},
    )

    assert entry.state is ConfigEntryState.LOADED
    assert kept(entry)
    assert "Dropped 1 stored" in caplog.text
    assert "'garbage'" in caplog.text
    assert hass.states.get("sensor.mia_weight").state != STATE_UNAVAILABLE


_WRONG_TYPES = [
    *(
        ("", {"chores": {"chore_water_plants": _CHORE_STATE | wrong}}, NEXT_DUE)
        for wrong in (
            {"streak": None},
            {"streak": True},
            {"assignee": 7},
            # Times without a zone: comparing them with aware ones raises.
            {"last_completed": "2026-11-20T10:00:00"},
            {"last_done": {"member_mia": "2026-11-20T10:00:00"}},
            {"history": [_DONE | {"action": "eaten"}]},
            # The undo record repeats the history, checked once: a 1 stays no flag.
            {
                "history": [_DONE],
                "undo": {
                    "before": _CHORE_STATE | {"history": [_DONE | {"on_time": 1}]},
                    "until": "2026-11-24T00:00:00+00:00",
                },
            },
        )
    ),
    (
        ".temperature",
        {"member_mia": {"readings": None}},
        "sensor.mia_body_temperature",
    ),
    (
        ".weight",
        {
            "members": {
                "member_mia": {
                    "tracker": {
                        "trend": None,
                        "latest_at": None,
                        "pending": None,
                        "residuals": [],
                        "window": [],
                    },
                    "recent": [["2026-11-22T08:00:00", 61.0, False, None]],
                    "readings": 1,
                }
            }
        },
        "sensor.mia_weight",
    ),
]


@pytest.mark.parametrize(("suffix", "data", "unavailable"), _WRONG_TYPES)
async def test_stored_values_of_the_wrong_type_isolate_their_item(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
    suffix: str,
    data: dict[str, Any],
    unavailable: str,
) -> None:
    """Caught at the load, with a repair, not by the next completion or reading."""
    freezer.move_to(local("2026-11-23 10:00"))
    feature = suffix.lstrip(".") or "chores"
    item = "chore_water_plants" if feature == "chores" else "member_mia"
    entry = await _setup_stored(
        hass, hass_storage, [member("Mia"), member("Leo"), _plants()], {suffix: data}
    )

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(unavailable).state == STATE_UNAVAILABLE
    issue = issue_registry.async_get_issue(DOMAIN, _issue_id(entry, feature, item))
    assert issue.translation_key == f"{feature}_damaged"
    # The other member's readings and the chores go on.
    await call(hass, "record_temperature", {"member": "Leo", "temperature": 38.6})
    await call(hass, "record_weight", {"member": "Leo", "weight": 30.0})
    assert hass.states.get("sensor.leo_body_temperature").state == "38.6"
    if feature != "chores":
        # And the damaged member's own readings too, where the old code raised.
        await call(hass, "record_temperature", {"member": "Mia", "temperature": 38.6})
        await call(hass, "record_weight", {"member": "Mia", "weight": 61.0})


async def test_unusable_settings_keep_the_history_and_ask_to_reconfigure(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    assert await async_setup_component(hass, "repairs", {})
    entry = await setup_household(hass, _plants())
    await call(hass, "complete_chore", {"chore": "Water plants"})
    key = f"{DOMAIN}.{entry.entry_id}"
    await entry.runtime_data.writers["household"].async_write()
    saved = hass_storage[key]["data"]["chores"]["chore_water_plants"]
    assert len(saved["history"]) == 1

    sub = entry.subentries["chore_water_plants"]
    good = dict(sub.data)
    hass.config_entries.async_update_subentry(
        entry, sub, data=good | {"recurrence": "weekly", "weekdays": []}
    )
    await hass.async_block_till_done()

    assert entry.state is ConfigEntryState.LOADED
    assert hass.states.get(NEXT_DUE).state == STATE_UNAVAILABLE
    issue_id = _issue_id(entry, "chores", "chore_water_plants")
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue.translation_key == "chores_unusable"
    assert issue.translation_placeholders == {"name": "Water plants"}
    assert not issue.is_fixable
    await _tick(hass, freezer, 60)
    await entry.runtime_data.writers["household"].async_write()
    assert hass_storage[key]["data"]["chores"]["chore_water_plants"] == saved

    # Reconfigured: the chore is back with its history, the issue is gone.
    hass.config_entries.async_update_subentry(
        entry, entry.subentries["chore_water_plants"], data=good
    )
    await hass.async_block_till_done()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    result = await call(hass, "get_chores", {}, response=True)
    (plants,) = result["chores"]
    assert plants["streak"] == 1
    assert plants["status"] == "done"


async def test_a_reset_that_leaves_the_item_damaged_says_so(
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
        [member("Mia"), _plants()],
        {"": {"chores": {"chore_water_plants": ["garbage"]}}},
    )
    issue_id = _issue_id(entry, "chores", "chore_water_plants")
    flows = hass.data["repairs"]["flow_manager"]
    result = await flows.async_init(DOMAIN, data={"issue_id": issue_id})
    # Meanwhile its settings became unusable: the reset cannot help.
    sub = entry.subentries["chore_water_plants"]
    hass.config_entries.async_update_subentry(
        entry, sub, data=dict(sub.data) | {"recurrence": "weekly", "weekdays": []}
    )
    await hass.async_block_till_done()

    result = await flows.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "still_damaged"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue.translation_key == "chores_unusable"


async def test_removing_the_household_removes_its_damaged_issues(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    issue_registry: ir.IssueRegistry,
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await _setup_stored(
        hass,
        hass_storage,
        [member("Mia"), _plants()],
        {
            "": {"chores": {"chore_water_plants": ["garbage"]}},
            ".temperature": {"member_mia": {"latest": 5}},
        },
    )
    ids = [
        _issue_id(entry, "chores", "chore_water_plants"),
        _issue_id(entry, "temperature", "member_mia"),
    ]
    assert all(issue_registry.async_get_issue(DOMAIN, i) for i in ids)
    # Another household's issue is its own.
    other = {"entry_id": "other", "feature": "chores", "item_id": "chore_x"}
    ir.async_create_issue(
        hass,
        DOMAIN,
        "damaged_chores_other",
        data=other,
        is_fixable=True,
        severity=ir.IssueSeverity.ERROR,
        translation_key="chores_damaged",
    )

    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()

    assert [i for i in ids if issue_registry.async_get_issue(DOMAIN, i)] == []
    assert issue_registry.async_get_issue(DOMAIN, "damaged_chores_other")


@pytest.mark.parametrize("feature", ["temperature", "weight"])
async def test_a_damaged_member_starts_from_their_journals(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    hass_storage: dict[str, Any],
    feature: str,
) -> None:
    """At every start while damaged, and after the reset: nothing measured is lost."""
    freezer.move_to(local("2026-11-20 08:00"))
    assert await async_setup_component(hass, "repairs", {})
    entry = await setup_household(hass)
    for day, temperature, weight in (("20", 36.8, 61.0), ("21", 37.0, 61.4)):
        freezer.move_to(local(f"2026-11-{day} 08:00"))
        await call(
            hass, "record_temperature", {"member": "Mia", "temperature": temperature}
        )
        await call(hass, "record_weight", {"member": "Mia", "weight": weight})
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    key = f"{DOMAIN}.{entry.entry_id}.{feature}"
    damaged = {"latest": 5} if feature == "temperature" else {"tracker": "heavy"}
    if feature == "temperature":
        hass_storage[key]["data"]["member_mia"] = damaged
    else:
        hass_storage[key]["data"]["members"]["member_mia"] = damaged

    freezer.move_to(local("2026-11-22 08:00"))
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    state = getattr(entry.runtime_data, feature).members["member_mia"]
    assert state.readings == 2
    if feature == "temperature":
        assert state.latest.value_c == 37.0
        assert state.months == {"2026-11"}
    else:
        assert [reading.kg for reading in state.recent] == [61.0, 61.4]

    # A reading meanwhile, then the reset: all three are there.
    await call(hass, "record_temperature", {"member": "Mia", "temperature": 37.2})
    await call(hass, "record_weight", {"member": "Mia", "weight": 61.6})
    flows = hass.data["repairs"]["flow_manager"]
    result = await flows.async_init(
        DOMAIN, data={"issue_id": _issue_id(entry, feature, "member_mia")}
    )
    result = await flows.async_configure(result["flow_id"], {})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    state = getattr(entry.runtime_data, feature).members["member_mia"]
    assert state.readings == 3
    if feature == "temperature":
        assert hass.states.get("sensor.mia_body_temperature").state == "37.2"
    else:
        assert [reading.kg for reading in state.recent] == [61.0, 61.4, 61.6]
    await reload(hass, entry)
    assert getattr(entry.runtime_data, feature).members["member_mia"].readings == 3
