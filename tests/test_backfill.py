"""Back-filled readings through a real hass: old fevers, earlier readings, old weights."""

from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
)

from custom_components.auto_home.const import DOMAIN

from .conftest import member

QUIET = {"quiet_start": "22:00:00", "quiet_end": "07:00:00"}


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Leo looks after Mia and has his phone."""
    return [
        member("Mia", caregivers=["member_leo"]),
        member("Leo", notify_targets=["notify.mobile_app_leo"]),
    ]


@pytest.fixture
def options() -> dict[str, Any]:
    """Quiet hours at night."""
    return QUIET


@pytest.fixture
def phone(hass: HomeAssistant) -> list[ServiceCall]:
    """Leo's phone, a legacy notify service."""
    return async_mock_service(hass, "notify", "mobile_app_leo")


async def _record(hass: HomeAssistant, action: str, **data: Any) -> dict[str, Any]:
    return await hass.services.async_call(
        DOMAIN, action, data, blocking=True, return_response=True
    )


def _local(*args: int) -> datetime:
    return datetime(*args, tzinfo=dt_util.get_default_time_zone())


async def test_backfilled_fever_does_not_page_at_night(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    phone: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """At 03:00 in quiet hours, 41.3 °C measured 13 days ago is recorded as an
    episode that began and ended then: its events say `backfilled`, nothing
    is urgent and nobody is woken, then or in the morning."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(_local(2026, 11, 25, 3, 0))
    await setup_entry()
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    response = await _record(
        hass,
        "record_temperature",
        member="Mia",
        temperature=41.3,
        measured_at="2026-11-12 03:00:00",
    )
    assert response["fever_status"] == "hyperpyrexia"
    assert response["current_fever_status"] == "hyperpyrexia"
    assert len(started) == len(ended) == 1
    for event in (*started, *ended):
        assert event.data["backfilled"] is True
        assert event.data["urgent"] is False
    assert hass.states.get("binary_sensor.mia_fever").state == "off"
    await hass.async_block_till_done()
    assert phone == []
    freezer.move_to(_local(2026, 11, 25, 7, 1))
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done()
    assert phone == []


async def test_live_fever_still_pages(
    hass: HomeAssistant,
    setup_entry: Any,
    phone: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """The same reading taken now is news: urgent, through quiet hours."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(_local(2026, 11, 25, 3, 0))
    await setup_entry()
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    await _record(hass, "record_temperature", member="Mia", temperature=41.3)
    assert started[0].data["backfilled"] is False
    assert started[0].data["urgent"] is True
    # Sent once its escalation chain is on disk.
    await hass.async_block_till_done()
    assert len(phone) == 1


def _ago(hours: float) -> str:
    return dt_util.as_local(dt_util.utcnow() - timedelta(hours=hours)).strftime(
        "%Y-%m-%d %H:%M:%S"
    )


async def test_backfill_that_reaches_now_reopens_the_fever(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    phone: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """38.9 °C from 30 h ago, then 39.4 °C from 20 h ago: the fever lasts 4
    more hours. It is shown, told as live and its end is timed."""
    freezer.move_to(_local(2026, 11, 25, 12, 0))
    await setup_entry()
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    await _record(
        hass, "record_temperature", member="Mia", temperature=38.9, measured_at=_ago(30)
    )
    assert [event.data["backfilled"] for event in (*started, *ended)] == [True, True]
    await _record(
        hass, "record_temperature", member="Mia", temperature=39.4, measured_at=_ago(20)
    )
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.mia_fever").state == "on"
    assert len(started) == 2
    assert started[1].data["backfilled"] is False
    assert (started[1].data["readings"], started[1].data["peak_c"]) == (2, 39.4)
    assert len(phone) == 1
    episode = config_entry.runtime_data.temperature.members[
        "member_mia"
    ].tracker.episode
    assert episode is not None
    assert episode.started_at == dt_util.utcnow() - timedelta(hours=30)
    freezer.tick(timedelta(hours=4))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.mia_fever").state == "off"
    assert len(ended) == 2
    assert ended[1].data["backfilled"] is False


async def test_multi_reading_past_fever_is_one_backfilled_episode(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    phone: list[ServiceCall],
    freezer: FrozenDateTimeFactory,
) -> None:
    """38.9, 39.8 and 38.6 °C from 72, 68 and 64 hours ago, recorded one by
    one: one past episode of three readings peaking at 39.8, nobody told."""
    freezer.move_to(_local(2026, 11, 25, 12, 0))
    await setup_entry()
    started = async_capture_events(hass, f"{DOMAIN}_fever_started")
    for hours, value in ((72, 38.9), (68, 39.8), (64, 38.6)):
        await _record(
            hass,
            "record_temperature",
            member="Mia",
            temperature=value,
            measured_at=_ago(hours),
        )
    await hass.async_block_till_done()
    tracker = config_entry.runtime_data.temperature.members["member_mia"].tracker
    assert tracker.episode is None
    assert tracker.last_ended is not None
    assert (tracker.last_ended.readings, tracker.last_ended.peak_c) == (3, 39.8)
    assert tracker.last_ended.ended_at == dt_util.utcnow() - timedelta(hours=40)
    assert len(started) == 1
    assert started[0].data["backfilled"] is True
    assert hass.states.get("binary_sensor.mia_fever").state == "off"
    assert phone == []


async def test_earlier_reading_extends_the_open_episode(
    hass: HomeAssistant,
    setup_entry: Any,
    config_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    """38.9 °C at 21:40, then 39.1 °C axillary measured at 19:30: the episode
    began at 19:30, peaked at 39.6 °C core and holds two readings; the response
    gives this reading's class and the member's status now apart."""
    freezer.move_to(_local(2026, 11, 24, 21, 45))
    await setup_entry()
    escalated = async_capture_events(hass, f"{DOMAIN}_fever_escalated")
    await _record(
        hass,
        "record_temperature",
        member="Mia",
        temperature=38.9,
        measured_at="2026-11-24 21:40:00",
    )
    response = await _record(
        hass,
        "record_temperature",
        member="Mia",
        temperature=39.1,
        site="axillary",
        measured_at="2026-11-24 19:30:00",
    )
    assert response["fever_status"] == "high_fever"
    # The latest reading is still the 38.9 of 21:40.
    assert response["current_fever_status"] == "fever"
    state = hass.states.get("binary_sensor.mia_fever")
    assert state.state == "on"
    episode = config_entry.runtime_data.temperature.members[
        "member_mia"
    ].tracker.episode
    assert episode is not None
    assert episode.started_at == dt_util.as_utc(_local(2026, 11, 24, 19, 30))
    assert (episode.peak_c, episode.readings) == (39.6, 2)
    assert len(escalated) == 1
    assert escalated[0].data["backfilled"] is False


async def _weekly_then_old_75(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, weeks: int, ago: timedelta
) -> dict[str, Any]:
    """Weigh Mia weekly from 62.0 kg down, add 75 kg measured `ago` before the
    latest; return the report, checked to be as it was before the 75 kg."""
    start = dt_util.now()
    for week in range(weeks):
        freezer.move_to(start + timedelta(weeks=week))
        await _record(
            hass, "record_weight", member="Mia", weight=round(62.0 - 0.05 * week, 2)
        )
    before = await _record(hass, "get_weight_report", member="Mia")
    await _record(
        hass,
        "record_weight",
        member="Mia",
        weight=75.0,
        measured_at=(dt_util.now() - ago).strftime("%Y-%m-%d %H:%M:%S"),
    )
    after = await _record(hass, "get_weight_report", member="Mia")
    assert after["trend_kg"] == before["trend_kg"]
    assert after["rate_kg_per_week"] == before["rate_kg_per_week"]
    assert after["forecast"] == before["forecast"]
    return after


async def test_weight_older_than_the_trend_window_is_history_only(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A weekly weigher at 62.0 → 61.35 kg adds 75 kg from a year ago: it is
    stored, but trend, forecast and weekly change stay theirs, and the next
    real readings are not outliers."""
    start = _local(2026, 9, 1, 7, 0)
    freezer.move_to(start)
    entry = await setup_entry()
    # Fourteen weeks: the oldest fall out of the 90 days kept for the trend.
    report = await _weekly_then_old_75(hass, freezer, 14, timedelta(weeks=13, days=365))
    assert report["rate_kg_per_week"] is not None
    weight = entry.runtime_data.weight.members["member_mia"]
    assert weight.readings == 15
    assert len(weight.recent) == 13
    freezer.move_to(start + timedelta(weeks=14))
    await _record(hass, "record_weight", member="Mia", weight=61.3)
    assert not any(reading.flagged for reading in weight.recent)
    assert hass.states.get("sensor.mia_weight").state != "75.0"


async def test_late_reading_ends_the_episode_once(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A reading after the quiet period ends the episode before the timer
    does; the timer then announces nothing more."""
    freezer.move_to(_local(2026, 11, 24, 12, 0))
    await setup_entry()
    ended = async_capture_events(hass, f"{DOMAIN}_fever_ended")
    await _record(hass, "record_temperature", member="Mia", temperature=38.5)
    freezer.tick(timedelta(hours=25))
    await _record(hass, "record_temperature", member="Mia", temperature=36.8)
    assert len(ended) == 1
    assert ended[0].data["backfilled"] is False
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(ended) == 1


async def test_weight_before_the_trend_that_does_not_fit_it_is_history_only(
    hass: HomeAssistant,
    setup_entry: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A weekly weigher at 62.0 → 61.5 kg adds 75 kg from 85 days before the
    latest, before her first reading: it is stored, but trend, forecast and
    weekly change stay hers, and her next reading is no outlier. A reading
    there that fits her weight then joins the trend."""
    start = _local(2026, 9, 1, 7, 0)
    freezer.move_to(start)
    entry = await setup_entry()
    await _weekly_then_old_75(hass, freezer, 11, timedelta(days=85))
    old = dt_util.now() - timedelta(days=85)
    weight = entry.runtime_data.weight.members["member_mia"]
    assert weight.readings == 12
    assert len(weight.recent) == 11
    freezer.move_to(start + timedelta(weeks=11))
    await _record(hass, "record_weight", member="Mia", weight=61.4)
    assert not any(reading.flagged for reading in weight.recent)
    await _record(
        hass,
        "record_weight",
        member="Mia",
        weight=62.3,
        measured_at=(old + timedelta(days=10)).strftime("%Y-%m-%d %H:%M:%S"),
    )
    assert [reading.kg for reading in weight.recent[:2]] == [62.3, 62.0]
    assert not any(reading.flagged for reading in weight.recent)
