"""The fever report's text (pure): doses, many readings, a range without fever."""

from datetime import UTC, datetime, timedelta
import json
from pathlib import Path

from custom_components.auto_home.domain.baseline import TimeOfDay, Usual
from custom_components.auto_home.domain.dosing import Dose
from custom_components.auto_home.domain.fever_report import (
    TEXT_READINGS_MAX,
    Degrees,
    FeverReport,
    ReportReading,
    markdown,
)
from custom_components.auto_home.domain.temperature import (
    FeverClass,
    Site,
    TemperatureReading,
)

ROOT = Path(__file__).parent.parent / "custom_components" / "auto_home"
START = datetime(2026, 11, 21, 18, 0, tzinfo=UTC)


def _texts() -> dict[str, str]:
    strings = json.loads((ROOT / "strings.json").read_text(encoding="utf-8"))
    return strings["common"]


def _item(minutes: int, value: float, fever: FeverClass) -> ReportReading:
    return ReportReading(
        TemperatureReading(START + timedelta(minutes=minutes), value, Site.ORAL), fever
    )


def _report(readings: list[ReportReading], doses: list[Dose]) -> FeverReport:
    return FeverReport(
        member="Mia",
        start=START,
        end=START + timedelta(days=1),
        readings=readings,
        doses=doses,
        usual={TimeOfDay.EVENING: Usual(TimeOfDay.EVENING, 37.0, 9)},
    )


def test_doses_are_listed_in_time_order_with_their_amount() -> None:
    doses = [
        Dose(
            medicine_id="m2",
            medicine="Ibuprofen",
            given_at=START + timedelta(hours=5),
            amount=100,
            unit="mg",
        ),
        Dose(medicine_id="m1", medicine="Paracetamol", given_at=START),
    ]
    report = _report([_item(0, 38.5, FeverClass.FEVER)], doses)
    text = markdown(report, _texts(), UTC)
    assert (
        "| Time | Medicine | Amount |\n|---|---|---|\n"
        "| 2026-11-21 18:00 | Paracetamol |  |\n"
        "| 2026-11-21 23:00 | Ibuprofen | 100 mg |\n"
    ) in text
    assert report.as_dict(UTC)["doses"][1] == {
        "given_at": "2026-11-21T23:00:00+00:00",
        "medicine": "Ibuprofen",
        "amount": 100,
        "unit": "mg",
        "overridden": False,
    }


def test_many_readings_show_the_highest_of_each_hour() -> None:
    # Every minute for three hours; the highest of each hour is at minute 30.
    readings = [
        _item(minute, 38.0 + (0.5 if minute % 60 == 30 else 0.0), FeverClass.FEVER)
        for minute in range(180)
    ]
    assert len(readings) > TEXT_READINGS_MAX
    text = markdown(_report(readings, []), _texts(), UTC)
    rows = [line for line in text.splitlines() if line.startswith("| 2026")]
    assert rows == [
        f"| 2026-11-21 {hour}:30 | 38.5 °C | in the mouth | 38.5 °C | fever |"
        for hour in (18, 19, 20)
    ]
    assert "3 of 180 readings shown: the highest of each hour." in text


def test_a_range_without_fever_has_no_duration_and_says_as_usual() -> None:
    report = _report([_item(60, 37.0, FeverClass.NORMAL)], [])
    assert report.duration is None
    text = markdown(report, _texts(), UTC)
    assert "- Readings from 2026-11-21 18:00 to 2026-11-22 18:00." in text
    assert "Fever from the first" not in text
    assert "- That is Mia's usual for the evening (37.0 °C)." in text
    empty = markdown(_report([], []), _texts(), UTC)
    assert "No readings in this time." in empty
    assert "No doses recorded." in empty


def test_a_temperature_below_the_usual_in_another_unit() -> None:
    """Values convert, differences only scale; the sign of an offset is a minus."""
    fahrenheit = Degrees(
        "°F", lambda c: f"{c * 1.8 + 32:.1f}", lambda c: f"{c * 1.8:.1f}"
    )
    report = _report([_item(30, 36.5, FeverClass.NORMAL)], [])
    text = markdown(report, _texts(), UTC, fahrenheit)
    assert "That is 0.9 °F below Mia's usual for the evening (98.6 °F)." in text
    assert "| 2026-11-21 18:30 | 97.7 °F | in the mouth | 97.7 °F | normal |" in text
    assert "ear and rectum \N{MINUS SIGN}0.5 °F" in text
    assert fahrenheit.signed(0) == "+0.0 °F"
