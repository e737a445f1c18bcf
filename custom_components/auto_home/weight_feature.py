"""Body weight: readings, personal trend, forecast, goals and shared scales."""

from bisect import insort
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
import logging
from typing import TYPE_CHECKING, Any
import uuid

from homeassistant.config_entries import ConfigSubentry
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .const import (
    CONF_GOAL_WEIGHT,
    CONF_HEIGHT,
    CONF_WEIGHT_SOURCE,
    CONF_WEIGHT_SOURCE_SHARED,
    DOMAIN,
    SUBENTRY_MEMBER,
)
from .domain.stored import aware, flag, integer, number, optional_text
from .domain.weight import (
    KILOGRAMS,
    PLAUSIBLE_MAX_KG,
    PLAUSIBLE_MIN_KG,
    TREND_WINDOW_DAYS,
    WeightTracker,
    attribute,
    in_trend_window,
    is_plausible,
    to_kg,
)
from .events import async_fire_weight_unassigned
from .feature import HouseholdFeature, KeyedTimers
from .history import HistoryIndex, ReadingHistory
from .repairs import DamagedItems, parse_each
from .signals import ReadingAdded, WeightSettled, WeightUnassigned
from .sources import (
    SourceReading,
    advance,
    async_relink,
)
from .validation import CLOCK_SKEW

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator

_LOGGER = logging.getLogger(__name__)

# Readings kept in the household store: those of the trend window, enough to
# rebuild the trend for a back-filled reading and to report recent readings.
RECENT_DAYS = TREND_WINDOW_DAYS


def weight_key(member_id: str) -> str:
    """Return the listener key of a member's weight (not their other readings)."""
    return f"weight.{member_id}"


@dataclass(slots=True)
class WeightReading:
    """One scale reading as stored."""

    measured_at: datetime
    kg: float
    flagged: bool = False
    source: str | None = None

    def as_list(self) -> list[Any]:
        """Return the compact stored form."""
        return [self.measured_at.isoformat(), self.kg, self.flagged, self.source]

    @classmethod
    def from_list(cls, item: list[Any]) -> WeightReading:
        """Rebuild from the stored form."""
        measured_at, kg, flagged, source = item
        return cls(
            aware(measured_at),
            number(kg),
            flag(flagged),
            optional_text(source),
        )

    def __lt__(self, other: WeightReading) -> bool:
        """Order by time, so readings can be kept sorted."""
        return self.measured_at < other.measured_at


@dataclass(slots=True)
class MemberWeight:
    """What is known of one member's weight.

    Every reading is kept in the member's monthly history files; the recent
    ones also live here, for the trend and for reports.
    """

    history: ReadingHistory
    tracker: WeightTracker = field(default_factory=WeightTracker)
    recent: list[WeightReading] = field(default_factory=list)
    readings: int = 0

    @property
    def latest(self) -> WeightReading | None:
        """Return the most recent reading."""
        return self.recent[-1] if self.recent else None


