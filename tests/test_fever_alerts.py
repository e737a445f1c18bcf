"""Fever alerts a parent can act on: what they say, Acknowledge, escalation."""

# ruff: noqa: RUF001

from datetime import date, datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import Context, HomeAssistant, ServiceCall
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN

from .conftest import member

TAG = f"{DOMAIN}_fever_member_mia"
ACK = "AUTO_HOME_ACK_member_mia"
# Mia is 6 weeks old on the day of the tests.
TODAY = date(2026, 11, 25)
MIA_BORN = (TODAY - timedelta(weeks=6)).isoformat()


@pytest.fixture
def phones(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """The phones of Mia's parents, Leo and Ava."""
    return {
        name: async_mock_service(hass, "notify", f"mobile_app_{name}")
        for name in ("leo", "ava")
    }


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia, a baby, looked after by Leo, then Ava; Ava is linked to a person."""
    return [
        member(
            "Mia",
            birth_date=MIA_BORN,
            temperature_site="axillary",
            caregivers=["member_leo", "member_ava"],
        ),
        member("Leo", notify_targets=["notify.mobile_app_leo"]),
        member("Ava", notify_targets=["notify.mobile_app_ava"], person="person.ava"),
        member("Ben", notify_targets=["notify.mobile_app_leo"]),
    ]


@pytest.fixture
async def household(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_entry: Any
) -> MockConfigEntry:
    """The household at 03:00 in Berlin, with Leo's and Ava's phones."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(
        datetime(2026, 11, 25, 3, 0, tzinfo=dt_util.get_default_time_zone())
    )
    entry: MockConfigEntry = await setup_entry()
    return entry


async def _record(hass: HomeAssistant, name: str, value: float, **data: Any) -> None:
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": name, "temperature": value, **data},
        blocking=True,
    )
    await hass.async_block_till_done()


async def _after(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, delta: timedelta
) -> None:
    freezer.tick(delta)
    async_fire_time_changed(hass)
    await hass.async_block_till_done()


def _texts(calls: list[ServiceCall]) -> list[str]:
    return [call.data["message"] for call in calls]


def _persistent(hass: HomeAssistant) -> dict[str, Any]:
    return persistent_notification._async_get_or_create_notifications(hass)


def _episode(hass: HomeAssistant) -> dict[str, Any]:
    return dict(hass.states.get("binary_sensor.mia_fever").attributes)


