"""auto_home.get_fever_report through hass: content, languages, refusals."""

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigSubentryData
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
import voluptuous as vol

from custom_components.auto_home.const import DOMAIN, SUBENTRY_MEDICINE

from .conftest import member

ROOT = Path(__file__).parent.parent


@pytest.fixture
def subentries() -> list[ConfigSubentryData]:
    """Mia, Leo, baby Ava (a month old) and the paracetamol in the cupboard."""
    paracetamol = ConfigSubentryData(
        subentry_type=SUBENTRY_MEDICINE,
        title="Paracetamol",
        data={
            "min_interval_hours": 4,
            "max_per_day": 4,
            "usual_amount": 250,
            "amount_unit": "mg",
        },
        subentry_id="medicine_paracetamol",
        unique_id=None,
    )
    birth = (dt_util.now().date() - timedelta(days=30)).isoformat()
    ava = member("Ava", birth_date=birth, temperature_site="rectal")
    return [member("Mia"), member("Leo"), ava, paracetamol]


@pytest.fixture(autouse=True)
async def berlin(hass: HomeAssistant) -> None:
    """A household in Berlin: the report's times are Berlin's."""
    await hass.config.async_set_time_zone("Europe/Berlin")


def local(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in November 2026 on the household's clock."""
    return datetime(2026, 11, day, hour, minute, tzinfo=dt_util.get_default_time_zone())


async def record(hass: HomeAssistant, value: float, at: datetime, **data: Any) -> None:
    """Record one of Mia's readings at `at`."""
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Mia", "temperature": value, "measured_at": at.isoformat(), **data},
        blocking=True,
    )


async def give(hass: HomeAssistant, at: datetime) -> None:
    """Give Mia her usual paracetamol at `at`."""
    await hass.services.async_call(
        DOMAIN,
        "record_dose",
        {"member": "Mia", "medicine": "Paracetamol", "given_at": at.isoformat()},
        blocking=True,
    )


