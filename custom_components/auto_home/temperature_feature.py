"""Body temperature: readings from services and thermometers, fever episodes."""

import asyncio
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import (
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import (
    async_track_point_in_time,
    async_track_time_interval,
)
from homeassistant.util import dt as dt_util

from .const import (
    CONF_TEMPERATURE_SITE,
    CONF_TEMPERATURE_SOURCE,
    DOMAIN,
    SUBENTRY_MEMBER,
)
from .domain.alert import urgent_rules
from .domain.baseline import Baseline
from .domain.stored import aware, integer, optional_text, text
from .domain.temperature import (
    CELSIUS,
    PLAUSIBLE_MAX_C,
    PLAUSIBLE_MIN_C,
    AgeGroup,
    Classification,
    Episode,
    EpisodeEvent,
    EpisodeEventType,
    FeverTracker,
    HourlyBucket,
    Site,
    TemperatureReading,
    Thresholds,
    assessed,
    classify,
    compact,
    is_plausible,
    to_celsius,
)
from .events import async_fire_fever
from .feature import HouseholdFeature, KeyedTimers
from .history import HistoryIndex, ReadingHistory, month_of
from .repairs import DamagedItems
from .signals import FeverChanged, ReadingAdded
from .sources import (
    SourceCaughtUp,
    SourceReading,
    async_relink,
)
from .store import FeatureStore
from .subentries import age_group_of
from .validation import CLOCK_SKEW

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
    from .options import HouseholdOptions

_LOGGER = logging.getLogger(__name__)

# Raw readings are kept this long; older months are folded into hourly buckets.
RAW_RETENTION = timedelta(days=400)
COMPACT_INTERVAL = timedelta(days=1)
# Ended episodes kept per member, for their reports (a year of colds and more).
EPISODES_KEPT = 50


@dataclass(slots=True)
class MemberTemperature:
    """What is known of one member's temperature."""

    tracker: FeverTracker
    history: ReadingHistory
    baseline: Baseline = field(default_factory=Baseline)
    # Ended episodes, oldest first, as they were when they ended.
    episodes: list[Episode] = field(default_factory=list)
    latest: TemperatureReading | None = None
    classification: Classification | None = None
    readings: int = 0
    months: set[str] = field(default_factory=set)
    hourly_months: set[str] = field(default_factory=set)
    # The linked thermometer's states up to this time are taken, or known to
    # be no reading: the recorder's catch-up starts after it.
    source_at: datetime | None = None
    # The thermometer `source_at` is of.
    source: str | None = None


class _SourcePoints(MutableMapping[str, datetime]):
    """Catch-up points of the linked thermometers, kept on their members."""

    def __init__(
        self, members: dict[str, MemberTemperature], sources: dict[str, str]
    ) -> None:
        """Initialize with the members and which member each source is of."""
        self._members = members
        self._sources = sources

    def __getitem__(self, source: str) -> datetime:
        if (at := self._members[self._sources[source]].source_at) is None:
            raise KeyError(source)
        return at

    def __setitem__(self, source: str, at: datetime) -> None:
        state = self._members[self._sources[source]]
        state.source, state.source_at = source, at

    def __delitem__(self, source: str) -> None:
        state = self._members[self._sources[source]]
        state.source = state.source_at = None

    def __iter__(self) -> Iterator[str]:
        return (source for source in self._sources if source in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class TemperatureFeature(HouseholdFeature):
    """Takes readings in, classifies them and tracks fever episodes."""

    key = "temperature"

    def __init__(
        self, coordinator: AutoHomeCoordinator, entry: AutoHomeConfigEntry
    ) -> None:
        """Initialize for the household's members."""
        super().__init__(coordinator, entry)
        self.members: dict[str, MemberTemperature] = {}
        # When each member's episode-end timer fires.
        self._timer_ends: dict[str, datetime] = {}
        # Linked thermometer -> its member, and the tracking of each.
        self._sources: dict[str, str] = {}
        self._source_tracking = KeyedTimers()
        coordinator.async_on_shutdown(self._source_tracking.close)
        self._removed: set[str] = set()
        # Events of a catch-up batch whose later readings are still to come:
        # the episode is judged at now, and announced, once all are in.
        self._batch: dict[str, list[EpisodeEvent]] = {}
        self._compaction: asyncio.Task[None] | None = None
        self.damaged = DamagedItems(
            self.hass,
            entry,
            self.key,
            partial(coordinator.async_changed, store=self.key),
        )

    @property
    def thresholds(self) -> Thresholds:
        """The household's fever thresholds."""
        return self.options.thresholds

    def load(self, data: dict[str, Any]) -> None:
        """Restore each member's latest reading, episode and history index.

        A member whose state cannot be restored starts afresh in memory, so
        readings and fever alerts go on; the stored state is kept until reset.
        """
        self._removed = set(data) - set(self.subentries())
        for member_id in self.subentries():
            stored = data.get(member_id)
            self.members[member_id] = self.damaged.attempt(
                member_id, stored, partial(self._restore, member_id, stored or {})
            ) or self._restore(member_id, {})
        self.damaged.async_drop_stale_issues()

    def load_rebuilt(self, data: dict[str, Any]) -> None:
        """Take the state of members rebuilt from their journals."""
        for member_id, stored in data.items():
            self.members[member_id] = self._restore(member_id, stored)

    def _restore(self, member_id: str, stored: dict[str, Any]) -> MemberTemperature:
        """Return a member's state from its stored section (fresh if empty)."""
        tracker_data = stored.get("tracker")
        state = MemberTemperature(
            tracker=FeverTracker.from_dict(
                tracker_data,
                self.thresholds,
                quiet_period=self.options.episode_end,
                recheck_after=self.options.recheck_after,
            )
            if tracker_data
            else FeverTracker(
                self.thresholds,
                quiet_period=self.options.episode_end,
                recheck_after=self.options.recheck_after,
            ),
            history=ReadingHistory(
                self.hass, self.entry.entry_id, f"temperature.{member_id}"
            ),
            baseline=Baseline.from_dict(stored.get("baseline") or {}),
            episodes=[Episode.from_dict(item) for item in stored.get("episodes", ())],
            readings=integer(stored.get("readings", 0)),
            months={text(month) for month in stored.get("months", ())},
            hourly_months={text(month) for month in stored.get("hourly_months", ())},
        )
        if source_at := stored.get("source_at"):
            state.source_at = aware(source_at)
            # Older stores kept no source: theirs is the one linked.
            state.source = optional_text(stored.get("source")) or self.entry.subentries[
                member_id
            ].data.get(CONF_TEMPERATURE_SOURCE)
        if latest := stored.get("latest"):
            state.latest = TemperatureReading.from_dict(latest)
            state.classification = self.classify(member_id, state.latest)
        # What the entities and the start compute from it must work too.
        state.tracker.ends_at()
        state.tracker.recheck_due()
        return state

    def as_dict(self) -> dict[str, Any]:
        """Return the members' state for the household store."""
        return {
            member_id: {
                "latest": state.latest.as_dict() if state.latest else None,
                "tracker": state.tracker.as_dict(),
                "baseline": state.baseline.as_dict(),
                "episodes": [episode.as_dict() for episode in state.episodes],
                "readings": state.readings,
                "months": sorted(state.months),
                "hourly_months": sorted(state.hourly_months),
                "source_at": state.source_at.isoformat() if state.source_at else None,
                "source": state.source,
            }
            for member_id, state in self.members.items()
        } | self.damaged.sections

    # Re-indexing needs only each member's newest reading.
    INDEX_RECENT = 0.0

    @staticmethod
    def stored_from_indexes(indexes: dict[str, HistoryIndex]) -> dict[str, Any]:
        """Return the state `load` takes, rebuilt from the members' journals.

        Latest reading, count and months come back; an open fever episode
        does not (it starts again with the next fever reading).
        """
        data: dict[str, Any] = {}
        for member_id, index in indexes.items():
            timestamp, value, tag = index.recent[-1]
            # Months of earlier versions' columnar files are not checked.
            site = Site(tag) if tag in Site else Site.ORAL
            latest = TemperatureReading(
                dt_util.utc_from_timestamp(timestamp), value, site
            )
            data[member_id] = {
                "latest": latest.as_dict(),
                "readings": index.readings,
                "months": index.months,
                # Catch-up takes what a linked thermometer reported after it.
                "source_at": latest.measured_at.isoformat(),
            }
        return data

    async def async_start(self) -> None:
        """Follow linked thermometers, settle episodes that ended while stopped."""
        for member_id in self._removed:
            await self.async_remove_files(member_id)
        now = dt_util.utcnow()
        await self._async_link_sources()
        for member_id in self.members:
            # A linked member's episode is judged once its thermometer's
            # missed readings are in: judged before, it may end and reopen.
            if member_id not in self._sources.values():
                await self._async_settle(member_id, now, starting=True)
        self.coordinator.async_on_shutdown(
            async_track_time_interval(
                self.hass, self._compact_soon, COMPACT_INTERVAL, name="compact"
            )
        )
        await self._async_compact(now)

    async def _async_link_sources(self) -> None:
        """Follow each member's linked thermometer; re-follow only those that moved."""
        sources: dict[str, str] = {}
        for member_id, subentry in self.subentries().items():
            if member_id not in self.members:
                # Added, but not applied to the household yet: followed then.
                continue
            source = subentry.data.get(CONF_TEMPERATURE_SOURCE)
            if source:
                sources[source] = member_id
            if self.members[member_id].source != source:
                # Its point is of a thermometer no longer linked to it.
                self.members[member_id].source = None
                self.members[member_id].source_at = None
        await async_relink(
            self.hass,
            self.entry,
            self._sources,
            sources,
            tracking=self._source_tracking,
            points=_SourcePoints(self.members, self._sources),
            write_now=partial(self.coordinator.async_write_now, self.key),
            on_reading=self._source_reading(self._sources),
            changed=partial(self.coordinator.async_changed, store=self.key),
            on_caught_up=self._source_caught_up(self._sources),
        )

    async def async_subentry_added(self, subentry: ConfigSubentry) -> None:
        """Start a new member afresh, following its thermometer."""
        if subentry.subentry_type != SUBENTRY_MEMBER:
            return
        self.members[subentry.subentry_id] = self._restore(subentry.subentry_id, {})
        await self._async_link_sources()
        self.coordinator.async_changed(store=self.key)

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Class the latest reading again (age, site); follow a new thermometer."""
        member_id = subentry.subentry_id
        if subentry.subentry_type != SUBENTRY_MEMBER or member_id not in self.members:
            return
        state = self.members[member_id]
        if state.latest is not None:
            state.classification = self.classify(member_id, state.latest)
        if before.get(CONF_TEMPERATURE_SOURCE) != subentry.data.get(
            CONF_TEMPERATURE_SOURCE
        ):
            await self._async_link_sources()

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Forget a deleted member: timers, thermometer, state and journals."""
        if subentry_type != SUBENTRY_MEMBER:
            return
        self.timers.cancel(subentry_id)
        self._timer_ends.pop(subentry_id, None)
        self._batch.pop(subentry_id, None)
        self.members.pop(subentry_id, None)
        self.damaged.async_forget(subentry_id)
        await self._async_link_sources()
        self.coordinator.async_changed(store=self.key)
        await self.async_remove_files(subentry_id)

    async def async_options_changed(self, before: HouseholdOptions) -> None:
        """Judge every member by the new thresholds and episode timing."""
        if not self.options.health_changed(before):
            return
        now = dt_util.utcnow()
        for member_id, state in list(self.members.items()):
            state.tracker = FeverTracker.from_dict(
                state.tracker.as_dict(),
                self.thresholds,
                quiet_period=self.options.episode_end,
                recheck_after=self.options.recheck_after,
            )
            if state.latest is not None:
                state.classification = self.classify(member_id, state.latest)
            await self._async_settle(member_id, now)

    def age_group(self, member_id: str) -> AgeGroup:
        """Return the member's age group today (from birth date or setting)."""
        return age_group_of(self.entry.subentries[member_id].data, dt_util.now().date())

    def default_site(self, member_id: str) -> Site:
        """Return where the member's temperature is usually measured."""
        return Site(
            self.entry.subentries[member_id].data.get(CONF_TEMPERATURE_SITE, Site.ORAL)
        )

    def _assessed(
        self, member_id: str, reading: TemperatureReading
    ) -> TemperatureReading:
        """Return the reading as it is assessed (classified and tracked)."""
        return assessed(reading, self.age_group(member_id))

    def classify(self, member_id: str, reading: TemperatureReading) -> Classification:
        """Return the class of one of the member's readings."""
        age_group = self.age_group(member_id)
        return classify(assessed(reading, age_group).core_c, self.thresholds, age_group)

    def statuses(
        self, member_id: str, reading: TemperatureReading
    ) -> dict[str, str | None]:
        """Return a recorded reading's class and the member's status now.

        A back-filled reading's class may differ from the member's status,
        which follows their latest reading.
        """
        current = self.members[member_id].classification
        return {
            "fever_status": self.classify(member_id, reading).fever_class.value,
            "current_fever_status": current.fever_class.value if current else None,
        }

    async def async_record(
        self,
        member_id: str,
        value: float,
        unit: str,
        *,
        site: Site | None = None,
        measured_at: datetime | None = None,
        source: str | None = None,
        show: bool = True,
    ) -> TemperatureReading:
        """Validate and record one reading; raise ServiceValidationError if bad.

        With `show` False the member's entities are not written and the
        episode is not judged at now yet (a reading caught up from the
        recorder that a newer one follows).
        """
        now = dt_util.utcnow()
        measured_at = measured_at or now
        if measured_at > now + CLOCK_SKEW:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="measured_in_future",
                translation_placeholders={"measured_at": measured_at.isoformat()},
            )
        celsius = round(to_celsius(value, unit), 2)
        if not is_plausible(celsius):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="temperature_implausible",
                translation_placeholders={
                    "value": f"{value:g} {unit}",
                    "min": f"{PLAUSIBLE_MIN_C:g}",
                    "max": f"{PLAUSIBLE_MAX_C:g}",
                },
            )
        reading = TemperatureReading(
            measured_at=measured_at,
            value_c=celsius,
            site=site or self.default_site(member_id),
            source=source,
        )
        state = self.members[member_id]
        state.history.async_add(measured_at, reading.value_c, reading.site.value)
        month = month_of(measured_at)
        new_month = month not in state.months
        state.months.add(month)
        state.readings += 1
        if source and (state.source_at is None or measured_at > state.source_at):
            state.source_at = measured_at
        if state.latest is None or measured_at >= state.latest.measured_at:
            state.latest = reading
            state.classification = self.classify(member_id, reading)
        events = [
            # The alert tells the reading as measured, not as assessed.
            event
            if event.kind is EpisodeEventType.ENDED
            else replace(event, reading=reading)
            for event in state.tracker.add(self._assessed(member_id, reading), now)
        ]
        tracker = state.tracker
        state.baseline.add(
            reading,
            dt_util.get_default_time_zone(),
            self.thresholds,
            [episode for episode in (tracker.episode, tracker.last_ended) if episode],
        )
        self.coordinator.signals.send(ReadingAdded(member_id, self.key, measured_at))
        # A sensor's plain readings are written in batches; a person's reading,
        # an episode step or a new month is written soon.
        batched = source is not None and not new_month
        if show:
            await self._async_settle(member_id, now, events, batched=batched)
        else:
            self._batch.setdefault(member_id, []).extend(events)
            self.coordinator.async_changed(store=self.key, batched=batched)
        return reading

    async def _async_settle(
        self,
        member_id: str,
        now: datetime,
        events: list[EpisodeEvent] | None = None,
        *,
        batched: bool = False,
        starting: bool = False,
    ) -> None:
        """Announce `events` and the batch's, end an episode now over, time its end.

        `starting`: the entities were just written with this state; they are
        told only if settling changed it.
        """
        if (state := self.members.get(member_id)) is None:
            # Deleted while a reading or timer of theirs was on its way.
            return
        events = state.tracker.settle(
            self._batch.pop(member_id, []) + (events or []), now
        )
        for event in events:
            if event.kind is EpisodeEventType.ENDED:
                state.episodes = [*state.episodes, event.episode][-EPISODES_KEPT:]
        await self._async_fire(member_id, events)
        if member_id not in self.members:
            return
        ends_at = state.tracker.ends_at()
        # Most readings do not move the episode's end: keep its timer then.
        if self._timer_ends.get(member_id) != ends_at:
            self.timers.cancel(member_id)
            self._timer_ends.pop(member_id, None)
            if ends_at is not None:

                async def _ended(now: datetime) -> None:
                    self.timers.fired(member_id)
                    self._timer_ends.pop(member_id, None)
                    await self._async_settle(member_id, now)

                self._timer_ends[member_id] = ends_at
                self.timers.set(
                    member_id, async_track_point_in_time(self.hass, _ended, ends_at)
                )
        if starting and not events:
            # Saved (a start may have unlinked a thermometer), not re-written.
            self.coordinator.async_changed(store=self.key)
            return
        # Fired events were written just before: nothing is left to write.
        self.coordinator.async_changed(
            member_id, store=None if events else self.key, batched=batched
        )

    async def _async_fire(self, member_id: str, events: list[EpisodeEvent]) -> None:
        """Fire episode events once the episode they announce is on disk.

        The stored tracker is what was announced (each episode's start, class
        and end): written first, a cut can lose an announcement but never
        repeat one, as the tracker never yields an event twice.
        """
        if not events:
            return
        # Should the write fail, the alert still goes: one that may come twice
        # beats one that never comes.
        await self.coordinator.async_write_now(self.key)
        # Removed while the write ran (its reload follows): nobody to tell.
        if (subentry := self.entry.subentries.get(member_id)) is None:
            return
        for event in events:
            fever = FeverChanged(
                member_id,
                subentry.title,
                event,
                counted_c=None
                if event.reading is None
                else self._assessed(member_id, event.reading).core_c,
                # An episode wholly in the past needs no attention now.
                rules=()
                if event.backfilled
                else tuple(
                    urgent_rules(event.episode.highest_class, self.age_group(member_id))
                ),
            )
            async_fire_fever(self.hass, fever)
            self.coordinator.signals.send(fever)

    def acknowledge(
        self, member_id: str, at: datetime, by: str | None
    ) -> Episode | None:
        """Record in the open episode who acknowledged its alert, and when."""
        if (state := self.members.get(member_id)) is None:
            return None
        if (episode := state.tracker.acknowledge(at, by)) is not None:
            self.coordinator.async_changed(member_id, store=self.key)
        return episode

    def _source_caught_up(self, sources: dict[str, str]) -> SourceCaughtUp:
        async def _caught_up(entity_id: str) -> None:
            # Its member may be deleted, or it unlinked, during the catch-up.
            if (member_id := sources.get(entity_id)) is not None:
                await self._async_settle(member_id, dt_util.utcnow())

        return _caught_up

    def _source_reading(self, sources: dict[str, str]) -> SourceReading:
        async def _reading(
            entity_id: str, value: float, unit: str | None, at: datetime, show: bool
        ) -> None:
            if (member_id := sources.get(entity_id)) is None:
                return
            await self._async_record_from_source(
                member_id, value, unit or CELSIUS, at, entity_id, show=show
            )

        return _reading

    async def _async_record_from_source(
        self,
        member_id: str,
        value: float,
        unit: str,
        at: datetime,
        source: str,
        *,
        show: bool,
    ) -> None:
        try:
            await self.async_record(
                member_id, value, unit, measured_at=at, source=source, show=show
            )
        except ServiceValidationError, ValueError:
            _LOGGER.warning(
                "Ignoring body temperature %s %s from %s: implausible or unknown unit",
                value,
                unit,
                source,
            )
            if show and member_id in self._batch:
                # The batch's last reading: judge and announce what came before.
                await self._async_settle(member_id, dt_util.utcnow())

    @callback
    def _compact_soon(self, now: datetime) -> None:
        if self._compaction is None or self._compaction.done():
            self._compaction = self.entry.async_create_background_task(
                self.hass, self._async_compact(now), "auto_home compaction"
            )

    async def async_finish_compaction(self) -> None:
        """Let a running compaction finish (before the final write of an unload)."""
        if self._compaction is not None:
            await self._compaction

    async def _async_compact(self, now: datetime) -> None:
        """Fold whole months older than the raw retention into hourly buckets."""
        cutoff = now - RAW_RETENTION
        cutoff_month = month_of(cutoff)
        for member_id, state in list(self.members.items()):
            old = sorted(month for month in state.months if month < cutoff_month)
            if not old:
                continue
            hourly_store = self._hourly_store(member_id)
            stored = await hourly_store.async_load() or {"buckets": []}
            buckets = [HourlyBucket.from_dict(bucket) for bucket in stored["buckets"]]
            for month in old:
                columns = await state.history.async_month(month)
                readings = (
                    TemperatureReading(dt_util.utc_from_timestamp(t), value, Site(tag))
                    for t, value, tag in zip(
                        columns.times, columns.values, columns.tags, strict=True
                    )
                )
                _, buckets = compact(readings, keep_raw_after=cutoff, buckets=buckets)
            # Buckets are written before the raw months go: nothing is lost midway.
            try:
                await hourly_store.async_save(
                    {"buckets": [bucket.as_dict() for bucket in buckets]}
                )
            except OSError as err:
                # The raw months stay; the next compaction (a day on) tries again.
                _LOGGER.warning(
                    "Could not fold old temperature readings into hours: %s", err
                )
                continue
            await state.history.async_remove(old)
            state.months.difference_update(old)
            state.hourly_months.update(old)
            self.coordinator.async_changed(member_id, store=self.key)

    def _hourly_store(self, member_id: str) -> FeatureStore:
        # Checked: a write that fails must raise before the raw months go.
        return FeatureStore(
            self.hass, self.entry.entry_id, f"{self.key}.{member_id}.hourly"
        )
