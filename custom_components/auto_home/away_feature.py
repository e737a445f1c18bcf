"""Members marked away: stored, ended by a timer at `until`, told to the chores."""

from datetime import datetime, time
from typing import Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import STATE_ON
from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.helpers.event import (
    async_track_point_in_time,
    async_track_state_change_event,
)
from homeassistant.util import dt as dt_util

from .const import (
    CONF_AWAY_ENTITIES,
    CONF_CUSTODY_START,
    CONF_CUSTODY_WEEKDAYS,
    SUBENTRY_MEMBER,
)
from .domain.away import Away, Custody, custody_of, is_available
from .domain.chore import WEEKDAYS
from .feature import HouseholdFeature
from .validation import refusal


def away_key(member_id: str) -> str:
    """Return the listener key of a member's away state."""
    return f"away.{member_id}"


class AwayFeature(HouseholdFeature):
    """Who is away, until when; the chores pass over them meanwhile."""

    key = "away"

    def __init__(self, *args: Any) -> None:
        """Initialize with nobody away."""
        super().__init__(*args)
        self.members: dict[str, Away] = {}

    def load(self, data: dict[str, Any]) -> None:
        """Restore the away periods of current members that have not ended."""
        now = dt_util.utcnow()
        members = self.subentries()
        for member_id, period in data.get("members", {}).items():
            away = Away.from_dict(period)
            # Ended while stopped: back, as if the timer had fired.
            if member_id in members and (away.until is None or away.until > now):
                self.members[member_id] = away

    def as_dict(self) -> dict[str, Any]:
        """Return the away periods for the household store."""
        return {
            "members": {
                member_id: away.as_dict() for member_id, away in self.members.items()
            }
        }

    async def async_start(self) -> None:
        """Time the end of each away period."""
        for member_id in self.members:
            self._time_return(member_id)
        for member_id in self.subentries():
            self._time_custody(member_id)
            self._follow_linked(member_id)

    def linked(self, member_id: str) -> list[str]:
        """Return the member's linked entities (an input_boolean, a calendar) that are on."""
        subentry = self.entry.subentries.get(member_id)
        entities = subentry.data.get(CONF_AWAY_ENTITIES, []) if subentry else []
        return [
            entity_id
            for entity_id in entities
            if (state := self.hass.states.get(entity_id)) is not None
            and state.state == STATE_ON
        ]

    def _follow_linked(self, member_id: str) -> None:
        """Follow the member's linked entities: on means away (no polling)."""
        key = f"linked.{member_id}"
        self.timers.cancel(key)
        entities = self.entry.subentries[member_id].data.get(CONF_AWAY_ENTITIES)
        if not entities:
            return

        @callback
        def _switched(event: Event[EventStateChangedData]) -> None:
            old, new = event.data["old_state"], event.data["new_state"]
            if (old is not None and old.state == STATE_ON) != (
                new is not None and new.state == STATE_ON
            ):
                self._changed(member_id)

        self.timers.set(
            key, async_track_state_change_event(self.hass, entities, _switched)
        )

    def custody(self, member_id: str) -> Custody | None:
        """Return the member's custody schedule, if they have one."""
        subentry = self.entry.subentries.get(member_id)
        if subentry is None:
            return None
        data = subentry.data
        return custody_of(
            data.get(CONF_CUSTODY_START), data.get(CONF_CUSTODY_WEEKDAYS, ()), WEEKDAYS
        )

    def away_by_custody(self, member_id: str) -> bool:
        """Return whether the custody schedule has the member away today."""
        custody = self.custody(member_id)
        return custody is not None and custody.away_on(dt_util.now().date())

    def available(self, member_id: str) -> bool:
        """Return whether a member can take a chore's turn now."""
        return (
            is_available(self.members.get(member_id), dt_util.utcnow())
            and not self.away_by_custody(member_id)
            and not self.linked(member_id)
        )

    def _time_custody(self, member_id: str) -> None:
        """Wake at the local midnight the custody schedule next changes."""
        key = f"custody.{member_id}"
        self.timers.cancel(key)
        custody = self.custody(member_id)
        if (
            custody is None
            or (day := custody.next_change(dt_util.now().date())) is None
        ):
            return

        @callback
        def _turned(_: datetime) -> None:
            self.timers.fired(key)
            self._time_custody(member_id)
            self._changed(member_id)

        start = datetime.combine(day, time(), dt_util.get_default_time_zone())
        self.timers.set(key, async_track_point_in_time(self.hass, _turned, start))

    async def async_subentry_added(self, subentry: ConfigSubentry) -> None:
        """Time a new member's custody schedule."""
        if subentry.subentry_type == SUBENTRY_MEMBER:
            self._time_custody(subentry.subentry_id)
            self._follow_linked(subentry.subentry_id)

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Apply a changed custody schedule now."""
        if subentry.subentry_type != SUBENTRY_MEMBER:
            return
        keys = (CONF_CUSTODY_START, CONF_CUSTODY_WEEKDAYS, CONF_AWAY_ENTITIES)
        if any(before.get(key) != subentry.data.get(key) for key in keys):
            self._time_custody(subentry.subentry_id)
            self._follow_linked(subentry.subentry_id)
            self._changed(subentry.subentry_id)

    @callback
    def set_away(self, member_id: str, until: datetime | None) -> None:
        """Mark a member away (until `until`, or until marked back)."""
        now = dt_util.utcnow()
        if until is not None and until <= now:
            raise refusal("away_until_past", until=until.isoformat())
        since = away.since if (away := self.members.get(member_id)) else now
        self.members[member_id] = Away(since, until)
        self._time_return(member_id)
        self._changed(member_id)

    @callback
    def set_back(self, member_id: str) -> None:
        """Mark a member back (nothing changes if they were not away)."""
        self.timers.cancel(member_id)
        if self.members.pop(member_id, None) is not None:
            self._changed(member_id)

    def _time_return(self, member_id: str) -> None:
        self.timers.cancel(member_id)
        if (until := self.members[member_id].until) is None:
            return

        @callback
        def _back(_: datetime) -> None:
            self.timers.fired(member_id)
            self.set_back(member_id)

        self.timers.set(member_id, async_track_point_in_time(self.hass, _back, until))

    @callback
    def _changed(self, member_id: str) -> None:
        self.coordinator.async_changed(away_key(member_id))
        self.coordinator.chores.availability_changed(member_id)

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Forget a deleted member's away period."""
        self.timers.cancel(subentry_id)
        self.timers.cancel(f"custody.{subentry_id}")
        self.timers.cancel(f"linked.{subentry_id}")
        if self.members.pop(subentry_id, None) is not None:
            self.coordinator.async_changed()
