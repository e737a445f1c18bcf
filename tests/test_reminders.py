"""Reminders through real notify services, a notify entity and persistent ones."""

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components import persistent_notification
from homeassistant.components.notify import NotifyEntity, NotifyEntityFeature
from homeassistant.config_entries import ConfigEntry, ConfigFlow, ConfigSubentryData
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockModule,
    MockPlatform,
    async_fire_time_changed,
    async_mock_service,
    mock_config_flow,
    mock_integration,
    mock_platform,
)

from custom_components.auto_home.const import DOMAIN
from custom_components.auto_home.notifier import (
    Message,
    async_clear,
    async_deliver,
    target_exists,
)

from .conftest import member

QUIET = {"quiet_start": "22:00:00", "quiet_end": "07:00:00"}


class RecordingNotifyEntity(NotifyEntity):
    """A notify entity that keeps what it was sent."""

    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(self) -> None:
        self._attr_unique_id = "kitchen"
        self._attr_name = "Kitchen display"
        self.messages: list[tuple[str | None, str]] = []

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        self.messages.append((title, message))


class _TestFlow(ConfigFlow):
    """Flow handler of the test integration that provides the notify entity."""


@pytest.fixture
async def kitchen(hass: HomeAssistant) -> AsyncIterator[RecordingNotifyEntity]:
    """A real notify entity, notify.kitchen_display, from a test integration."""
    entity = RecordingNotifyEntity()

    async def setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
        await hass.config_entries.async_forward_entry_setups(entry, ["notify"])
        return True

    async def setup_platform(
        hass: HomeAssistant,
        entry: ConfigEntry,
        async_add_entities: AddConfigEntryEntitiesCallback,
    ) -> None:
        async_add_entities([entity])

    mock_integration(hass, MockModule("test", async_setup_entry=setup_entry))
    mock_platform(hass, "test.config_flow")
    mock_platform(hass, "test.notify", MockPlatform(async_setup_entry=setup_platform))
    entry = MockConfigEntry(domain="test")
    entry.add_to_hass(hass)
    with mock_config_flow("test", _TestFlow):
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        assert hass.states.get("notify.kitchen_display") is not None
        yield entity


@pytest.fixture
def phones(hass: HomeAssistant) -> dict[str, list[ServiceCall]]:
    """Legacy notify services of two phones, registered in hass."""
    return {
        "mia": async_mock_service(hass, "notify", "mobile_app_mia"),
        "leo": async_mock_service(hass, "notify", "mobile_app_leo"),
    }


