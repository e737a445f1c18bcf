"""The chore subentry form: what and who, then only the chosen kind's rule."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import attributes, local, next_due, setup_household
from .conftest import chore


async def _start(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    return result["flow_id"]


def _fields(result: Any) -> list[str]:
    return [str(key) for key in result["data_schema"].schema]


def _suggested(result: Any) -> dict[str, Any]:
    return {
        str(key): key.description["suggested_value"]
        for key in result["data_schema"].schema
        if key.description and "suggested_value" in key.description
    }


async def test_add_a_full_chore(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass)
    flow_id = await _start(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        flow_id,
        {
            "name": "Bins",
            "icon": "mdi:trash-can",
            "description": "Paper on odd weeks",
            "recurrence": "weekly",
            "start_date": "2026-11-25",
            "due_time": "19:00",
            "assignees": ["member_leo", "member_mia"],
            "rotation": "least_recently_done",
            "due_window": {"days": 1, "hours": 0, "minutes": 0},
        },
    )
    # Only the weekly rule's fields, on a step whose "Every" says weeks.
    assert result["step_id"] == "weekly"
    assert _fields(result) == ["interval", "weekdays"]
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"interval": 2, "weekdays": ["wed"]}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    sensor = "sensor.bins_next_due"
    assert next_due(hass, sensor) == local("2026-11-25 19:00")
    assert attributes(hass, sensor)["assignee"] == "Leo"
    assert attributes(hass, sensor)["icon"] == "mdi:trash-can"


@pytest.mark.parametrize(
    ("kind", "rule"),
    [
        ("daily", {"interval": 2}),
        ("weekly", {"interval": 1, "weekdays": ["mon"]}),
        ("monthly_day", {"interval": 1, "month_day": 5}),
        (
            "monthly_weekday",
            {"interval": 1, "week_of_month": "2", "weekday": "tue"},
        ),
        ("yearly", {"interval": 1}),
        ("after_completion", {"interval": 3}),
    ],
)
async def test_each_kind_asks_only_its_own_fields(
    hass: HomeAssistant, kind: str, rule: dict[str, Any]
) -> None:
    entry = await setup_household(hass)
    flow_id = await _start(hass, entry)
    first = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    # The first step has no rule fields, and a due time without seconds.
    assert not {"interval", "weekdays", "month_day", "weekday"} & set(_fields(first))
    due_time = first["data_schema"].schema["due_time"]
    assert due_time.config["type"] == "time"
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "Bins", "recurrence": kind}
    )
    assert (result["step_id"], _fields(result)) == (kind, list(rule))
    result = await hass.config_entries.subentries.async_configure(flow_id, rule)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert hass.states.get("sensor.bins_next_due") is not None


@pytest.mark.parametrize(
    ("kind", "rule", "errors"),
    [
        ("weekly", {}, {"weekdays": "weekdays_required"}),
        ("monthly_day", {}, {"month_day": "month_day_required"}),
        (
            "monthly_weekday",
            {"weekday": "fri"},
            {"week_of_month": "week_of_month_required"},
        ),
        ("monthly_weekday", {"week_of_month": "last"}, {"weekday": "weekday_required"}),
    ],
)
async def test_invalid_rule_is_refused(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    kind: str,
    rule: dict[str, str],
    errors: dict[str, str],
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(hass)
    flow_id = await _start(hass, entry)
    await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "Bins", "recurrence": kind}
    )
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"interval": 1, **rule}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == kind
    assert result["errors"] == errors
    assert len(entry.subentries) == 2
    assert hass.states.get("sensor.bins_next_due") is None


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"name": " "}, {"name": "name_required"}),
        ({"due_time": "25:99"}, {"due_time": "due_time_invalid"}),
    ],
)
async def test_first_step_refuses_its_own_fields(
    hass: HomeAssistant, data: dict[str, str], errors: dict[str, str]
) -> None:
    entry = await setup_household(hass)
    flow_id = await _start(hass, entry)
    result = await hass.config_entries.subentries.async_configure(
        flow_id, {"name": "Bins", **data}
    )
    assert result["step_id"] == "user"
    assert result["errors"] == errors


async def test_reconfigure_shows_and_keeps_the_rule(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(
        hass,
        chore(
            "Bins",
            recurrence="monthly_day",
            month_day=31,
            start_date="2026-11-01",
            due_time="07:30:00",
        ),
    )
    result = await entry.start_subentry_reconfigure_flow(hass, "chore_bins")
    assert _suggested(result)["recurrence"] == "monthly_day"
    assert _suggested(result)["due_time"] == "07:30"
    first = {"name": "Bins", "recurrence": "monthly_day", "start_date": "2026-11-01"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], first
    )
    assert result["step_id"] == "monthly_day"
    assert _suggested(result)["month_day"] == 31
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"interval": 1}
    )
    assert result["errors"] == {"month_day": "month_day_required"}
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"interval": 1, "month_day": 15}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert next_due(hass, "sensor.bins_next_due") == local("2026-12-15 00:00")


async def test_a_change_of_kind_drops_the_old_kinds_fields(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    freezer.move_to(local("2026-11-23 10:00"))
    entry = await setup_household(
        hass,
        chore(
            "Bins",
            recurrence="weekly",
            weekdays=["mon"],
            start_date="2026-11-23",
        ),
    )
    result = await entry.start_subentry_reconfigure_flow(hass, "chore_bins")
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {"name": "Bins", "recurrence": "daily", "start_date": "2026-11-23"},
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"interval": 3}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()
    assert "weekdays" not in entry.subentries["chore_bins"].data
    assert entry.subentries["chore_bins"].data["interval"] == 3


async def test_household_without_members_is_not_offered_an_empty_assignee_list(
    hass: HomeAssistant,
) -> None:
    """With no members yet the form has no Assignees field; the chore belongs to
    the whole household. With members it lists them."""
    entry = MockConfigEntry(domain=DOMAIN, title="Home", data={})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    assert "assignees" not in result["data_schema"].schema
    assert "rotation" in result["data_schema"].schema
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Bins", "start_date": "2026-11-25"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"interval": 1}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert hass.states.get("sensor.bins_next_due") is not None

    # Once there is a member, the field lists the members.
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "member"), context={"source": SOURCE_USER}
    )
    await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Mia"}
    )
    await hass.async_block_till_done()
    result = await hass.config_entries.subentries.async_init(
        (entry.entry_id, "chore"), context={"source": SOURCE_USER}
    )
    assignees = result["data_schema"].schema["assignees"]
    assert [option["label"] for option in assignees.config["options"]] == ["Mia"]
