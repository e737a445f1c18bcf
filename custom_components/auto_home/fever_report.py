"""The fever report of a member: which readings, which episode, which words."""

from bisect import bisect_left, bisect_right
from datetime import UTC, datetime, timedelta, tzinfo
from functools import partial
from typing import TYPE_CHECKING, Any, Final

from homeassistant.const import UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import TemperatureDeltaConverter

from .const import DOMAIN
from .domain.fever_report import Degrees, FeverReport, readings_of, response
from .domain.temperature import AgeGroup, Episode, Thresholds
from .history import month_of
from .validation import CLOCK_SKEW, household_temperature, refusal

if TYPE_CHECKING:
    from .coordinator import AutoHomeCoordinator

# A report covers at most this long: a season of readings, not a lifetime.
REPORT_MAX: Final = timedelta(days=92)
_PREFIX: Final = f"component.{DOMAIN}.common."


def _months(start: datetime, end: datetime) -> list[str]:
    """Return the UTC months (YYYY-MM) from `start` to `end`, both included."""
    months: list[str] = []
    at = start.astimezone(UTC)
    while month_of(at) <= month_of(end):
        months.append(month_of(at))
        # The first of the next month: the 28th plus 4 days is always past it.
        at = (at.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def _episodes(coordinator: AutoHomeCoordinator, member_id: str) -> list[Episode]:
    """Return the member's known episodes, oldest first, the tracker's last."""
    state = coordinator.temperature.members[member_id]
    tracker = state.tracker
    return [
        *state.episodes,
        *(episode for episode in (tracker.last_ended, tracker.episode) if episode),
    ]


def _episode(
    coordinator: AutoHomeCoordinator,
    member_id: str,
    member: str,
    at: datetime | None,
) -> Episode:
    """Return the episode going on at `at`, or the current or last one."""
    # Newest first: the tracker's copy of an episode is the one kept up to date.
    known = _episodes(coordinator, member_id)[::-1]
    if at is None:
        if not known:
            raise refusal("no_fever_episode", member=member)
        return known[0]
    for episode in known:
        if episode.started_at <= at and (
            episode.ended_at is None or at < episode.ended_at
        ):
            return episode
    raise refusal(
        "unknown_fever_episode",
        member=member,
        episode=dt_util.as_local(at).strftime("%Y-%m-%d %H:%M"),
    )


def _range(start: datetime | None, end: datetime | None) -> tuple[datetime, datetime]:
    """Return a range asked for; refuse one backwards, ahead or too long."""
    now = dt_util.utcnow()
    end = end or now
    if start is None or not start < end or start > now + CLOCK_SKEW:
        raise refusal("report_range_invalid", days=REPORT_MAX.days)
    if end - start > REPORT_MAX:
        raise refusal("report_range_invalid", days=REPORT_MAX.days)
    return start, end


async def _async_rows(
    coordinator: AutoHomeCoordinator, member_id: str, start: datetime, end: datetime
) -> list[tuple[float, float, str]]:
    """Return the member's stored rows from `start` to `end` (both included)."""
    history = coordinator.temperature.members[member_id].history
    rows: list[tuple[float, float, str]] = []
    for month in _months(start, end):
        columns = await history.async_month(month)
        first = bisect_left(columns.times, start.timestamp())
        last = bisect_right(columns.times, end.timestamp())
        rows += zip(
            columns.times[first:last],
            columns.values[first:last],
            columns.tags[first:last],
            strict=True,
        )
    return rows


def _degrees(hass: HomeAssistant) -> Degrees:
    """Return how the report's text says temperatures: as the alerts do."""
    unit = hass.config.units.temperature_unit

    def interval(celsius: float) -> str:
        delta = TemperatureDeltaConverter.convert(
            celsius, UnitOfTemperature.CELSIUS, unit
        )
        return f"{delta:.1f}"

    return Degrees(
        unit, lambda celsius: household_temperature(hass, celsius)[0], interval
    )


def _build(
    rows: list[tuple[float, float, str]],
    thresholds: Thresholds,
    age_group: AgeGroup,
    texts: dict[str, str],
    zone: tzinfo,
    *,
    degrees: Degrees,
    **covered: Any,
) -> dict[str, Any]:
    """Class the readings and write the report (in the executor: it may be long)."""
    readings = readings_of(rows, thresholds, age_group)
    return response(FeverReport(readings=readings, **covered), texts, zone, degrees)


async def async_fever_report(
    hass: HomeAssistant,
    coordinator: AutoHomeCoordinator,
    member_id: str,
    *,
    episode_at: datetime | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[str, Any]:
    """Return the report of an episode (or of a range), with its Markdown text."""
    member = coordinator.entry.subentries[member_id].title
    episode: Episode | None = None
    if start is None and end is None:
        episode = _episode(coordinator, member_id, member, episode_at)
        start = episode.started_at
        end = episode.ended_at or dt_util.utcnow()
    else:
        start, end = _range(start, end)
    translations = await async_get_translations(
        hass, hass.config.language, "common", [DOMAIN]
    )
    texts = {
        key.removeprefix(_PREFIX): text
        for key, text in translations.items()
        if key.startswith(_PREFIX)
    }
    feature = coordinator.temperature
    # A thermometer that reports every minute gives thousands of readings.
    return await hass.async_add_executor_job(
        partial(
            _build,
            await _async_rows(coordinator, member_id, start, end),
            feature.thresholds,
            feature.age_group(member_id),
            texts,
            dt_util.get_default_time_zone(),
            degrees=_degrees(hass),
            member=member,
            start=start,
            end=end,
            doses=coordinator.doses.doses_for(member_id, start, end),
            usual=feature.members[member_id].baseline.usual(dt_util.now().date()),
            episode=episode,
        )
    )
