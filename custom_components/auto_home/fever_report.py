"""The fever report of a member: which readings, which episode, which words."""

from bisect import bisect_left, bisect_right
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final

from homeassistant.core import HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .domain.fever_report import FeverReport, ReportReading, markdown
from .domain.temperature import Episode, Site, TemperatureReading
from .history import month_of
from .validation import CLOCK_SKEW, refusal

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


async def _async_readings(
    coordinator: AutoHomeCoordinator, member_id: str, start: datetime, end: datetime
) -> list[ReportReading]:
    """Return the member's readings from `start` to `end` (both included), classed."""
    feature = coordinator.temperature
    history = feature.members[member_id].history
    found: list[ReportReading] = []
    for month in _months(start, end):
        columns = await history.async_month(month)
        first = bisect_left(columns.times, start.timestamp())
        last = bisect_right(columns.times, end.timestamp())
        for timestamp, value, tag in zip(
            columns.times[first:last],
            columns.values[first:last],
            columns.tags[first:last],
            strict=True,
        ):
            reading = TemperatureReading(
                dt_util.utc_from_timestamp(timestamp), value, Site(tag)
            )
            found.append(
                ReportReading(reading, feature.classify(member_id, reading).fever_class)
            )
    return found


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
    zone = dt_util.get_default_time_zone()
    report = FeverReport(
        member=member,
        start=start,
        end=end,
        readings=await _async_readings(coordinator, member_id, start, end),
        doses=coordinator.doses.doses_for(member_id, start, end),
        usual=coordinator.temperature.members[member_id].baseline.usual(
            dt_util.now().date()
        ),
        episode=episode,
    )
    translations = await async_get_translations(
        hass, hass.config.language, "common", [DOMAIN]
    )
    texts = {
        key.removeprefix(_PREFIX): text
        for key, text in translations.items()
        if key.startswith(_PREFIX)
    }
    return report.as_dict(zone) | {"text": markdown(report, texts, zone)}