@pytest.fixture
def options() -> dict[str, Any]:
    """Household options."""
    return {"household_targets": ["persistent_notification"]}


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia is looked after by Leo; Leo has his phone."""
    return [
        member(
            "Mia", notify_targets=["notify.mobile_app_mia"], caregivers=["member_leo"]
        ),
        member("Leo", notify_targets=["notify.mobile_app_leo"]),
        member("Ava", caregivers=["member_leo", "member_mia"]),
    ]


async def _record(hass: HomeAssistant, member_name: str, value: float) -> None:
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": member_name, "temperature": value},
        blocking=True,
    )


async def _send(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    return await hass.services.async_call(
        DOMAIN, "send_reminder", data, blocking=True, return_response=True
    )


async def test_fever_alerts_go_to_caregivers(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    loaded_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _record(hass, "Mia", 38.4)
    assert len(phones["leo"]) == 1
    assert phones["mia"] == []
    call = phones["leo"][0]
    assert call.data["title"] == "Fever: Mia"
    assert call.data["message"] == "Mia's temperature is 38.4 °C (oral): fever."
    assert call.data["data"]["tag"] == f"{DOMAIN}_fever_member_mia"
    assert "push" not in call.data["data"]

    freezer.tick(timedelta(minutes=90))
    await _record(hass, "Mia", 39.5)
    assert phones["leo"][1].data["message"] == (
        "Mia's fever rose to high fever: 39.5 °C (oral).\n"
        "Peak 39.5 °C, fever for 1 h 30 min."
    )
    freezer.tick(timedelta(hours=25))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert phones["leo"][-1].data["message"].startswith("Mia's fever is over after")


async def test_recheck_reminder_while_episode_open(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    loaded_entry: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
) -> None:
    await _record(hass, "Mia", 38.4)
    assert len(phones["leo"]) == 1
    freezer.tick(timedelta(hours=4, seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert phones["leo"][-1].data["message"] == (
        "Time to measure Mia's temperature again."
    )
    # Not again after a restart.
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    assert len(phones["leo"]) == 2


async def test_several_caregivers_and_household_default(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    loaded_entry: MockConfigEntry,
) -> None:
    await _record(hass, "Ava", 38.6)
    assert len(phones["leo"]) == 1
    assert len(phones["mia"]) == 1
    # Leo has no caregivers: the household target (persistent notification).
    await _record(hass, "Leo", 38.6)
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert notifications[f"{DOMAIN}_fever_member_leo"]["title"] == "Fever: Leo"


@pytest.mark.parametrize(
    "options", [{**QUIET, "household_targets": ["notify.mobile_app_mia"]}]
)
async def test_quiet_hours_defer_and_collapse(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    freezer: FrozenDateTimeFactory,
    setup_entry: Any,
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(
        datetime(2026, 11, 25, 23, 0, tzinfo=dt_util.get_default_time_zone())
    )
    entry = await setup_entry()
    async_mock_service(
        hass, "notify", "broken", raise_exception=HomeAssistantError("offline")
    )
    await _send(hass, message="Into the void", targets=["notify.broken"])
    first = await _send(hass, message="Bins out", members=["Leo"])
    assert first == {"targets": {"notify.mobile_app_leo": "deferred"}}
    await _send(hass, message="Lock the door", title="Night", members=["Leo"])
    await _send(hass, message="Feed the cat")
    assert phones["leo"] == []
    assert phones["mia"] == []

    freezer.move_to(
        datetime(2026, 11, 26, 7, 0, 1, tzinfo=dt_util.get_default_time_zone())
    )
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert len(phones["leo"]) == 1
    assert phones["leo"][0].data["title"] == "Home: 2 reminders"
    assert (
        phones["leo"][0].data["message"] == "• Home: Bins out\n• Night: Lock the door"
    )
    assert len(phones["mia"]) == 1
    assert phones["mia"][0].data["message"] == "Feed the cat"
    assert entry.runtime_data.reminders.failures == {"notify.broken": 1}
    freezer.tick(timedelta(days=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert (len(phones["leo"]), len(phones["mia"])) == (1, 1)


@pytest.mark.parametrize("options", [QUIET])
async def test_urgent_fever_breaks_quiet_hours(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    freezer: FrozenDateTimeFactory,
    setup_entry: Any,
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(
        datetime(2026, 11, 25, 2, 0, tzinfo=dt_util.get_default_time_zone())
    )
    await setup_entry()
    await _record(hass, "Mia", 38.2)
    assert phones["leo"] == []
    await _record(hass, "Mia", 41.2)
    # Sent once its escalation chain is on disk.
    await hass.async_block_till_done()
    assert len(phones["leo"]) == 1
    data = phones["leo"][0].data["data"]
    assert data["push"] == {"interruption-level": "time-sensitive"}
    assert data["priority"] == "high"


@pytest.mark.parametrize("options", [QUIET])
async def test_deferred_reminders_survive_restart_and_go_once(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    freezer: FrozenDateTimeFactory,
    setup_entry: Any,
) -> None:
    await hass.config.async_set_time_zone("Europe/Berlin")
    tz = dt_util.get_default_time_zone()
    freezer.move_to(datetime(2026, 11, 25, 23, 0, tzinfo=tz))
    entry = await setup_entry()
    await _send(hass, message="Bins out", members=["Mia"])
    await hass.config_entries.async_unload(entry.entry_id)
    # Home Assistant was down when the quiet hours ended.
    freezer.move_to(datetime(2026, 11, 26, 9, 0, tzinfo=tz))
    await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert [call.data["message"] for call in phones["mia"]] == ["Bins out"]
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert len(phones["mia"]) == 1


async def test_send_reminder_to_entity_and_persistent(
    hass: HomeAssistant,
    kitchen: RecordingNotifyEntity,
    loaded_entry: MockConfigEntry,
) -> None:
    response = await _send(
        hass,
        message="Dinner is ready",
        title="Kitchen",
        targets=["notify.kitchen_display", "persistent_notification"],
    )
    assert response == {
        "targets": {"notify.kitchen_display": "sent", "persistent_notification": "sent"}
    }
    assert kitchen.messages == [("Kitchen", "Dinner is ready")]
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert any(n["message"] == "Dinner is ready" for n in notifications.values())


async def test_failing_target_does_not_block_others(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    loaded_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async_mock_service(
        hass, "notify", "broken", raise_exception=HomeAssistantError("offline")
    )
    response = await _send(
        hass,
        message="Hello",
        targets=["notify.broken", "notify.mobile_app_mia"],
        members=["Leo"],
    )
    assert response["targets"] == {
        "notify.mobile_app_leo": "sent",
        "notify.broken": "failed",
        "notify.mobile_app_mia": "sent",
    }
    assert len(phones["mia"]) == 1
    assert loaded_entry.runtime_data.reminders.failures == {"notify.broken": 1}
    # Clearing on a phone that fails is logged, never raised.
    await async_clear(hass, "notify.broken", "auto_home_chore_x")
    assert "Could not clear auto_home_chore_x on notify.broken" in caplog.text


async def test_unknown_target_or_member_is_refused(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    loaded_entry: MockConfigEntry,
) -> None:
    with pytest.raises(ServiceValidationError) as raised:
        await _send(hass, message="Hi", targets=["notify.nobody"])
    assert raised.value.translation_key == "unknown_target"
    with pytest.raises(ServiceValidationError) as raised:
        await _send(hass, message="Hi", members=["Nobody"])
    assert raised.value.translation_key == "unknown_member"
    assert phones["mia"] == phones["leo"] == []


@pytest.mark.parametrize(
    "subentries", [[member("Mia", notify_targets=["notify.mobile_app_gone"])]]
)
async def test_missing_target_raises_repair_issue(
    hass: HomeAssistant, setup_entry: Any, issue_registry: ir.IssueRegistry
) -> None:
    await setup_entry()
    issue = issue_registry.async_get_issue(
        DOMAIN, "missing_target_notify_mobile_app_gone"
    )
    assert issue is not None
    assert issue.translation_key == "missing_notify_target"
    assert issue.translation_placeholders == {
        "target": "notify.mobile_app_gone",
        "where": "Mia",
    }
    # The phone comes back: the issue goes on the next start.
    async_mock_service(hass, "notify", "mobile_app_gone")
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert (
        issue_registry.async_get_issue(DOMAIN, "missing_target_notify_mobile_app_gone")
        is None
    )


async def test_options_and_member_flow_validate_targets(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    kitchen: RecordingNotifyEntity,
    loaded_entry: MockConfigEntry,
) -> None:
    result = await hass.config_entries.options.async_init(loaded_entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "reminders"}
    )
    schema = result["data_schema"].schema
    options = next(
        [option["value"] for option in value.config["options"]]
        for key, value in schema.items()
        if key == "household_targets"
    )
    assert options == [
        "persistent_notification",
        "notify.kitchen_display",
        "notify.mobile_app_leo",
        "notify.mobile_app_mia",
    ]
    settings = {
        "lead_minutes": {"minutes": 15},
        "repeat_minutes": {"hours": 1},
        "repeat_limit": 2,
        "escalate_after": 1,
        "all_day_time": "09:00:00",
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"household_targets": ["notify.nope"], **settings}
    )
    assert result["errors"] == {"household_targets": "unknown_target"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"household_targets": ["notify.kitchen_display"], **settings}
    )
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"next_step_id": "save"}
    )
    assert result["type"] == "create_entry"
    assert loaded_entry.options["lead_minutes"] == 15
    await hass.async_block_till_done()
    assert loaded_entry.options["household_targets"] == ["notify.kitchen_display"]
    assert loaded_entry.runtime_data.reminders.household_targets == [
        "notify.kitchen_display"
    ]

    result = await hass.config_entries.subentries.async_init(
        (loaded_entry.entry_id, "member"), context={"source": "user"}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"], {"name": "Zoe", "notify_targets": ["notify.nope"]}
    )
    assert result["errors"] == {"notify_targets": "unknown_target"}


async def test_notifier_sends_buttons_and_clears_by_tag(
    hass: HomeAssistant,
    phones: dict[str, list[ServiceCall]],
    kitchen: RecordingNotifyEntity,
    loaded_entry: MockConfigEntry,
) -> None:
    message = Message(
        title="Chore",
        message="Water plants is due",
        tag="auto_home_chore_x",
        actions=(("AUTO_HOME_DONE_x", "Done"),),
    )
    results = await async_deliver(
        hass,
        ["notify.mobile_app_mia", "notify.kitchen_display", "persistent_notification"],
        message,
    )
    assert results == dict.fromkeys(results, True)
    data = phones["mia"][0].data["data"]
    assert data["tag"] == "auto_home_chore_x"
    assert data["actions"] == [{"action": "AUTO_HOME_DONE_x", "title": "Done"}]
    assert kitchen.messages == [("Chore", "Water plants is due")]

    for target in (
        "notify.mobile_app_mia",
        "notify.kitchen_display",
        "persistent_notification",
    ):
        await async_clear(hass, target, "auto_home_chore_x")
    assert phones["mia"][1].data == {
        "message": "clear_notification",
        "data": {"tag": "auto_home_chore_x"},
    }
    # A notify entity cannot retract a message: nothing more is sent to it.
    assert len(kitchen.messages) == 1
    notifications = persistent_notification._async_get_or_create_notifications(hass)
    assert "auto_home_chore_x" not in notifications


async def test_vanished_target_fails_cleanly(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    assert not target_exists(hass, "light.kitchen")
    assert not target_exists(hass, "notify.")
    results = await async_deliver(
        hass, ["notify.gone"], Message(title="t", message="m", tag="x")
    )
    assert results == {"notify.gone": False}
