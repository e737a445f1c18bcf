"""The Auto Home LLM API through a real hass: tools, results, privacy, options."""

from datetime import UTC
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import Context, HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import entity_registry as er, llm
import pytest
from pytest_homeassistant_custom_component.common import (
    async_capture_events,
)
import voluptuous as vol

from custom_components.auto_home.const import (
    CONF_SHARE_HEALTH,
    CONF_VOICE_SCOPE,
    VOICE_SCOPE_OWN,
)
from custom_components.auto_home.llm_api import API_ID

from .chore_helpers import attributes, local
from .voice_helpers import (
    link_user,
    record,
    setup_voice_household,
    weigh_daily,
    weight_report,
)

CHORE_TOOLS = ["list_chores", "complete_chore", "snooze_chore"]
HEALTH_TOOLS = [
    "record_temperature",
    "get_temperature",
    "record_weight",
    "get_weight_trend",
]
SHARED = {CONF_SHARE_HEALTH: True}


def _context(user_id: str | None = None, language: str = "en") -> llm.LLMContext:
    return llm.LLMContext(
        platform="test",
        context=Context(user_id=user_id),
        language=language,
        assistant="conversation",
        device_id=None,
    )


async def _api(
    hass: HomeAssistant, user_id: str | None = None, language: str = "en"
) -> llm.APIInstance:
    return await llm.async_get_api(hass, API_ID, _context(user_id, language))


async def _call(api: llm.APIInstance, tool: str, **args: Any) -> llm.ToolResult:
    result = await api.async_call_tool(llm.ToolInput(tool_name=tool, tool_args=args))
    await api.api.hass.async_block_till_done()
    return result