class WeightFeature(HouseholdFeature):
    """Takes scale readings in and keeps each member's trend and forecast."""

    key = "weight"

    def __init__(
        self, coordinator: AutoHomeCoordinator, entry: AutoHomeConfigEntry
    ) -> None:
        """Initialize for the household's members."""
        super().__init__(coordinator, entry)
        # Linked scale -> the members who weigh on it, and the tracking of each.
        self._scales: dict[str, list[str]] = {}
        self._scale_tracking = KeyedTimers()
        coordinator.async_on_shutdown(self._scale_tracking.close)
        self.members: dict[str, MemberWeight] = {}
        # Readings from a shared scale that fit nobody, or several, by id.
        self.unassigned: dict[str, WeightReading] = {}
        # Per linked scale, the time up to which its states are taken or known
        # to be no reading: the recorder's catch-up starts after it.
        self.scale_at: dict[str, datetime] = {}
        self._removed: set[str] = set()
        self.damaged = DamagedItems(
            self.hass,
            entry,
            self.key,
            partial(coordinator.async_changed, store=self.key),
            weight_key,
        )

    def load(self, data: dict[str, Any]) -> None:
        """Restore trends, recent readings and unassigned readings."""
        stored_members = data.get("members", {})
        self._removed = set(stored_members) - set(self.subentries())
        for member_id in self.subentries():
            # A member whose state cannot be restored starts afresh in memory.
            stored = stored_members.get(member_id)
            self.members[member_id] = self.damaged.attempt(
                member_id, stored, partial(self._restore, member_id, stored)
            ) or self._restore(member_id, None)
        self.damaged.async_drop_stale_issues()
        self.unassigned = parse_each(
            data.get("unassigned", {}),
            WeightReading.from_list,
            "unassigned weight readings",
        )
        # A scale whose catch-up point is dropped is caught up from now on.
        self.scale_at = parse_each(
            data.get("scales", {}), aware, "scale catch-up points"
        )

    def load_rebuilt(self, data: dict[str, Any]) -> None:
        """Take the state of members rebuilt from their journals.

        Their scales' catch-up points are not theirs: they were loaded as stored.
        """
        for member_id, stored in data["members"].items():
            self.members[member_id] = self._restore(member_id, stored)

    def _restore(self, member_id: str, stored: dict[str, Any] | None) -> MemberWeight:
        """Return a member's state from its stored section (fresh if None)."""
        state = MemberWeight(
            ReadingHistory(self.hass, self.entry.entry_id, f"weight.{member_id}")
        )
        if stored:
            state.tracker = WeightTracker.from_dict(stored["tracker"])
            state.recent = [WeightReading.from_list(item) for item in stored["recent"]]
            state.readings = integer(stored["readings"])
            # What the entities compute from it must work too.
            if state.tracker.latest_at is not None:
                state.tracker.forecast(state.tracker.latest_at)
        return state

    def as_dict(self) -> dict[str, Any]:
        """Return the state for the household store."""
        return {
            "members": {
                member_id: {
                    "tracker": state.tracker.as_dict(),
                    "recent": [reading.as_list() for reading in state.recent],
                    "readings": state.readings,
                }
                for member_id, state in self.members.items()
            }
            | self.damaged.sections,
            "unassigned": {
                reading_id: reading.as_list()
                for reading_id, reading in self.unassigned.items()
            },
            "scales": {scale: at.isoformat() for scale, at in self.scale_at.items()},
        }

    # Re-indexing keeps the readings of the trend window.
    INDEX_RECENT = RECENT_DAYS * 86400.0

    @staticmethod
    def stored_from_indexes(indexes: dict[str, HistoryIndex]) -> dict[str, Any]:
        """Return the state `load` takes, rebuilt from the members' journals.

        Recent readings, trend, count and each scale's catch-up point come
        back; shared-scale readings that waited for a member do not.
        """
        members: dict[str, Any] = {}
        scales: dict[str, datetime] = {}
        for member_id, index in indexes.items():
            recent = [
                WeightReading(dt_util.utc_from_timestamp(t), kg, source=tag or None)
                for t, kg, tag in index.recent
            ]
            for reading in recent:
                if reading.source:
                    scales[reading.source] = max(
                        reading.measured_at,
                        scales.get(reading.source, reading.measured_at),
                    )
            members[member_id] = {
                "tracker": trend_of(recent).as_dict(),
                "recent": [reading.as_list() for reading in recent],
                "readings": index.readings,
            }
        return {
            "members": members,
            "scales": {scale: at.isoformat() for scale, at in scales.items()},
        }

    async def async_start(self) -> None:
        """Follow the members' scales; forget members that were removed."""
        for member_id in self._removed:
            await self.async_remove_files(member_id)
        await self._async_link_scales()

    async def _async_link_scales(self) -> None:
        """Follow each linked scale; re-follow only those whose members changed."""
        scales: dict[str, list[str]] = {}
        for member_id, subentry in self.subentries().items():
            if member_id not in self.members:
                # Added, but not applied to the household yet: followed then.
                continue
            if source := subentry.data.get(CONF_WEIGHT_SOURCE):
                scales.setdefault(source, []).append(member_id)
        await async_relink(
            self.hass,
            self.entry,
            self._scales,
            scales,
            tracking=self._scale_tracking,
            points=self.scale_at,
            write_now=partial(self.coordinator.async_write_now, self.key),
            on_reading=self._scale_reading(self._scales),
            changed=partial(self.coordinator.async_changed, store=self.key),
        )

    async def async_subentry_added(self, subentry: ConfigSubentry) -> None:
        """Start a new member afresh, following their scale."""
        if subentry.subentry_type != SUBENTRY_MEMBER:
            return
        self.members[subentry.subentry_id] = self._restore(subentry.subentry_id, None)
        await self._async_link_scales()
        self.coordinator.async_changed(store=self.key)

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Follow a member's new scale (height and goal are read when shown)."""
        if subentry.subentry_type == SUBENTRY_MEMBER and any(
            before.get(key) != subentry.data.get(key)
            for key in (CONF_WEIGHT_SOURCE, CONF_WEIGHT_SOURCE_SHARED)
        ):
            await self._async_link_scales()

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Forget a deleted member: scale, state and journals."""
        if subentry_type != SUBENTRY_MEMBER:
            return
        self.members.pop(subentry_id, None)
        self.damaged.async_forget(subentry_id)
        await self._async_link_scales()
        self.coordinator.async_changed(store=self.key)
        await self.async_remove_files(subentry_id)

    def height_cm(self, member_id: str) -> float | None:
        """Return the member's height, if known."""
        return self.entry.subentries[member_id].data.get(CONF_HEIGHT)

    def goal_kg(self, member_id: str) -> float | None:
        """Return the member's goal weight, if set."""
        return self.entry.subentries[member_id].data.get(CONF_GOAL_WEIGHT)

    def _scale_reading(self, scales: dict[str, list[str]]) -> SourceReading:
        async def _reading(
            entity_id: str, value: float, unit: str | None, at: datetime, show: bool
        ) -> None:
            # `show` is not needed: a scale's catch-up is a few weighings, and
            # on a shared scale each may belong to someone else.
            del show
            # A reading on its way while its member is deleted is nobody's.
            if not (members := scales.get(entity_id, [])):
                return
            shared = len(members) > 1 or any(
                self.entry.subentries[member_id].data.get(CONF_WEIGHT_SOURCE_SHARED)
                for member_id in members
            )
            try:
                kg = self.validate(value, unit or KILOGRAMS, at)
            except ServiceValidationError:
                _LOGGER.warning(
                    "Ignoring weight %s %s from %s: implausible or unknown unit",
                    value,
                    unit,
                    entity_id,
                )
                return
            reading = WeightReading(at, kg, source=entity_id)
            advance(self.scale_at, entity_id, at)
            if shared:
                await self.async_file_shared(reading, members)
            else:
                await self.async_add(members[0], reading)

        return _reading

    def validate(self, value: float, unit: str, measured_at: datetime) -> float:
        """Return the weight in kg; raise ServiceValidationError if it is bad."""
        if measured_at > dt_util.utcnow() + CLOCK_SKEW:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="measured_in_future",
                translation_placeholders={"measured_at": measured_at.isoformat()},
            )
        try:
            kg = round(to_kg(value, unit), 2)
        except ValueError:
            kg = -1.0
        if not is_plausible(kg):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="weight_implausible",
                translation_placeholders={
                    "value": f"{value:g} {unit}",
                    "min": f"{PLAUSIBLE_MIN_KG:g}",
                    "max": f"{PLAUSIBLE_MAX_KG:g}",
                },
            )
        return kg

    async def async_add(self, member_id: str, reading: WeightReading) -> WeightReading:
        """File a reading under a member and update their trend."""
        state = self.members[member_id]
        state.history.async_add(reading.measured_at, reading.kg, reading.source or "")
        latest_at = state.tracker.latest_at
        if latest_at is None or reading.measured_at >= latest_at:
            state.recent.append(reading)
            _feed(state.tracker, state.recent, len(state.recent) - 1)
        elif in_trend_window(reading.measured_at, latest_at) and (
            reading.measured_at >= state.recent[0].measured_at
            or state.tracker.fits(reading.kg, _first_accepted(state.recent).kg)
        ):
            # Back-filled: the trend depends on order, so rebuild it. One older
            # than every reading of the trend would start it afresh: it must
            # fit the level they start at, for an outlier there is confirmed
            # or cleared by no later reading of a weekly weigher.
            insort(state.recent, reading)
            # The origins scored so far reach further back than `recent`.
            evaluation = state.tracker.evaluation
            state.tracker = trend_of(state.recent)
            state.tracker.evaluation = evaluation
        # else: older than the trend window, or than the trend and no fit for
        # it, it is history only.
        cutoff = state.recent[-1].measured_at - timedelta(days=RECENT_DAYS)
        while state.recent[0].measured_at < cutoff:
            state.recent.pop(0)
        state.readings += 1
        self.coordinator.signals.send(
            ReadingAdded(member_id, self.key, reading.measured_at)
        )
        self.coordinator.async_changed(
            weight_key(member_id), store=self.key, batched=reading.source is not None
        )
        return reading

    async def async_file_shared(
        self, reading: WeightReading, members: list[str]
    ) -> str | None:
        """Give a shared-scale reading to the member it clearly belongs to.

        Returns the member id, or None when the reading is held as unassigned
        (a persistent notification and an event say so).
        """
        candidates = {
            member_id: self.members[member_id].tracker.trend_kg for member_id in members
        }
        if (member_id := attribute(reading.kg, candidates)) is not None:
            await self.async_add(member_id, reading)
            return member_id
        reading_id = uuid.uuid4().hex[:8]
        self.unassigned[reading_id] = reading
        held = WeightUnassigned(
            reading_id, reading.kg, reading.measured_at, reading.source
        )
        async_fire_weight_unassigned(self.hass, held)
        # The reminders tell the household, after quiet hours.
        self.coordinator.signals.send(held)
        # Every member's weight sensor shows how many readings wait.
        self.coordinator.async_changed(*map(weight_key, self.members), store=self.key)
        return None

    def _unassigned(self, reading_id: str) -> WeightReading:
        if (reading := self.unassigned.get(reading_id)) is None:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="unknown_weight_reading",
                translation_placeholders={"reading_id": reading_id},
            )
        return reading

    def _drop_unassigned(self, reading_id: str) -> None:
        del self.unassigned[reading_id]
        self.coordinator.signals.send(WeightSettled(reading_id))
        # Every member's weight sensor shows how many readings wait.
        self.coordinator.async_changed(*map(weight_key, self.members), store=self.key)

    async def async_assign(self, reading_id: str, member_id: str) -> None:
        """Give an unassigned reading to a member; kept unassigned if that fails."""
        await self.async_add(member_id, self._unassigned(reading_id))
        self._drop_unassigned(reading_id)

    def discard(self, reading_id: str) -> None:
        """Drop an unassigned reading."""
        self._unassigned(reading_id)
        self._drop_unassigned(reading_id)

    def report(self, member_id: str, horizon_days: int, last: int) -> dict[str, Any]:
        """Return trend, rate, forecast, goal and recent readings of a member."""
        state = self.members[member_id]
        tracker = state.tracker
        rate = tracker.rate()
        at = (tracker.latest_at or dt_util.utcnow()) + timedelta(days=horizon_days)
        forecast = tracker.forecast(at)
        goal = tracker.goal(self.goal_kg(member_id))
        return {
            "member": self.entry.subentries[member_id].title,
            "trend_kg": _round(tracker.trend_kg),
            "rate_kg_per_week": _round(rate.kg_per_week) if rate else None,
            "rate_stderr_kg_per_week": _round(rate.stderr_kg_per_week)
            if rate
            else None,
            "forecast": {
                "at": forecast.at.isoformat(),
                "horizon_days": horizon_days,
                "kg": _round(forecast.kg),
                "low_kg": _round(forecast.low_kg),
                "high_kg": _round(forecast.high_kg),
                "method": forecast.method.value,
                "samples": forecast.samples,
                "window_days": forecast.window_days,
                "model": forecast.model.value,
                "model_reason": forecast.model_reason.value,
                "backtest_mae_7d": _round(forecast.backtest_mae_7d),
                "backtest_mae_30d": _round(forecast.backtest_mae_30d),
                "origins": forecast.origins,
            }
            if forecast
            else None,
            "goal_kg": self.goal_kg(member_id),
            "goal_date": goal.date.isoformat() if goal.date else None,
            "goal_reason": goal.reason.value if goal.reason else None,
            "readings": [
                {
                    "measured_at": reading.measured_at.isoformat(),
                    "kg": reading.kg,
                    "flagged": reading.flagged,
                }
                for reading in state.recent[-last:]
            ]
            if last
            else [],
        }


def _feed(tracker: WeightTracker, readings: list[WeightReading], index: int) -> None:
    """Add readings[index] to the tracker and note its outlier flag.

    A reading that confirms a flagged one before it clears that flag: the
    level really moved, and both readings now count.
    """
    reading = readings[index]
    # In the household's time zone: the forecast learns weekday and
    # time-of-day offsets, which are the person's local ones.
    result = tracker.add(dt_util.as_local(reading.measured_at), reading.kg)
    reading.flagged = result.flagged
    if result.confirmed and index > 0:
        readings[index - 1].flagged = False


def _first_accepted(readings: list[WeightReading]) -> WeightReading:
    """Return the oldest reading the trend took, or the oldest if none."""
    return next((reading for reading in readings if not reading.flagged), readings[0])


def trend_of(readings: list[WeightReading]) -> WeightTracker:
    """Return the trend of time-ordered readings, noting their outlier flags."""
    tracker = WeightTracker()
    for index in range(len(readings)):
        _feed(tracker, readings, index)
    return tracker


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