async def test_infant_armpit_reading_says_what_was_measured(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The issue's bug: 39.4 °C in the armpit read as "high fever: 39.9 °C"."""
    await _record(hass, "Mia", 38.3, site="oral")
    await hass.services.async_call(
        DOMAIN, "acknowledge_alert", {"member": "Mia"}, blocking=True
    )
    freezer.tick(timedelta(minutes=80))
    await _record(hass, "Mia", 39.4)
    call = phones["leo"][-1]
    assert call.data["title"] == "Urgent: Mia's fever"
    assert call.data["message"] == (
        "Mia's fever rose to high fever: 39.4 °C (armpit), 39.9 °C oral-equivalent.\n"
        "Peak 39.9 °C, fever for 1 h 20 min.\n"
        "Contact a doctor now: a baby under 3 months with a temperature of 38 °C or"
        " more needs to be seen urgently (NICE NG143; AAP)."
    )
    data = call.data["data"]
    assert data["tag"] == TAG
    assert data["actions"] == [{"action": ACK, "title": "Acknowledge"}]
    assert data["push"] == {"interruption-level": "time-sensitive"}


async def test_unacknowledged_alert_escalates_then_reaches_the_household(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _record(hass, "Mia", 38.2)
    # The first caregiver only; an infant's fever needs a doctor.
    assert _texts(phones["leo"]) == [
        "Mia's temperature is 38.2 °C (armpit), 38.7 °C oral-equivalent: fever.\n"
        "Contact a doctor now: a baby under 3 months with a temperature of 38 °C or"
        " more needs to be seen urgently (NICE NG143; AAP)."
    ]
    assert phones["ava"] == []
    await _after(hass, freezer, timedelta(minutes=9, seconds=59))
    assert phones["ava"] == []
    await _after(hass, freezer, timedelta(seconds=2))
    (to_ava,) = phones["ava"]
    assert to_ava.data["message"].startswith(
        "Not acknowledged 10 min after it went to Leo."
    )
    assert to_ava.data["data"]["actions"] == [{"action": ACK, "title": "Acknowledge"}]
    assert TAG not in _persistent(hass)

    # A new urgent reading meanwhile: told where it arrived, no second chain.
    freezer.tick(timedelta(minutes=5))
    await _record(hass, "Mia", 39.1)
    assert _texts(phones["leo"])[-1].startswith("Mia's fever rose to high fever")
    assert _texts(phones["ava"])[-1].startswith("Mia's fever rose to high fever")
    assert (len(phones["leo"]), len(phones["ava"])) == (2, 2)
    # The chain keeps its time: 10 min after Ava was told, the household.
    await _after(hass, freezer, timedelta(minutes=5, seconds=1))
    household_alert = _persistent(hass)[TAG]
    assert household_alert["title"] == "Urgent: Mia's fever"
    assert household_alert["message"].startswith(
        "Not acknowledged 10 min after it went to Leo, Ava."
    )
    assert "39.1 °C (armpit), 39.6 °C oral-equivalent" in household_alert["message"]
    # Nobody after the household: still pending, nothing more is sent.
    await _after(hass, freezer, timedelta(hours=1))
    assert (len(phones["leo"]), len(phones["ava"])) == (2, 2)
    assert household.runtime_data.reminders.fever.pending


async def test_phone_acknowledge_stops_the_chain_and_is_recorded(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    user = await hass.auth.async_create_user("Ava")
    hass.states.async_set("person.ava", "home", {"user_id": user.id})
    await _record(hass, "Mia", 38.4)
    await _after(hass, freezer, timedelta(minutes=10, seconds=1))
    assert len(phones["ava"]) == 1
    freezer.tick(timedelta(minutes=2))
    hass.bus.async_fire(
        "mobile_app_notification_action",
        {"action": ACK},
        context=Context(user_id=user.id),
    )
    await hass.async_block_till_done()
    # Replaced where it arrived (tag), at 03:12 Berlin.
    ack = "Mia's fever alert was acknowledged by Ava at 03:12."
    assert _texts(phones["leo"])[-1] == ack
    assert _texts(phones["ava"])[-1] == ack
    assert phones["ava"][-1].data["data"]["tag"] == TAG
    episode = _episode(hass)
    assert episode["acknowledged_by"] == "Ava"
    assert dt_util.parse_datetime(episode["acknowledged_at"]) == dt_util.utcnow()
    # No household step follows.
    await _after(hass, freezer, timedelta(hours=1))
    assert TAG not in _persistent(hass)
    assert (len(phones["leo"]), len(phones["ava"])) == (2, 2)
    # Another household's or app's action does nothing.
    hass.bus.async_fire("mobile_app_notification_action", {"action": "AUTO_HOME_ACK_x"})
    await hass.async_block_till_done()


async def test_service_acknowledges_and_refuses_when_nothing_pends(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    with pytest.raises(ServiceValidationError) as refused:
        await hass.services.async_call(
            DOMAIN, "acknowledge_alert", {"member": "Mia"}, blocking=True
        )
    assert refused.value.translation_key == "no_alert_pending"
    await _record(hass, "Mia", 38.4)
    await _after(hass, freezer, timedelta(minutes=10, seconds=1))
    await _after(hass, freezer, timedelta(minutes=10, seconds=1))
    assert TAG in _persistent(hass)
    await hass.services.async_call(
        DOMAIN, "acknowledge_alert", {"member": "Mia"}, blocking=True
    )
    await hass.async_block_till_done()
    # The household's notification is dismissed; no user: nobody named.
    assert TAG not in _persistent(hass)
    assert _texts(phones["leo"])[-1] == "Mia's fever alert was acknowledged at 03:20."
    assert _episode(hass)["acknowledged_by"] is None
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "acknowledge_alert", {"member": "Mia"}, blocking=True
        )


async def test_restart_keeps_the_chain_and_its_time(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _record(hass, "Mia", 38.4)
    freezer.tick(timedelta(minutes=4))
    assert await hass.config_entries.async_unload(household.entry_id)
    # Stopped for 3 minutes: 3 of the 10 are left at the start.
    await _after(hass, freezer, timedelta(minutes=3))
    assert await hass.config_entries.async_setup(household.entry_id)
    await hass.async_block_till_done()
    assert phones["ava"] == []
    await _after(hass, freezer, timedelta(minutes=2, seconds=59))
    assert phones["ava"] == []
    await _after(hass, freezer, timedelta(seconds=2))
    assert len(phones["ava"]) == 1
    assert len(phones["leo"]) == 1

    # Stopped past the household's step: sent once at the start, never again.
    assert await hass.config_entries.async_unload(household.entry_id)
    await _after(hass, freezer, timedelta(minutes=30))
    assert await hass.config_entries.async_setup(household.entry_id)
    await hass.async_block_till_done()
    await _after(hass, freezer, timedelta(seconds=1))
    assert TAG in _persistent(hass)
    persistent_notification.async_dismiss(hass, TAG)
    await hass.config_entries.async_reload(household.entry_id)
    await _after(hass, freezer, timedelta(hours=1))
    assert TAG not in _persistent(hass)
    assert (len(phones["leo"]), len(phones["ava"])) == (1, 1)


async def test_a_longer_wait_re_times_a_pending_chain(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _record(hass, "Mia", 38.4)
    freezer.tick(timedelta(minutes=5))
    hass.config_entries.async_update_entry(
        household, options={**household.options, "alert_wait_minutes": 30}
    )
    await hass.async_block_till_done()
    await _after(hass, freezer, timedelta(minutes=10))
    assert phones["ava"] == []
    # 30 minutes after Leo was told.
    await _after(hass, freezer, timedelta(minutes=15, seconds=1))
    assert len(phones["ava"]) == 1


async def test_episode_over_while_stopped_ends_the_chain(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _record(hass, "Mia", 38.4)
    assert await hass.config_entries.async_unload(household.entry_id)
    await _after(hass, freezer, timedelta(hours=25))
    assert await hass.config_entries.async_setup(household.entry_id)
    await hass.async_block_till_done()
    await _after(hass, freezer, timedelta(minutes=30))
    # No escalation for a fever that is over.
    assert phones["ava"] == []
    assert TAG not in _persistent(hass)
    assert household.runtime_data.reminders.fever.pending == {}
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            DOMAIN, "acknowledge_alert", {"member": "Mia"}, blocking=True
        )


@pytest.mark.parametrize(
    "options",
    [{"household_targets": ["persistent_notification"], "alert_wait_minutes": 5}],
)
async def test_adult_hyperpyrexia_without_caregivers_zh_hans(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    freezer: FrozenDateTimeFactory,
    setup_entry: Any,
) -> None:
    """Ben has no caregivers: his own targets first, then the household."""
    hass.config.language = "zh-Hans"
    freezer.move_to(datetime(2026, 11, 25, 3, 0, tzinfo=dt_util.UTC))
    await setup_entry()
    await _record(hass, "Ben", 40.2)
    assert phones["leo"] == []
    await _record(hass, "Ben", 41.3)
    (call,) = phones["leo"]
    assert call.data["title"] == "紧急：Ben发热"
    assert call.data["message"] == (
        "Ben的体温升到了超高热：41.3 °C（口温）。\n"
        "请立即就医：体温达到 41 °C 及以上（超高热），任何年龄都属于急症。"
    )
    assert call.data["data"]["actions"] == [
        {"action": "AUTO_HOME_ACK_member_ben", "title": "确认收到"}
    ]
    await _after(hass, freezer, timedelta(minutes=5, seconds=1))
    alert = _persistent(hass)[f"{DOMAIN}_fever_member_ben"]
    assert alert["message"].startswith("发给Ben已 5 分钟，仍无人确认。")

    await _record(hass, "Mia", 38.4)
    await _after(hass, freezer, timedelta(minutes=5, seconds=1))
    await _after(hass, freezer, timedelta(minutes=5, seconds=1))
    assert _persistent(hass)[TAG]["message"].startswith(
        "发给Leo、Ava已 5 分钟，仍无人确认。"
    )


@pytest.mark.parametrize(
    "options",
    [
        {
            "household_targets": ["persistent_notification"],
            "advice_infant_fever": "Call Dr. Lin: 030 1234 567.",
        }
    ],
)
async def test_advice_from_the_options(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
) -> None:
    await _record(hass, "Mia", 38.0, site="rectal")
    # An infant's reading counts as measured (38.0 on any thermometer).
    assert _texts(phones["leo"]) == [
        "Mia's temperature is 38.0 °C (rectal): fever.\nCall Dr. Lin: 030 1234 567."
    ]


async def test_options_flow_sets_wait_and_advice_empty_restores_default(
    hass: HomeAssistant, household: MockConfigEntry
) -> None:
    options = hass.config_entries.options
    result = await options.async_init(household.entry_id)
    result = await options.async_configure(
        result["flow_id"], {"next_step_id": "alerts"}
    )
    assert result["step_id"] == "alerts"
    result = await options.async_configure(
        result["flow_id"], {"alert_wait_minutes": {"minutes": 0}}
    )
    assert result["errors"] == {"alert_wait_minutes": "alert_wait_out_of_range"}
    result = await options.async_configure(
        result["flow_id"],
        {
            "alert_wait_minutes": {"minutes": 15},
            "advice_hyperpyrexia": "  Call 112.  ",
        },
    )
    result = await options.async_configure(result["flow_id"], {"next_step_id": "save"})
    assert household.options["alert_wait_minutes"] == 15
    assert household.options["advice_hyperpyrexia"] == "Call 112."
    coordinator = household.runtime_data
    assert coordinator.options.alert_wait == timedelta(minutes=15)

    result = await options.async_init(household.entry_id)
    result = await options.async_configure(
        result["flow_id"], {"next_step_id": "alerts"}
    )
    result = await options.async_configure(
        result["flow_id"], {"alert_wait_minutes": {"minutes": 15}}
    )
    result = await options.async_configure(result["flow_id"], {"next_step_id": "save"})
    assert "advice_hyperpyrexia" not in household.options
    assert household.runtime_data.options.advice == {}


@pytest.mark.parametrize(
    "options",
    [
        {
            "household_targets": ["persistent_notification"],
            "quiet_start": "22:00:00",
            "quiet_end": "07:00:00",
        }
    ],
)
async def test_acknowledged_in_quiet_hours_clears_now_and_tells_in_the_morning(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    # Urgent: through quiet hours.
    await _record(hass, "Mia", 38.4)
    assert len(phones["leo"]) == 1
    await hass.services.async_call(
        DOMAIN, "acknowledge_alert", {"member": "Mia"}, blocking=True
    )
    await hass.async_block_till_done()
    assert phones["leo"][-1].data == {
        "message": "clear_notification",
        "data": {"tag": TAG},
    }
    await _after(hass, freezer, timedelta(hours=4, seconds=1))
    assert _texts(phones["leo"])[-1] == ("Mia's fever alert was acknowledged at 03:00.")


async def test_a_step_that_reached_nobody_moves_on_at_once(
    hass: HomeAssistant, household: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Leo's phone has no notify service: Ava is told at once, not 10 min later."""
    ava = async_mock_service(hass, "notify", "mobile_app_ava")
    await _record(hass, "Mia", 38.2)
    (first,) = _texts(ava)
    # Nobody was told before Ava: no "not acknowledged" claim.
    assert first.startswith("Mia's temperature is 38.2 °C (armpit)")
    assert household.runtime_data.reminders.fever.pending["member_mia"].reached == (
        "notify.mobile_app_ava",
    )
    # A new urgent reading goes where the alert arrived: Ava.
    freezer.tick(timedelta(minutes=4))
    await _record(hass, "Mia", 39.1)
    assert _texts(ava)[-1].startswith("Mia's fever rose to high fever")
    assert TAG not in _persistent(hass)
    # The household 10 min after Ava was told, naming only Ava.
    await _after(hass, freezer, timedelta(minutes=5, seconds=59))
    assert TAG not in _persistent(hass)
    await _after(hass, freezer, timedelta(seconds=2))
    assert _persistent(hass)[TAG]["message"].startswith(
        "Not acknowledged 10 min after it went to Ava."
    )
    assert len(ava) == 2


async def test_a_later_step_that_reached_nobody_goes_to_the_household_at_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, setup_entry: Any
) -> None:
    """Ava's phone has no notify service: after Leo's wait, the household at once."""
    freezer.move_to(datetime(2026, 11, 25, 3, 0, tzinfo=dt_util.UTC))
    leo = async_mock_service(hass, "notify", "mobile_app_leo")
    await setup_entry()
    await _record(hass, "Mia", 38.2)
    assert len(leo) == 1
    await _after(hass, freezer, timedelta(minutes=10, seconds=1))
    assert _persistent(hass)[TAG]["message"].startswith(
        "Not acknowledged 10 min after it went to Leo. Press"
    )


async def test_alerts_are_in_the_households_unit(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    household: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An imperial household reads °F in every alert, from start to end."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    await _record(hass, "Mia", 100.8)
    assert _texts(phones["leo"])[0].startswith(
        "Mia's temperature is 100.8 °F (armpit), 101.7 °F oral-equivalent: fever."
    )
    freezer.tick(timedelta(minutes=80))
    await _record(hass, "Mia", 39.4, unit="°C")
    assert _texts(phones["leo"])[-1].startswith(
        "Mia's fever rose to high fever: 102.9 °F (armpit), 103.8 °F oral-equivalent.\n"
        "Peak 103.8 °F, fever for 1 h 20 min.\n"
    )
    freezer.tick(timedelta(hours=1))
    await _record(hass, "Mia", 97.7, site="oral")
    await _after(hass, freezer, timedelta(hours=24, seconds=1))
    assert _texts(phones["leo"])[-1] == (
        "Mia's fever is over after 1.3 hours (peak 103.8 °F)."
    )