async def test_registered_while_loaded(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_voice_household(hass, freezer)
    assert [api.name for api in llm.async_get_apis(hass)] == ["Auto Home"]
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert [api.id for api in llm.async_get_apis(hass)] == [API_ID]
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert llm.async_get_apis(hass) == []


async def test_health_not_shared(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    """Off by default: chore tools only, and no health value in any result."""
    await setup_voice_household(hass, freezer)
    await record(hass, "Mia", 38.4)
    await weigh_daily(hass, "Mia", [61.7], days_ago=1)
    api = await _api(hass)
    assert [tool.name for tool in api.tools] == CHORE_TOOLS
    assert "not shared with conversation agents" in api.api_prompt
    assert "temperature" not in api.api_prompt.split("Health data")[0]
    assert "Members: Leo, Mia." in api.api_prompt
    assert "Chores: Dishes, Water lawn, Water plants." in api.api_prompt

    results = [
        await _call(api, "list_chores"),
        await _call(api, "list_chores", member="Mia", status="overdue"),
        await _call(api, "snooze_chore", chore="Water plants", minutes=15),
        await _call(api, "complete_chore", chore="Dishes", member="Mia"),
        await _call(api, "complete_chore", chore="nothing"),
    ]
    text = json.dumps([result.data for result in results], ensure_ascii=False)
    for value in ("38.4", "61.7", "fever", "weight"):
        assert value not in text
    for tool in HEALTH_TOOLS:
        with pytest.raises(HomeAssistantError, match="not found"):
            await _call(api, tool, member="Mia", temperature=39.0)
    assert hass.states.get("sensor.mia_body_temperature").state == "38.4"


async def test_chore_tools(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await setup_voice_household(hass, freezer)
    api = await _api(hass)
    result = await _call(api, "list_chores")
    assert not result.error
    assert result.data == {
        "member": None,
        "status": "today",
        "chores": [
            {
                "chore": "Water plants",
                "status": "overdue",
                "due": local("2026-11-22 00:00").isoformat(),
                "all_day": True,
                "assignee": "Leo",
                "days_overdue": 1,
                "snoozed_until": None,
            },
            {
                "chore": "Dishes",
                "status": "due",
                "due": local("2026-11-23 00:00").isoformat(),
                "all_day": True,
                "assignee": "Mia",
                "days_overdue": 0,
                "snoozed_until": None,
            },
        ],
        "answer": "Left to do today: Water plants for Leo (overdue) and Dishes for Mia.",
    }
    result = await _call(api, "list_chores", member="Leo", status="overdue")
    assert [chore["chore"] for chore in result.data["chores"]] == ["Water plants"]

    completed = async_capture_events(hass, "auto_home_chore_completed")
    result = await _call(api, "complete_chore", chore="dishes", member="")
    assert result.data["counted"] is True
    assert result.data["completed_by"] == "Mia"
    assert result.data["status"] == "done"
    assert len(completed) == 1
    result = await _call(api, "complete_chore", chore="dishes")
    assert result.data["counted"] is False
    assert len(completed) == 1

    result = await _call(api, "snooze_chore", chore="Water plants")
    assert result.data["snoozed_until"] == local("2026-11-23 11:00").isoformat()
    result = await _call(
        api, "snooze_chore", chore="Water plants", until="2026-11-23T17:00:00Z"
    )
    assert result.data["snoozed_until"] == local("2026-11-23 18:00").isoformat()
    assert result.data["answer"] == "Water plants is snoozed until today at 18:00."


async def test_tool_errors(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await setup_voice_household(hass, freezer, SHARED)
    api = await _api(hass)
    cases = [
        (
            "complete_chore",
            {"chore": "water"},
            "Which chore do you mean: Water lawn or Water plants?",
        ),
        ("complete_chore", {"chore": "Vacuum"}, "I don't know a chore called Vacuum."),
        (
            "snooze_chore",
            {"chore": "Dishes", "until": "2026-11-23 09:00"},
            "Cannot snooze until 2026-11-23T09:00:00+01:00: that time is not in the future.",
        ),
        (
            "record_temperature",
            {"member": "Ava", "temperature": 38},
            "I don't know a member called Ava.",
        ),
        (
            "record_temperature",
            {"member": "Mia", "temperature": 38, "measured_at": "2026-11-24 08:00"},
            "The measuring time 2026-11-24T07:00:00+00:00 is in the future.",
        ),
        ("get_temperature", {}, "Which member do you mean?"),
    ]
    for tool, args, message in cases:
        result = await _call(api, tool, **args)
        assert result.error
        assert result.data == {"error": message}
    assert attributes(hass, "sensor.dishes_next_due")["status"] == "due"
    assert hass.states.get("sensor.mia_body_temperature").state == "unknown"
    with pytest.raises(vol.Invalid):
        await _call(api, "list_chores", status="someday")


async def test_health_shared(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await setup_voice_household(hass, freezer, SHARED)
    mia = await link_user(hass, "Mia")
    api = await _api(hass, mia)
    assert [tool.name for tool in api.tools] == CHORE_TOOLS + HEALTH_TOOLS
    assert "never guess, estimate or invent" in api.api_prompt
    assert "You are talking with Mia" in api.api_prompt

    result = await _call(api, "get_temperature")
    assert result.data == {
        "member": "Mia",
        "latest": None,
        "answer": "There is no temperature reading for Mia yet.",
    }
    result = await _call(
        api, "record_temperature", temperature=38.9, site="ear", member=" "
    )
    assert result.data == {
        "member": "Mia",
        "temperature_c": 38.9,
        "core_temperature_c": 38.6,
        "site": "ear",
        "measured_at": local("2026-11-23 10:00").isoformat(),
        "fever_status": "fever",
        "current_fever_status": "fever",
        "answer": "Recorded 38.9 °C for Mia: fever.",
    }
    assert hass.states.get("sensor.mia_body_temperature").state == "38.9"
    # A reading from earlier is stored but does not change the status.
    result = await _call(
        api,
        "record_temperature",
        member="Mia",
        temperature=37.2,
        measured_at="2026-11-23 07:00",
    )
    assert result.data["answer"] == (
        "Recorded 37.2 °C for Mia, measured today at 07:00."
    )
    # As the service: this reading's class, and the member's status now.
    assert result.data["fever_status"] == "normal"
    assert result.data["current_fever_status"] == "fever"
    result = await _call(api, "get_temperature", member="Mia")
    assert result.data == {
        "member": "Mia",
        "latest": {
            "temperature_c": 38.9,
            "core_temperature_c": 38.6,
            "site": "ear",
            "measured_at": local("2026-11-23 10:00").isoformat(),
        },
        "fever_status": "fever",
        "urgent": False,
        "fever_episode": {
            "started_at": local("2026-11-23 10:00").isoformat(),
            "peak_c": 38.6,
            "peak_at": local("2026-11-23 10:00").isoformat(),
            "highest_class": "fever",
            "readings": 1,
        },
        "answer": "Mia's latest temperature is 38.9 °C, measured today at 10:00:"
        " fever. Fever since today at 10:00, highest 38.6 °C.",
    }

    api = await _api(hass, mia, "zh-CN")
    result = await _call(api, "get_temperature", member="Leo")
    assert result.data["answer"] == "还没有Leo的体温记录。"
    # An agent for any language answers in Home Assistant's.
    api = await _api(hass, mia, "*")
    result = await _call(api, "get_temperature", member="Leo")
    assert result.data["answer"] == "There is no temperature reading for Leo yet."


async def test_weight_tools(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await setup_voice_household(hass, freezer, SHARED)
    api = await _api(hass)
    result = await _call(api, "get_weight_trend", member="Leo")
    assert result.data["trend_kg"] is None
    assert result.data["answer"] == "There is no weight reading for Leo yet."

    await weigh_daily(hass, "Leo", [72.0, 71.9, 71.8, 71.8, 71.6, 71.5], days_ago=7)
    result = await _call(
        api,
        "record_weight",
        member="Leo",
        weight=143,
        unit="jin",
        measured_at="2026-11-23 07:00",
    )
    assert result.data == {
        "member": "Leo",
        "weight_kg": 71.5,
        "measured_at": local("2026-11-23 07:00").isoformat(),
        "flagged": False,
        "answer": "Recorded 71.5 kg for Leo.",
    }
    assert hass.states.get("sensor.leo_weight").state == "71.5"
    result = await _call(api, "get_weight_trend", member="Leo")
    report = await weight_report(hass, "Leo")
    # The weight report, with its five latest readings and their times.
    assert result.data["readings"] == report.pop("readings")[-5:]
    assert {key: result.data[key] for key in report} == report
    assert report["rate_kg_per_week"] < 0
    assert result.data["readings"][-1] == {
        "measured_at": local("2026-11-23 07:00").astimezone(UTC).isoformat(),
        "kg": 71.5,
        "flagged": False,
    }
    assert result.data["answer"].startswith(
        f"Leo's weight trend is {report['trend_kg']:.1f} kg; the latest reading was"
        " 71.5 kg, today at 07:00. It is going down by"
    )
    result = await _call(api, "record_weight", member="Leo", weight=0.5)
    assert result.data == {
        "error": "0.5 kg is not a plausible body weight (allowed 1-350 kg)."
    }


async def test_switched_off_after_tools_were_given(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_voice_household(hass, freezer, SHARED)
    api = await _api(hass)
    hass.config_entries.async_update_entry(entry, options={CONF_SHARE_HEALTH: False})
    await hass.async_block_till_done()
    result = await _call(api, "get_temperature", member="Mia")
    assert result.error
    assert result.data == {
        "error": "This household does not share health data with conversation agents."
    }
    assert [tool.name for tool in (await _api(hass)).tools] == CHORE_TOOLS


async def test_own_member_only(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await setup_voice_household(
        hass, freezer, SHARED | {CONF_VOICE_SCOPE: VOICE_SCOPE_OWN}
    )
    await record(hass, "Leo", 38.5)
    mia = await link_user(hass, "Mia")
    api = await _api(hass, mia)
    assert "Members: Mia." in api.api_prompt
    assert "Only the user's own member may be asked about." in api.api_prompt
    result = await _call(api, "get_temperature", member="Leo")
    assert result.data == {
        "error": "In this household you can only ask about your own member."
    }
    result = await _call(api, "get_temperature")
    assert result.data["member"] == "Mia"
    # Nobody is linked: no member may be asked about.
    api = await _api(hass)
    assert "Members: none." in api.api_prompt
    result = await _call(api, "get_temperature", member="Leo")
    assert result.error


async def test_health_entities_not_exposed(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entity_registry: er.EntityRegistry,
) -> None:
    """Assist would hand temperature sensors to agents; health stays private."""
    entity_registry.async_get_or_create(
        "sensor",
        "auto_home",
        "member_leo_body_temperature",
        suggested_object_id="leo_body_temperature",
    )
    entity_registry.async_update_entity_options(
        "sensor.leo_body_temperature", "conversation", {"should_expose": True}
    )
    await setup_voice_household(hass, freezer)

    def exposed(entity_id: str) -> bool | None:
        entity = entity_registry.async_get(entity_id)
        assert entity is not None
        return entity.options.get("conversation", {}).get("should_expose")

    assert exposed("sensor.mia_body_temperature") is False
    assert exposed("sensor.mia_fever_status") is False
    assert exposed("binary_sensor.mia_fever") is False
    # Not health data, and left to Home Assistant's defaults.
    assert exposed("sensor.mia_chores_due_today") is None
    assert exposed("sensor.dishes_next_due") is None
    assert exposed("todo.chores") is None
    # The user's own choice is kept.
    assert exposed("sensor.leo_body_temperature") is True


async def test_voice_options(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    entry = await setup_voice_household(hass, freezer)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert "voice" in result["menu_options"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "voice"}
    )
    assert result["type"] is FlowResultType.FORM
    schema = result["data_schema"].schema
    defaults = {str(key): key.description["suggested_value"] for key in schema}
    assert defaults == {CONF_SHARE_HEALTH: False, CONF_VOICE_SCOPE: "all"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_SHARE_HEALTH: True, CONF_VOICE_SCOPE: "own"}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "save"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.options == {CONF_SHARE_HEALTH: True, CONF_VOICE_SCOPE: "own"}
    assert entry.state is ConfigEntryState.LOADED
    assert [tool.name for tool in (await _api(hass)).tools] == (
        CHORE_TOOLS + HEALTH_TOOLS
    )
