"""Assist intents and LLM tools use the services' validators: same refusals, by voice."""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent, llm
from homeassistant.setup import async_setup_component
import pytest
import voluptuous as vol

from custom_components.auto_home.const import CONF_SHARE_HEALTH
from custom_components.auto_home.llm_api import API_ID

from .voice_helpers import setup_voice_household


async def _tool(hass: HomeAssistant, tool: str, **args: Any) -> llm.ToolResult:
    context = llm.LLMContext(
        platform="test",
        context=Context(),
        language="en",
        assistant="conversation",
        device_id=None,
    )
    api = await llm.async_get_api(hass, API_ID, context)
    return await api.async_call_tool(llm.ToolInput(tool_name=tool, tool_args=args))


@pytest.fixture
async def shared(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """The voice household, health shared with conversation agents."""
    assert await async_setup_component(hass, "intent", {})
    await setup_voice_household(hass, freezer, {CONF_SHARE_HEALTH: True})


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("record_temperature", {"member": "Mia", "temperature": True}),
        ("record_temperature", {"member": "Mia", "temperature": float("nan")}),
        ("record_weight", {"member": "Mia", "weight": True}),
        ("record_weight", {"member": "Mia", "weight": "inf"}),
        ("snooze_chore", {"chore": "Dishes", "minutes": True}),
    ],
)
async def test_tools_refuse_wrong_types(
    hass: HomeAssistant, tool: str, args: dict[str, Any]
) -> None:
    """A boolean temperature was refused as "1 °C is not plausible"."""
    with pytest.raises(vol.Invalid):
        await _tool(hass, tool, **args)
    assert hass.states.get("sensor.mia_body_temperature").state == "unknown"
    assert hass.states.get("sensor.mia_weight").state == "unknown"


@pytest.mark.usefixtures("shared")
@pytest.mark.parametrize(
    ("tool", "args", "error"),
    [
        (
            "snooze_chore",
            {"chore": "Dishes", "until": "9999-12-31 23:59"},
            "Cannot snooze until 9999-12-31 23:59:00: a snooze reaches at most "
            "366 days ahead.",
        ),
        (
            "record_weight",
            {"member": "Mia", "weight": 61, "measured_at": "0001-01-01 00:00"},
            "The time 0001-01-01 00:00:00 (measured_at) is out of range: it must "
            "be after 1 January 1970 and before the year 9999.",
        ),
        (
            "record_temperature",
            {"member": "Mia", "temperature": 38, "measured_at": "1969-07-20 20:17"},
            "The time 1969-07-20 20:17:00 (measured_at) is out of range: it must "
            "be after 1 January 1970 and before the year 9999.",
        ),
        (
            "snooze_chore",
            {"chore": "Dishes", "minutes": 10081},
            "minutes must be between 1 and 10080, not 10081.",
        ),
        (
            "complete_chore",
            {"chore": "D" * 256},
            "chore is too long: at most 255 characters.",
        ),
    ],
)
async def test_tools_refuse_out_of_bounds_in_words(
    hass: HomeAssistant, tool: str, args: dict[str, Any], error: str
) -> None:
    """A snooze to 9999 raised a raw OverflowError after it was stored."""
    before = hass.states.get("sensor.dishes_next_due")
    result = await _tool(hass, tool, **args)
    assert result.error
    assert result.data == {"error": error}
    assert hass.states.get("sensor.dishes_next_due") == before
    assert hass.states.get("sensor.mia_weight").state == "unknown"


@pytest.mark.usefixtures("shared")
async def test_intent_refuses_a_long_snooze_in_words(hass: HomeAssistant) -> None:
    response = await intent.async_handle(
        hass,
        "test",
        "AutoHomeSnoozeChore",
        {"chore": {"value": "Dishes"}, "minutes": {"value": "5000"}},
    )
    assert response.response_type is intent.IntentResponseType.ERROR
    assert response.speech["plain"]["speech"] == (
        "minutes must be between 0 and 1440, not 5000."
    )