async def report(hass: HomeAssistant, **data: Any) -> dict[str, Any]:
    """Return the fever report the service gives."""
    response = await hass.services.async_call(
        DOMAIN,
        "get_fever_report",
        {"member": "Mia", **data},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    return dict(response)


async def mias_fever(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Five usual evenings, then a fever: armpit readings, a peak at night."""
    freezer.move_to(local(21, 8))
    for day, value in ((16, 37.0), (17, 36.9), (18, 37.1), (19, 37.0), (20, 37.0)):
        await record(hass, value, local(day, 20))
    freezer.move_to(local(22, 20))
    await record(hass, 38.2, local(21, 19, 10), site="axillary")
    await give(hass, local(21, 19, 20))
    await record(hass, 39.4, local(21, 23, 40), site="axillary")
    await give(hass, local(21, 23, 45))
    await record(hass, 38.6, local(22, 7, 15))
    await record(hass, 37.6, local(22, 19, 45))


EXAMPLE_EN = """\
## Fever report: Mia

- Fever episode since 2026-11-21 19:10, still going on.
- Fever from the first to the last fever reading: 12 h 5 min.
- Highest: 39.4 °C under the arm (39.9 °C oral equivalent), 2026-11-21 23:40: high fever.
- That is 2.9 °C above Mia's usual for the evening (37.0 °C).
- Latest: 37.6 °C in the mouth (37.6 °C oral equivalent), 2026-11-22 19:45: \
low-grade fever.
- That is 0.6 °C above Mia's usual for the evening (37.0 °C).

### Readings

| Time | Measured | Where | Oral equivalent | Class |
|---|---|---|---|---|
| 2026-11-21 19:10 | 38.2 °C | under the arm | 38.7 °C | fever |
| 2026-11-21 23:40 | 39.4 °C | under the arm | 39.9 °C | high fever |
| 2026-11-22 07:15 | 38.6 °C | in the mouth | 38.6 °C | fever |
| 2026-11-22 19:45 | 37.6 °C | in the mouth | 37.6 °C | low-grade fever |

### Medicines given

| Time | Medicine | Amount |
|---|---|---|
| 2026-11-21 19:20 | Paracetamol | 250 mg |
| 2026-11-21 23:45 | Paracetamol | 250 mg |

_Oral equivalent: the reading adjusted for where it was taken (armpit +0.5 °C, \
forehead +0.3 °C, ear and rectum \N{MINUS SIGN}0.3 °C). Recorded at home with Auto Home; \
not a diagnosis._
"""


@pytest.mark.usefixtures("loaded_entry")
async def test_report_of_the_current_episode(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await mias_fever(hass, freezer)
    found = await report(hass)
    assert found["member"] == "Mia"
    assert found["start"] == "2026-11-21T19:10:00+01:00"
    assert found["end"] == "2026-11-22T20:00:00+01:00"
    assert found["episode"] == {
        "started_at": "2026-11-21T19:10:00+01:00",
        "ended_at": None,
        "ongoing": True,
        "highest_class": "high_fever",
    }
    assert found["readings"][:2] == [
        {
            "measured_at": "2026-11-21T19:10:00+01:00",
            "temperature_c": 38.2,
            "site": "axillary",
            "core_temperature_c": 38.7,
            "fever_status": "fever",
        },
        {
            "measured_at": "2026-11-21T23:40:00+01:00",
            "temperature_c": 39.4,
            "site": "axillary",
            "core_temperature_c": 39.9,
            "fever_status": "high_fever",
        },
    ]
    assert len(found["readings"]) == 4
    assert found["peak"] == found["readings"][1]
    # First to last fever reading: 19:10 to 07:15 the next morning.
    assert found["duration_seconds"] == (12 * 60 + 5) * 60
    assert found["doses"] == [
        {
            "given_at": "2026-11-21T19:20:00+01:00",
            "medicine": "Paracetamol",
            "amount": 250,
            "unit": "mg",
            "overridden": False,
        },
        {
            "given_at": "2026-11-21T23:45:00+01:00",
            "medicine": "Paracetamol",
            "amount": 250,
            "unit": "mg",
            "overridden": False,
        },
    ]
    assert found["baseline"] == {
        "usual_by_time_of_day": {"evening": 37.0},
        "peak": {"time_of_day": "evening", "usual_c": 37.0, "difference_c": 2.9},
        "latest": {"time_of_day": "evening", "usual_c": 37.0, "difference_c": 0.6},
    }
    assert found["text"] == EXAMPLE_EN


@pytest.mark.usefixtures("loaded_entry")
async def test_report_text_in_a_fahrenheit_household(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await mias_fever(hass, freezer)
    metric = await report(hass)
    # The readings were stored in °C; the household now uses US customary units.
    hass.config.units = US_CUSTOMARY_SYSTEM
    found = await report(hass)
    text = found["text"]
    assert "°C" not in text
    # Temperatures convert (39.4 °C is 102.9 °F), differences scale (2.9 °C is 5.2 °F).
    assert (
        "- Highest: 102.9 °F under the arm (103.8 °F oral equivalent), "
        "2026-11-21 23:40: high fever.\n"
        "- That is 5.2 °F above Mia's usual for the evening (98.6 °F).\n"
        "- Latest: 99.7 °F in the mouth (99.7 °F oral equivalent), "
        "2026-11-22 19:45: low-grade fever.\n"
        "- That is 1.1 °F above Mia's usual for the evening (98.6 °F).\n"
    ) in text
    assert (
        "| 2026-11-21 19:10 | 100.8 °F | under the arm | 101.7 °F | fever |\n"
        "| 2026-11-21 23:40 | 102.9 °F | under the arm | 103.8 °F | high fever |\n"
        "| 2026-11-22 07:15 | 101.5 °F | in the mouth | 101.5 °F | fever |\n"
        "| 2026-11-22 19:45 | 99.7 °F | in the mouth | 99.7 °F | low-grade fever |\n"
    ) in text
    assert (
        "(armpit +0.9 °F, forehead +0.5 °F, ear and rectum \N{MINUS SIGN}0.5 °F)"
    ) in text
    # The response's fields stay in °C: only the text follows the unit system.
    assert {key: value for key, value in found.items() if key != "text"} == {
        key: value for key, value in metric.items() if key != "text"
    }
    assert found["peak"]["core_temperature_c"] == 39.9
    hass.config.language = "zh-Hans"
    chinese = (await report(hass))["text"]
    assert "最高：腋温 102.9 °F（折合口温 103.8 °F）" in chinese  # noqa: RUF001
    assert "比Mia平时晚上的体温（98.6 °F）高 5.2 °F。" in chinese  # noqa: RUF001


def readme_examples(name: str) -> list[str]:
    """Return the Markdown examples of a README's "When someone is ill" section."""
    text = (ROOT / name).read_text(encoding="utf-8")
    return [
        block.split("```", 1)[0].split("\n", 1)[1]
        for block in text.split("```markdown")[1:]
    ]


@pytest.mark.usefixtures("loaded_entry")
async def test_readme_examples_are_the_service_output(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await mias_fever(hass, freezer)
    english = (await report(hass))["text"]
    hass.config.language = "zh-Hans"
    chinese = (await report(hass))["text"]
    assert chinese != english
    assert chinese.startswith("## Mia")
    assert readme_examples("README.md") == [english, chinese]
    assert readme_examples("README.zh-Hans.md") == [chinese]


@pytest.mark.usefixtures("loaded_entry")
async def test_an_ended_episode_a_range_and_a_restart(
    hass: HomeAssistant, loaded_entry: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await mias_fever(hass, freezer)
    # 24 quiet hours after the last fever reading (07:15) the episode ends.
    freezer.move_to(local(23, 8))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    freezer.move_to(local(25, 10))
    await record(hass, 38.4, local(25, 9))
    await hass.config_entries.async_reload(loaded_entry.entry_id)
    await hass.async_block_till_done()

    current = await report(hass)
    assert current["episode"]["started_at"] == "2026-11-25T09:00:00+01:00"
    assert [r["temperature_c"] for r in current["readings"]] == [38.4]

    # Any time inside the first episode names it, also after the restart.
    first = await report(hass, episode=local(22, 12).isoformat())
    assert first["episode"] == {
        "started_at": "2026-11-21T19:10:00+01:00",
        "ended_at": "2026-11-23T07:15:00+01:00",
        "ongoing": False,
        "highest_class": "high_fever",
    }
    assert len(first["readings"]) == 4
    assert (
        "- Fever episode from 2026-11-21 19:10 to 2026-11-23 07:15." in (first["text"])
    )

    ranged = await report(
        hass, start=local(16, 0).isoformat(), end=local(21, 23).isoformat()
    )
    assert ranged["episode"] is None
    assert [r["measured_at"][:16] for r in ranged["readings"]] == [
        "2026-11-16T20:00",
        "2026-11-17T20:00",
        "2026-11-18T20:00",
        "2026-11-19T20:00",
        "2026-11-20T20:00",
        "2026-11-21T19:10",
    ]
    assert ranged["peak"]["core_temperature_c"] == 38.7
    assert ranged["duration_seconds"] == 0
    assert ranged["text"].startswith(
        "## Fever report: Mia\n\n- Readings from 2026-11-16 00:00 to 2026-11-21 23:00."
    )


@pytest.mark.usefixtures("loaded_entry")
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"member": "Nobody"}, "unknown_member"),
        ({"member": "Leo"}, "no_fever_episode"),
        ({"episode": "2026-11-10T12:00:00+01:00"}, "unknown_fever_episode"),
        (
            {"start": "2026-11-22T10:00:00", "end": "2026-11-22T09:00:00"},
            "report_range_invalid",
        ),
        ({"start": "2026-11-23T10:00:00"}, "report_range_invalid"),
        ({"start": "2026-06-01T00:00:00"}, "report_range_invalid"),
        ({"end": "2026-11-22T09:00:00"}, "report_range_invalid"),
    ],
)
async def test_refusals_are_translated(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    data: dict[str, Any],
    key: str,
) -> None:
    await mias_fever(hass, freezer)
    with pytest.raises(ServiceValidationError) as refused:
        await report(hass, **data)
    assert refused.value.translation_key == key
    assert "{" not in str(refused.value)


@pytest.mark.usefixtures("loaded_entry")
async def test_episode_and_start_together_are_refused(hass: HomeAssistant) -> None:
    with pytest.raises(vol.Invalid):
        await report(hass, episode="2026-11-22T10:00:00", start="2026-11-22T09:00:00")


@pytest.mark.usefixtures("loaded_entry")
async def test_an_infants_report_classes_as_her_episode_does(
    hass: HomeAssistant,
) -> None:
    # Rectal 38.1 °C is 37.8 °C oral, but under 3 months 38.0 on any thermometer
    # is a fever: the report says fever, as the episode did.
    await hass.services.async_call(
        DOMAIN,
        "record_temperature",
        {"member": "Ava", "temperature": 38.1},
        blocking=True,
    )
    found = await report(hass, member="Ava")
    assert found["episode"]["highest_class"] == "fever"
    assert [
        (r["temperature_c"], r["core_temperature_c"], r["fever_status"])
        for r in found["readings"]
    ] == [(38.1, 37.8, "fever")]
