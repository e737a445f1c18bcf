"""A fever report for the doctor: readings, doses, peak, duration, baseline.

Standard library only, no Home Assistant imports. Every word of the Markdown
text comes from `texts` (the integration's translations, keys without their
prefix), so the report reads in the household's language; times are shown
on the household's wall clock.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any, Final

from .baseline import TimeOfDay, Usual, difference, time_of_day
from .dosing import Dose
from .temperature import (
    SITE_OFFSET_C,
    AgeGroup,
    Episode,
    FeverClass,
    Site,
    TemperatureReading,
    Thresholds,
    assessed,
    fever_class,
)

# Beyond this many readings (a thermometer that reports every minute) the
# text shows the highest of each hour; the response keeps them all.
TEXT_READINGS_MAX: Final = 48
TIME_FORMAT: Final = "%Y-%m-%d %H:%M"
# A true minus sign, as typeset text writes a negative offset.
MINUS: Final = "\u2212"


def _c(value: float) -> str:
    return f"{value:.1f}"


@dataclass(frozen=True, slots=True)
class Degrees:
    """How the text says temperatures: in the household's unit, from °C.

    `value` converts a temperature, `interval` a difference of temperatures
    (a site's offset, the gap to the usual): 1 °C is 1.8 °F, not 33.8 °F.
    """

    unit: str = "°C"
    value: Callable[[float], str] = _c
    interval: Callable[[float], str] = _c

    def signed(self, celsius: float) -> str:
        """Return a difference with its sign (a true minus) and the unit."""
        sign = "+" if celsius >= 0 else MINUS
        return f"{sign}{self.interval(abs(celsius))} {self.unit}"


CELSIUS: Final = Degrees()


@dataclass(frozen=True, slots=True)
class ReportReading:
    """A reading as the report shows it: with its class."""

    reading: TemperatureReading
    fever_class: FeverClass


@dataclass(frozen=True, slots=True, kw_only=True)
class FeverReport:
    """What a report covers and what it found."""

    member: str
    start: datetime
    end: datetime
    readings: Sequence[ReportReading]
    doses: Sequence[Dose]
    usual: Mapping[TimeOfDay, Usual]
    # The episode the report is of; None for a range asked for.
    episode: Episode | None = None

    @property
    def peak(self) -> ReportReading | None:
        """The highest oral-equivalent reading (the earliest of equal ones)."""
        return min(
            self.readings,
            key=lambda item: (-item.reading.core_c, item.reading.measured_at),
            default=None,
        )

    @property
    def latest(self) -> ReportReading | None:
        """The last reading."""
        return self.readings[-1] if self.readings else None

    @property
    def duration(self) -> timedelta | None:
        """From the first fever reading to the last one; None without fever."""
        fevers = [
            item.reading.measured_at
            for item in self.readings
            if item.fever_class.severity > 0
        ]
        return fevers[-1] - fevers[0] if fevers else None

    def compared(self, item: ReportReading, zone: tzinfo) -> dict[str, Any] | None:
        """Return how a reading compares with the usual for its part of the day."""
        part = time_of_day(item.reading.measured_at.astimezone(zone))
        if (usual := self.usual.get(part)) is None:
            return None
        return {
            "time_of_day": part.value,
            "usual_c": usual.core_c,
            "difference_c": difference(item.reading.core_c, usual),
        }

    def as_dict(self, zone: tzinfo) -> dict[str, Any]:
        """Return the report as a service response (times in the household's zone)."""
        peak, latest, duration = self.peak, self.latest, self.duration
        return {
            "member": self.member,
            "start": self.start.astimezone(zone).isoformat(),
            "end": self.end.astimezone(zone).isoformat(),
            "episode": _episode_dict(self.episode, zone) if self.episode else None,
            "readings": [_reading_dict(item, zone) for item in self.readings],
            "doses": [_dose_dict(dose, zone) for dose in _by_time(self.doses)],
            "peak": _reading_dict(peak, zone) if peak else None,
            "duration_seconds": None if duration is None else duration.total_seconds(),
            "baseline": {
                "usual_by_time_of_day": {
                    part.value: usual.core_c for part, usual in self.usual.items()
                },
                "peak": self.compared(peak, zone) if peak else None,
                "latest": self.compared(latest, zone) if latest else None,
            },
        }


def readings_of(
    rows: Iterable[tuple[float, float, str]],
    thresholds: Thresholds,
    age_group: AgeGroup,
) -> list[ReportReading]:
    """Return stored rows (timestamp, °C, site) as readings with their class."""
    found = []
    for timestamp, value, site in rows:
        reading = TemperatureReading(
            datetime.fromtimestamp(timestamp, UTC), value, Site(site)
        )
        core_c = assessed(reading, age_group).core_c
        found.append(ReportReading(reading, fever_class(core_c, thresholds)))
    return found


def response(
    report: FeverReport,
    texts: Mapping[str, str],
    zone: tzinfo,
    degrees: Degrees = CELSIUS,
) -> dict[str, Any]:
    """Return the report as the action answers: its data (°C) and its Markdown text."""
    return report.as_dict(zone) | {"text": markdown(report, texts, zone, degrees)}


def _by_time(doses: Sequence[Dose]) -> list[Dose]:
    return sorted(doses, key=lambda dose: dose.given_at)


def _when(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).isoformat()


def _reading_dict(item: ReportReading, zone: tzinfo) -> dict[str, Any]:
    reading = item.reading
    return {
        "measured_at": _when(reading.measured_at, zone),
        "temperature_c": reading.value_c,
        "site": reading.site.value,
        "core_temperature_c": reading.core_c,
        "fever_status": item.fever_class.value,
    }


def _dose_dict(dose: Dose, zone: tzinfo) -> dict[str, Any]:
    return {
        "given_at": _when(dose.given_at, zone),
        "medicine": dose.medicine,
        "amount": dose.amount,
        "unit": dose.unit,
        "overridden": dose.overridden,
    }


def _episode_dict(episode: Episode, zone: tzinfo) -> dict[str, Any]:
    return {
        "started_at": _when(episode.started_at, zone),
        "ended_at": _when(episode.ended_at, zone) if episode.ended_at else None,
        "ongoing": episode.ended_at is None,
        "highest_class": episode.highest_class.value,
    }


class _Writer:
    """Formats the report's parts with the translated texts."""

    def __init__(
        self, texts: Mapping[str, str], zone: tzinfo, degrees: Degrees
    ) -> None:
        self._texts = texts
        self._zone = zone
        self.degrees = degrees

    def __call__(self, key: str, **placeholders: Any) -> str:
        return self._texts.get(key, key).format(**placeholders)

    def time(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime(TIME_FORMAT)

    def duration(self, span: timedelta) -> str:
        minutes = round(span.total_seconds() / 60)
        return self("report_duration", hours=minutes // 60, minutes=minutes % 60)

    def site(self, item: ReportReading) -> str:
        return self(f"report_site_{item.reading.site.value}")

    def fever_class(self, item: ReportReading) -> str:
        return self(f"class_{item.fever_class.value}")

    def temperature(self, celsius: float) -> str:
        return f"{self.degrees.value(celsius)} {self.degrees.unit}"

    def note(self) -> str:
        offset = self.degrees.signed
        return self(
            "report_note",
            axillary=offset(SITE_OFFSET_C[Site.AXILLARY]),
            forehead=offset(SITE_OFFSET_C[Site.FOREHEAD]),
            ear=offset(SITE_OFFSET_C[Site.EAR]),
        )


def markdown(
    report: FeverReport,
    texts: Mapping[str, str],
    zone: tzinfo,
    degrees: Degrees = CELSIUS,
) -> str:
    """Return the report as Markdown a parent can paste into a message."""
    say = _Writer(texts, zone, degrees)
    summary = _covered(report, say)
    if (peak := report.peak) is not None:
        summary.append(_described("report_peak", peak, say))
        summary += _against_usual(report, peak, zone, say)
    if (latest := report.latest) is not None and latest is not peak:
        summary.append(_described("report_latest", latest, say))
        summary += _against_usual(report, latest, zone, say)
    lines = [f"## {say('report_title', member=report.member)}", ""]
    lines += [f"- {line}" for line in summary]
    lines += ["", f"### {say('report_readings')}", ""]
    lines += _readings_table(report.readings, say)
    lines += ["", f"### {say('report_doses')}", ""]
    lines += _doses_table(report.doses, say)
    lines += ["", f"_{say.note()}_"]
    return "\n".join(lines) + "\n"


def _covered(report: FeverReport, say: _Writer) -> list[str]:
    if (episode := report.episode) is None:
        covered = say(
            "report_range", start=say.time(report.start), end=say.time(report.end)
        )
    elif episode.ended_at is None:
        covered = say("report_episode_ongoing", start=say.time(episode.started_at))
    else:
        covered = say(
            "report_episode",
            start=say.time(episode.started_at),
            end=say.time(episode.ended_at),
        )
    if (duration := report.duration) is None:
        return [covered]
    return [covered, say("report_fever_for", duration=say.duration(duration))]


def _described(key: str, item: ReportReading, say: _Writer) -> str:
    reading = item.reading
    return say(
        key,
        value=say.degrees.value(reading.value_c),
        site=say.site(item),
        core=say.degrees.value(reading.core_c),
        unit=say.degrees.unit,
        time=say.time(reading.measured_at),
        **{"class": say.fever_class(item)},
    )


def _against_usual(
    report: FeverReport, item: ReportReading, zone: tzinfo, say: _Writer
) -> list[str]:
    if (found := report.compared(item, zone)) is None:
        return []
    change = found["difference_c"]
    key = (
        "report_above_usual"
        if change > 0
        else "report_below_usual"
        if change < 0
        else "report_as_usual"
    )
    return [
        say(
            key,
            member=report.member,
            difference=say.degrees.interval(abs(change)),
            usual=say.degrees.value(found["usual_c"]),
            unit=say.degrees.unit,
            time_of_day=say(f"report_{found['time_of_day']}"),
        )
    ]


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _readings_table(readings: Sequence[ReportReading], say: _Writer) -> list[str]:
    if not readings:
        return [say("report_no_readings")]
    shown = _thinned(readings)
    header = [
        say("report_column_time"),
        say("report_column_measured"),
        say("report_column_site"),
        say("report_column_oral"),
        say("report_column_class"),
    ]
    rows = [
        [
            say.time(item.reading.measured_at),
            say.temperature(item.reading.value_c),
            say.site(item),
            say.temperature(item.reading.core_c),
            say.fever_class(item),
        ]
        for item in shown
    ]
    lines = _table(header, rows)
    if len(shown) < len(readings):
        lines += ["", say("report_thinned", shown=len(shown), count=len(readings))]
    return lines


def _thinned(readings: Sequence[ReportReading]) -> list[ReportReading]:
    """Return the readings, or the highest of each hour when there are many.

    Hours are UTC hours: the two local 01:00 hours of a fall-back night stay apart.
    """
    if len(readings) <= TEXT_READINGS_MAX:
        return list(readings)
    by_hour: dict[datetime, ReportReading] = {}
    for item in readings:
        hour = item.reading.measured_at.astimezone(UTC).replace(
            minute=0, second=0, microsecond=0
        )
        if (kept := by_hour.get(hour)) is None or (
            item.reading.core_c > kept.reading.core_c
        ):
            by_hour[hour] = item
    return sorted(by_hour.values(), key=lambda item: item.reading.measured_at)


def _doses_table(doses: Sequence[Dose], say: _Writer) -> list[str]:
    if not doses:
        return [say("report_no_doses")]
    header = [
        say("report_column_time"),
        say("report_column_medicine"),
        say("report_column_amount"),
    ]
    rows = [
        [
            say.time(dose.given_at),
            dose.medicine,
            "" if dose.amount is None else f"{dose.amount:g} {dose.unit or ''}".strip(),
        ]
        for dose in _by_time(doses)
    ]
    return _table(header, rows)
