"""Validation at the boundary: every service refuses bad input and changes nothing."""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)
import voluptuous as vol

from custom_components.auto_home.const import DOMAIN

from .chore_helpers import local
from .conftest import chore, member
from .snapshot import household_snapshot

NOW = "2026-11-23 10:00"
CHORE = "Water plants"


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """East of UTC, where a year-1 local time overflows when made UTC."""
    await hass.config.async_set_time_zone("Europe/Berlin")
    freezer.move_to(local(NOW))


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia and Leo, and a daily chore."""
    return [
        member("Mia"),
        member("Leo"),
        chore(CHORE, recurrence="daily", start_date="2026-11-20"),
    ]


async def _call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        data,
        blocking=True,
        return_response=service in {"get_chores", "get_weight_report"},
    )


async def _refused(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    error: type[Exception] = ServiceValidationError,
) -> Exception:
    """Call a service that must refuse; check that nothing changed."""
    before = household_snapshot(hass, entry)
    with pytest.raises(error) as refusal:
        await _call(hass, service, data)
    await hass.async_block_till_done()
    assert household_snapshot(hass, entry) == before
    if isinstance(err := refusal.value, ServiceValidationError):
        # Translated, with every placeholder, in each language.
        for language in ("en", "zh-Hans"):
            texts = await async_get_translations(hass, language, "exceptions", [DOMAIN])
            template = texts[
                f"component.{DOMAIN}.exceptions.{err.translation_key}.message"
            ]
            assert template.format(**(err.translation_placeholders or {}))
    return refusal.value


TIME_FIELDS = [
    ("record_temperature", {"member": "Mia", "temperature": 38.0}, "measured_at"),
    ("record_weight", {"member": "Mia", "weight": 61.0}, "measured_at"),
    ("complete_chore", {"chore": CHORE}, "completed_at"),
    ("snooze_chore", {"chore": CHORE}, "until"),
]


@pytest.mark.parametrize("case", TIME_FIELDS)
@pytest.mark.parametrize(
    "when", ["0001-01-01 00:00:00", "0001-01-01T00:30:00+01:00", "1969-12-31 23:59:00"]
)
async def test_times_before_1970_are_refused(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    case: tuple[str, dict[str, Any], str],
    when: str,
) -> None:
    """Defect 2: a year-1 time raised a raw OverflowError; 1969 was stored."""
    service, data, field = case
    err = await _refused(hass, loaded_entry, service, data | {field: when})
    assert err.translation_key == "time_out_of_range"
    assert err.translation_placeholders == {"field": field, "value": when}


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"duration": float("inf")}, "duration_too_long"),
        ({"duration": 1e308}, "duration_too_long"),
        ({"duration": "100000000:00:00"}, "duration_too_long"),
        ({"duration": "99999999999:00:00"}, "duration_too_long"),
        ({"duration": {"days": 3000000}}, "duration_too_long"),
        ({"duration": {"days": 1e308}}, "duration_too_long"),
        ({"duration": {"days": 367}}, "duration_too_long"),
        ({"until": "9999-12-31 23:59:00"}, "snooze_too_far"),
        ({"until": "9999-12-31T23:59:00-05:00"}, "time_out_of_range"),
        ({"until": "2027-11-25 10:00:00"}, "snooze_too_far"),
    ],
)
async def test_snooze_at_most_a_year_ahead(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, data: dict[str, Any], key: str
) -> None:
    """Defects 1 and 2: nothing is stored, and the chore still works after."""
    err = await _refused(hass, loaded_entry, "snooze_chore", {"chore": CHORE} | data)
    assert err.translation_key == key
    await _call(hass, "complete_chore", {"chore": CHORE})
    await _call(hass, "snooze_chore", {"chore": CHORE, "duration": {"days": 366}})
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("sensor.water_plants_next_due")
    assert state is not None
    assert state.state != "unavailable"


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("record_weight", {"member": "Mia", "weight": True}),
        ("record_temperature", {"member": "Mia", "temperature": True}),
        ("record_temperature", {"member": "Mia", "temperature": False}),
        ("snooze_chore", {"chore": CHORE, "duration": True}),
        ("get_chores", {"within_days": True}),
        ("get_weight_report", {"member": "Mia", "horizon_days": True}),
        ("get_weight_report", {"member": "Mia", "readings": False}),
        ("send_reminder", {"message": "Dinner", "urgent": float("nan")}),
        ("send_reminder", {"message": "Dinner", "urgent": float("inf")}),
        ("send_reminder", {"message": "Dinner", "urgent": -5}),
        ("send_reminder", {"message": True}),
        ("complete_chore", {"chore": True}),
        ("record_temperature", {"member": "Mia", "temperature": float("nan")}),
        ("record_temperature", {"member": "Mia", "temperature": "inf"}),
        ("record_weight", {"member": "Mia", "weight": float("-inf")}),
        ("record_weight", {"member": "Mia", "weight": 10**400}),
        ("get_chores", {"within_days": 2.5}),
        ("get_chores", {"within_days": float("nan")}),
        ("record_weight", {"member": "Mia", "weight": 61, "measured_at": 5}),
    ],
)
async def test_wrong_types_are_refused(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    """Defect 3: a boolean was taken as the number 1, NaN and -5 as true."""
    await _refused(hass, loaded_entry, service, data, vol.Invalid)


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("get_chores", {"within_days": 1e12}, "out_of_range"),
        ("get_chores", {"within_days": 367}, "out_of_range"),
        ("get_chores", {"within_days": -1}, "out_of_range"),
        ("get_weight_report", {"member": "Mia", "horizon_days": 366}, "out_of_range"),
        ("get_weight_report", {"member": "Mia", "readings": 201}, "out_of_range"),
        ("send_reminder", {"message": "   "}, "text_blank"),
        ("send_reminder", {"message": "x" * 1001}, "text_too_long"),
        ("send_reminder", {"message": "Hi", "title": "t" * 1001}, "text_too_long"),
        ("send_reminder", {"message": "Hi", "targets": [""]}, "text_blank"),
        ("complete_chore", {"chore": " "}, "text_blank"),
        ("complete_chore", {"chore": "c" * 256}, "text_too_long"),
        ("record_temperature", {"member": "", "temperature": 37}, "text_blank"),
        ("discard_weight", {"reading_id": "r" * 65}, "text_too_long"),
    ],
)
async def test_out_of_bounds_are_refused_translated(
    hass: HomeAssistant,
    loaded_entry: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    """Defect 2: within_days 1e12 raised a raw OverflowError."""
    err = await _refused(hass, loaded_entry, service, data)
    assert err.translation_key == key


async def test_bounds_themselves_are_accepted(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    found = await _call(hass, "get_chores", {"within_days": 366})
    assert [item["chore"] for item in found["chores"]] == [CHORE]
    found = await _call(hass, "get_chores", {"within_days": "0"})
    assert [item["chore"] for item in found["chores"]] == [CHORE]
    await _call(hass, "record_weight", {"member": " Mia ", "weight": "61.5"})
    assert hass.states.get("sensor.mia_weight").state == "61.5"
    await _call(
        hass,
        "record_temperature",
        {"member": "Mia", "temperature": 38.1, "measured_at": "1970-01-02 00:00:00"},
    )
    await _call(
        hass,
        "get_weight_report",
        {"member": "Mia", "horizon_days": 365, "readings": 200},
    )


@pytest.mark.parametrize(
    ("urgent", "expected"),
    [(True, True), ("on", True), (1, True), (False, False), ("off", False), (0, False)],
)
async def test_urgent_takes_booleans(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, urgent: Any, expected: bool
) -> None:
    sent = async_mock_service(hass, "notify", "mobile_app_mia")
    await _call(
        hass,
        "send_reminder",
        {"message": " Dinner ", "targets": ["notify.mobile_app_mia"], "urgent": urgent},
    )
    assert sent[0].data["message"] == "Dinner"
    push = sent[0].data.get("data", {}).get("push", {})
    assert (push.get("interruption-level") == "time-sensitive") is expected


async def test_snooze_for_a_year_is_kept(
    hass: HomeAssistant, loaded_entry: MockConfigEntry
) -> None:
    until = dt_util.now() + timedelta(days=365)
    await _call(hass, "snooze_chore", {"chore": CHORE, "until": until.isoformat()})
    found = await _call(hass, "get_chores", {})
    assert found["chores"][0]["snoozed_until"] == until.isoformat()
