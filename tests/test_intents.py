"""Assist intents through a real hass: answers, state changes and spoken errors."""

# Chinese answers use Chinese punctuation.
# ruff: noqa: RUF001

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import intent
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.auto_home.const import CONF_VOICE_SCOPE, VOICE_SCOPE_OWN

from .chore_helpers import attributes, local, move_to, next_due
from .voice_helpers import (
    NOW,
    link_user,
    record,
    setup_voice_household,
    weigh_daily,
    weight_report,
)

DISHES = "sensor.dishes_next_due"
ERROR = intent.IntentResponseType.ERROR


async def ask(
    hass: HomeAssistant,
    intent_type: str,
    *,
    user_id: str | None = None,
    language: str | None = None,
    **slots: Any,
) -> intent.IntentResponse:
    """Handle an intent as Assist does and wait for what it set off."""
    response = await intent.async_handle(
        hass,
        "test",
        intent_type,
        {name: {"value": value} for name, value in slots.items()},
        context=Context(user_id=user_id),
        language=language,
    )
    await hass.async_block_till_done()
    return response


def speech(response: intent.IntentResponse) -> str:
    """Return what is spoken."""
    return response.speech["plain"]["speech"]


@pytest.fixture
async def entry(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> MockConfigEntry:
    """The household, with Assist's intents loaded."""
    assert await async_setup_component(hass, "intent", {})
    return await setup_voice_household(hass, freezer)


@pytest.mark.usefixtures("entry")
async def test_list_chores(hass: HomeAssistant) -> None:
    response = await ask(hass, "AutoHomeListChores")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == (
        "Left to do today: Water plants for Leo (overdue) and Dishes for Mia."
    )
    response = await ask(hass, "AutoHomeListChores", member="leo")
    assert speech(response) == "Left for Leo today: Water plants (overdue)."
    response = await ask(hass, "AutoHomeListChores", status="overdue")
    assert speech(response) == "Overdue: Water plants for Leo."
    response = await ask(hass, "AutoHomeListChores", member="Mia", status="overdue")
    assert speech(response) == "Mia has nothing overdue."

    mia = await link_user(hass, "Mia")
    response = await ask(hass, "AutoHomeListChores", user_id=mia, mine=True)
    assert speech(response) == "Left for Mia today: Dishes."
    # Without "my", a linked user hears the whole household.
    response = await ask(hass, "AutoHomeListChores", user_id=mia)
    assert speech(response).startswith("Left to do today: Water plants")

    response = await ask(hass, "AutoHomeListChores", language="zh-Hans")
    assert speech(response) == "今天还要做：Leo的Water plants（已逾期）和Mia的Dishes。"


@pytest.mark.usefixtures("entry")
async def test_nothing_left(hass: HomeAssistant) -> None:
    for name in ("Dishes", "Water plants"):
        await ask(hass, "AutoHomeCompleteChore", chore=name)
    assert speech(await ask(hass, "AutoHomeListChores")) == (
        "Nothing is left to do today."
    )
    assert speech(await ask(hass, "AutoHomeListChores", member="Leo")) == (
        "Leo has nothing left to do today."
    )
    assert speech(await ask(hass, "AutoHomeListChores", status="overdue")) == (
        "Nothing is overdue."
    )
    response = await ask(hass, "AutoHomeListChores", language="zh-CN")
    assert speech(response) == "今天的家务都做完了。"


@pytest.mark.usefixtures("entry")
async def test_my_chores_needs_a_linked_user(hass: HomeAssistant) -> None:
    stranger = (await hass.auth.async_create_user("Guest")).id
    for user_id in (None, stranger):
        response = await ask(hass, "AutoHomeListChores", user_id=user_id, mine=True)
        assert response.response_type is ERROR
        assert speech(response) == (
            "Your user is not linked to a member of the household."
        )


@pytest.mark.usefixtures("entry")
async def test_complete_chore(hass: HomeAssistant) -> None:
    completed = async_capture_events(hass, "auto_home_chore_completed")
    mia = await link_user(hass, "Mia")
    # Spoken loosely; credited to the asking user's member.
    response = await ask(hass, "AutoHomeCompleteChore", user_id=mia, chore="the dishes")
    assert response.response_type is intent.IntentResponseType.ACTION_DONE
    assert speech(response) == "Dishes is done, thank you Mia. Next time: tomorrow."
    assert completed[-1].data["member"] == "Mia"
    assert attributes(hass, DISHES)["status"] == "done"
    assert next_due(hass, DISHES) == local("2026-11-24 00:00")

    # Done already: nothing changes, nothing is counted twice.
    response = await ask(hass, "AutoHomeCompleteChore", chore="Dishes")
    assert speech(response) == "Dishes was already done; nothing changed."
    assert len(completed) == 1

    # Credited to the member named, in Chinese.
    response = await ask(
        hass,
        "AutoHomeCompleteChore",
        chore="water plants",
        member="Mia",
        language="zh-Hans",
    )
    assert speech(response) == "好的，Mia完成了Water plants。下次是明天。"
    assert completed[-1].data["member"] == "Mia"
    assert attributes(hass, "sensor.water_plants_next_due")["completions"] == {"Mia": 1}


async def test_complete_unassigned_chore(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await async_setup_component(hass, "intent", {})
    entry = await setup_voice_household(hass, freezer)
    hass.config_entries.async_update_subentry(
        entry, entry.subentries["chore_dishes"], data={"recurrence": "daily"}
    )
    await hass.async_block_till_done()
    hass.config_entries.async_remove_subentry(entry, "member_mia")
    hass.config_entries.async_remove_subentry(entry, "member_leo")
    await hass.async_block_till_done()
    response = await ask(hass, "AutoHomeCompleteChore", chore="Dishes")
    assert speech(response) == "Dishes is done. Next time: tomorrow."


@pytest.mark.usefixtures("entry")
async def test_unknown_and_ambiguous_names(hass: HomeAssistant) -> None:
    completed = async_capture_events(hass, "auto_home_chore_completed")
    cases = [
        ({"chore": "Vacuum"}, "I don't know a chore called Vacuum."),
        ({"chore": "water"}, "Which chore do you mean: Water lawn or Water plants?"),
        ({"chore": "x"}, "I don't know a chore called x."),
        ({"chore": "Dishes", "member": "Ava"}, "I don't know a member called Ava."),
    ]
    for slots, expected in cases:
        response = await ask(hass, "AutoHomeCompleteChore", **slots)
        assert response.response_type is ERROR
        assert response.error_code is intent.IntentResponseErrorCode.FAILED_TO_HANDLE
        assert speech(response) == expected
    assert completed == []
    assert attributes(hass, DISHES)["status"] == "due"

    response = await ask(hass, "AutoHomeSnoozeChore", chore="水", language="zh-Hans")
    assert speech(response) == "没有叫水的家务。"
    response = await ask(
        hass, "AutoHomeTemperatureStatus", member="Mi a?", language="zh-Hans"
    )
    # Spaces and punctuation do not matter.
    assert speech(response) == "还没有Mia的体温记录。"


async def test_ambiguous_member(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await async_setup_component(hass, "intent", {})
    entry = await setup_voice_household(hass, freezer)
    hass.config_entries.async_update_subentry(
        entry, entry.subentries["member_leo"], title="Mia Junior"
    )
    await hass.async_block_till_done()
    response = await ask(hass, "AutoHomeTemperatureStatus", member="mia j")
    assert speech(response) == "There is no temperature reading for Mia Junior yet."
    response = await ask(hass, "AutoHomeTemperatureStatus", member="Mi")
    assert speech(response) == "Which member do you mean: Mia or Mia Junior?"


@pytest.mark.usefixtures("entry")
async def test_snooze_chore(hass: HomeAssistant) -> None:
    snoozed = async_capture_events(hass, "auto_home_chore_snoozed")
    response = await ask(hass, "AutoHomeSnoozeChore", chore="dishes", hours=2)
    assert speech(response) == "Dishes is snoozed until today at 12:00."
    assert (
        attributes(hass, DISHES)["snoozed_until"]
        == local("2026-11-23 12:00").isoformat()
    )
    assert attributes(hass, DISHES)["status"] == "upcoming"
    assert len(snoozed) == 1

    response = await ask(
        hass,
        "AutoHomeSnoozeChore",
        chore="Water plants",
        minutes=30,
        language="zh-Hans",
    )
    assert speech(response) == "Water plants已推迟到今天10:30。"
    # An hour when no time is said.
    response = await ask(hass, "AutoHomeSnoozeChore", chore="Dishes")
    assert speech(response) == "Dishes is snoozed until today at 11:00."


async def test_snooze_across_days(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await async_setup_component(hass, "intent", {})
    await setup_voice_household(hass, freezer)
    await move_to(hass, freezer, local("2026-11-23 23:00"))
    response = await ask(hass, "AutoHomeSnoozeChore", chore="Dishes", hours=3)
    assert speech(response) == "Dishes is snoozed until tomorrow at 02:00."


@pytest.mark.usefixtures("entry")
async def test_record_temperature(hass: HomeAssistant) -> None:
    started = async_capture_events(hass, "auto_home_fever_started")
    response = await ask(
        hass, "AutoHomeRecordTemperature", member="Mia", temperature=38.4
    )
    assert speech(response) == "Recorded 38.4 °C for Mia: fever."
    assert hass.states.get("sensor.mia_body_temperature").state == "38.4"
    assert hass.states.get("binary_sensor.mia_fever").state == "on"
    assert len(started) == 1

    leo = await link_user(hass, "Leo")
    response = await ask(
        hass,
        "AutoHomeRecordTemperature",
        user_id=leo,
        temperature=37.5,
        site="axillary",
        language="zh-Hans",
    )
    # No member named: the asking user's own; judged as core 38.0 °C.
    assert speech(response) == "已记录Leo的体温37.5 °C：发热。"
    assert hass.states.get("sensor.leo_body_temperature").attributes["site"] == (
        "axillary"
    )

    response = await ask(
        hass, "AutoHomeRecordTemperature", member="Mia", temperature=50
    )
    assert response.response_type is ERROR
    assert speech(response) == (
        "50 °C is not a plausible body temperature (allowed 30-45 °C)."
    )
    response = await ask(hass, "AutoHomeRecordTemperature", temperature=37)
    assert speech(response) == "Which member do you mean?"
    assert hass.states.get("sensor.mia_body_temperature").state == "38.4"


@pytest.mark.usefixtures("entry")
async def test_fahrenheit_household(hass: HomeAssistant) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    response = await ask(
        hass, "AutoHomeRecordTemperature", member="Leo", temperature=101.3
    )
    assert speech(response) == "Recorded 101.3 °F for Leo: fever."
    response = await ask(
        hass, "AutoHomeRecordTemperature", member="Leo", temperature=37, unit="°C"
    )
    assert speech(response) == "Recorded 98.6 °F for Leo: normal."


@pytest.mark.usefixtures("entry")
async def test_temperature_status(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    response = await ask(hass, "AutoHomeTemperatureStatus", member="Leo")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == "There is no temperature reading for Leo yet."

    await record(hass, "Leo", 37.0)
    await move_to(hass, freezer, local(NOW) + timedelta(days=3))
    response = await ask(hass, "AutoHomeTemperatureStatus", member="Leo")
    assert speech(response) == (
        "Leo's latest temperature is 37.0 °C, measured 3 days ago at 10:00: normal."
    )

    await record(hass, "Mia", 38.6)
    await move_to(hass, freezer, local("2026-11-27 07:30"))
    await record(hass, "Mia", 38.1)
    mia = await link_user(hass, "Mia")
    response = await ask(hass, "AutoHomeTemperatureStatus", user_id=mia)
    assert speech(response) == (
        "Mia's latest temperature is 38.1 °C, measured today at 07:30: fever."
        " Fever since yesterday at 10:00, highest 38.6 °C."
    )
    response = await ask(
        hass, "AutoHomeTemperatureStatus", member="Mia", language="zh-Hans"
    )
    assert speech(response) == (
        "Mia最近一次体温是38.1 °C，今天07:30测的：发热。从昨天10:00开始发热，最高38.6 °C。"
    )


async def test_own_member_only(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await async_setup_component(hass, "intent", {})
    await setup_voice_household(hass, freezer, {CONF_VOICE_SCOPE: VOICE_SCOPE_OWN})
    mia = await link_user(hass, "Mia")
    refused = "In this household you can only ask about your own member."
    for user_id in (mia, None):
        response = await ask(
            hass, "AutoHomeTemperatureStatus", user_id=user_id, member="Leo"
        )
        assert speech(response) == refused
    response = await ask(hass, "AutoHomeRecordTemperature", temperature=38.5)
    assert speech(response) == refused
    response = await ask(
        hass, "AutoHomeCompleteChore", user_id=mia, chore="Water plants", member="Leo"
    )
    assert speech(response) == refused
    assert attributes(hass, "sensor.water_plants_next_due")["status"] == "overdue"
    assert hass.states.get("sensor.leo_body_temperature").state == "unknown"

    # Their own member, and the household's chore list, are fine.
    response = await ask(
        hass, "AutoHomeRecordTemperature", user_id=mia, member="mia", temperature=37
    )
    assert speech(response) == "Recorded 37.0 °C for Mia: normal."
    response = await ask(hass, "AutoHomeListChores", user_id=mia)
    assert speech(response).startswith("Left to do today: Water plants for Leo")


async def test_household_not_loaded(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await async_setup_component(hass, "intent", {})
    entry = await setup_voice_household(hass, freezer)
    assert await hass.config_entries.async_unload(entry.entry_id)
    response = await ask(hass, "AutoHomeListChores")
    assert response.response_type is ERROR
    assert speech(response) == "Auto Home is not loaded right now."
    response = await ask(hass, "AutoHomeListChores", language="zh-Hans")
    assert speech(response) == "Auto Home 现在没有加载。"


@pytest.mark.usefixtures("entry")
async def test_record_weight(hass: HomeAssistant) -> None:
    response = await ask(
        hass, "AutoHomeRecordWeight", member="Leo", weight=72.4, unit="kg"
    )
    assert speech(response) == "Recorded 72.4 kg for Leo."
    assert hass.states.get("sensor.leo_weight").state == "72.4"
    # Far from the trend: kept out of it until the next reading confirms it.
    response = await ask(hass, "AutoHomeRecordWeight", member="Leo", weight=80)
    assert speech(response) == (
        "Recorded 80.0 kg for Leo. That is far from Leo's trend, so it counts once"
        " another reading confirms it."
    )
    mia = await link_user(hass, "Mia")
    response = await ask(
        hass,
        "AutoHomeRecordWeight",
        user_id=mia,
        weight=120,
        unit="jin",
        language="zh-Hans",
    )
    assert speech(response) == "已记录Mia的体重60.0 kg。"
    assert hass.states.get("sensor.mia_weight").state == "60.0"

    response = await ask(hass, "AutoHomeRecordWeight", member="Mia", weight=500)
    assert response.response_type is ERROR
    assert speech(response) == (
        "500 kg is not a plausible body weight (allowed 1-350 kg)."
    )
    assert hass.states.get("sensor.mia_weight").state == "60.0"


@pytest.mark.usefixtures("entry")
async def test_weight_in_pounds(hass: HomeAssistant) -> None:
    hass.config.units = US_CUSTOMARY_SYSTEM
    response = await ask(hass, "AutoHomeRecordWeight", member="Leo", weight=160)
    assert speech(response) == "Recorded 160.0 lb for Leo."
    report = await weight_report(hass, "Leo")
    assert report["trend_kg"] == pytest.approx(72.57, abs=0.01)
    response = await ask(hass, "AutoHomeWeightTrend", member="Leo")
    assert speech(response).startswith("Leo's weight trend is 160.0 lb;")


async def test_weight_trend(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await async_setup_component(hass, "intent", {})
    entry = await setup_voice_household(hass, freezer)
    response = await ask(hass, "AutoHomeWeightTrend", member="Leo")
    assert response.response_type is intent.IntentResponseType.QUERY_ANSWER
    assert speech(response) == "There is no weight reading for Leo yet."

    await weigh_daily(hass, "Leo", [72.0], days_ago=1)
    response = await ask(hass, "AutoHomeWeightTrend", member="Leo")
    assert speech(response) == (
        "Leo's weight trend is 72.0 kg; the latest reading was 72.0 kg, yesterday"
        " at 07:00. Too few recent readings to tell which way it is going."
    )

    # Three weeks losing 0.1 kg a day, towards a goal of 75 kg.
    hass.config_entries.async_update_subentry(
        entry, entry.subentries["member_mia"], data={"goal_weight": 75}
    )
    await hass.async_block_till_done()
    await weigh_daily(
        hass, "Mia", [round(80 - 0.1 * day, 1) for day in range(21)], days_ago=21
    )
    report = await weight_report(hass, "Mia")
    days = (
        dt_util.as_local(dt_util.parse_datetime(report["goal_date"])).date()
        - local(NOW).date()
    ).days
    response = await ask(hass, "AutoHomeWeightTrend", member="Mia")
    assert speech(response) == (
        f"Mia's weight trend is {report['trend_kg']:.1f} kg; the latest reading was"
        " 78.0 kg, yesterday at 07:00. It is going down by"
        f" {-report['rate_kg_per_week']:.1f} kg a week. At this pace the goal of"
        f" 75.0 kg is reached in {days} days."
    )
    response = await ask(hass, "AutoHomeWeightTrend", member="Mia", language="zh-Hans")
    assert speech(response) == (
        f"Mia的体重趋势是{report['trend_kg']:.1f} kg，最近一次是昨天07:00称的78.0 kg。"
        f"每周下降{-report['rate_kg_per_week']:.1f} kg。"
        f"按这个速度，{days}天后能达到目标75.0 kg。"
    )


async def test_weight_steady_rising_and_goal_reached(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    assert await async_setup_component(hass, "intent", {})
    entry = await setup_voice_household(hass, freezer)
    hass.config_entries.async_update_subentry(
        entry, entry.subentries["member_leo"], data={"goal_weight": 70}
    )
    await hass.async_block_till_done()
    await weigh_daily(hass, "Leo", [70.0, 70.1, 69.9, 70.0] * 4, days_ago=16)
    response = await ask(hass, "AutoHomeWeightTrend", member="Leo")
    assert speech(response).endswith(
        "It is holding steady. The goal of 70.0 kg is reached."
    )
    await weigh_daily(
        hass, "Mia", [round(60 + 0.1 * day, 1) for day in range(14)], days_ago=14
    )
    mia = await link_user(hass, "Mia")
    response = await ask(hass, "AutoHomeWeightTrend", user_id=mia)
    assert speech(response).endswith("It is going up by 0.7 kg a week.")
