"""Chores: the household's recurring chores, their timers, actions and events."""

from collections.abc import Collection
from datetime import date, datetime
from functools import partial
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.util import dt as dt_util

from .const import CONF_DESCRIPTION, DOMAIN, SUBENTRY_CHORE, SUBENTRY_MEMBER
from .domain.chore import Chore, ChoreSettings, ChoreState, ChoreStatus, Completion
from .events import (
    CHORE_CLOSED_EVENTS,
    CHORE_STATUS_EVENTS,
    async_fire,
    chore_payload,
    completed_payload,
    local_iso as _iso,
    skipped_payload,
)
from .repairs import DamagedItems
from .signals import ChoreClosed, ClosedBy
from .subentries import subentries_of
from .validation import CLOCK_SKEW, name as valid_name, name_taken

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator

# Listener key of the household-wide chore entities (To-do list, calendar).
CHORES: str = "chores"


def assignee_key(member_id: str) -> str:
    """Return the listener key of the chores assigned to a member."""
    return f"{CHORES}.{member_id}"


class ChoreFeature:
    """Schedules the chores, wakes at their next status change, fires events."""

    key = "chores"

    def __init__(
        self, coordinator: AutoHomeCoordinator, entry: AutoHomeConfigEntry
    ) -> None:
        """Initialize for the household's chore subentries."""
        self.hass: HomeAssistant = coordinator.hass
        self.coordinator = coordinator
        self.entry = entry
        self.chores: dict[str, Chore] = {}
        self._timers: dict[str, CALLBACK_TYPE] = {}
        # The assignee of each chore as its listeners were last told.
        self._told: dict[str, str | None] = {}
        # Status events waiting for their status to be on disk.
        self._announcing: list[tuple[str, dict[str, Any]]] = []
        # Chores whose stored state cannot be used: left out until reset.
        self.damaged = DamagedItems(
            self.hass, entry, self.key, coordinator.async_changed
        )

    def _ids(self, subentry_type: str) -> list[str]:
        return list(subentries_of(self.entry, subentry_type))

    def load(self, data: dict[str, Any]) -> None:
        """Restore each chore's state; re-plan chores whose rule changed."""
        # Home Assistant's default time zone is always a zoneinfo zone.
        tz = cast(ZoneInfo, dt_util.get_default_time_zone())
        now = dt_util.utcnow()
        members = self._ids(SUBENTRY_MEMBER)

        def _restore(chore_id: str, stored: dict[str, Any] | None) -> Chore:
            chore = Chore(
                ChoreSettings.from_data(self.entry.subentries[chore_id].data),
                ChoreState.from_dict(stored) if stored else None,
                tz,
                now,
                members,
            )
            # What its entities and the start compute must work too.
            chore.next_change(now)
            self._event_data(chore_id, chore)
            return chore

        for chore_id in self._ids(SUBENTRY_CHORE):
            stored = data.get(chore_id)
            if chore := self.damaged.attempt(
                chore_id,
                stored,
                partial(_restore, chore_id, stored),
                # Settings that fail a fresh chore too are no damaged state.
                partial(_restore, chore_id, None),
            ):
                self.chores[chore_id] = chore
        self.damaged.async_drop_stale_issues()

    def as_dict(self) -> dict[str, Any]:
        """Return every chore's state for the household store."""
        return {
            chore_id: chore.state.as_dict() for chore_id, chore in self.chores.items()
        } | self.damaged.sections

    async def async_start(self) -> None:
        """Catch up with what changed while stopped, then time each chore."""
        self.coordinator.async_on_shutdown(self._cancel_timers)
        # One update of the household-wide entities, not one per chore.
        keys: dict[str, None] = {}
        for chore_id in self.chores:
            self._refresh(chore_id, notify=False)
            keys.update(dict.fromkeys(self._keys(chore_id)))
        self.coordinator.async_changed(*keys)

    @callback
    def _cancel_timers(self) -> None:
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()

    def title(self, subentry_id: str | None) -> str | None:
        """Return a member's or chore's name (None if unknown)."""
        subentry = self.entry.subentries.get(subentry_id or "")
        return subentry.title if subentry else None

    def _keys(self, chore_id: str) -> list[str]:
        """Return the listener keys a change of the chore concerns.

        The chore, the household's lists, and the members it was and is
        assigned to (their chores due today), not every member.
        """
        assignee = self.chores[chore_id].state.assignee
        told = self._told.get(chore_id, assignee)
        self._told[chore_id] = assignee
        members = {member for member in (told, assignee) if member is not None}
        return [chore_id, CHORES, *(assignee_key(member) for member in members)]

    def chore(self, chore_id: str) -> Chore:
        """Return a chore to act on; refuse one whose state is damaged."""
        if chore_id in self.damaged.keys:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="chore_damaged",
                translation_placeholders={"chore": self.title(chore_id) or ""},
            )
        return self.chores[chore_id]

    @callback
    def _commit(
        self,
        chore_id: str,
        draft: Chore,
        closed: tuple[ClosedBy, dict[str, Any]] | None = None,
    ) -> None:
        """Make a changed copy the chore, once all it needs could be computed.

        A change that fails leaves the chore, the store and the listeners as
        they were. A closing is told before the listeners: the reminders take
        what was sent of the occurrence it closed, then plan the next one
        with everyone else.
        """
        draft.next_change(dt_util.utcnow())
        self.chores[chore_id] = draft
        if closed is not None:
            by, payload = closed
            async_fire(self.hass, CHORE_CLOSED_EVENTS[by], payload)
            self.coordinator.signals.send(
                ChoreClosed(chore_id, payload["chore"], payload["member"], by)
            )
        self._refresh(chore_id)

    @callback
    def _refresh(self, chore_id: str, *, notify: bool = True) -> None:
        """Fire the event of a new status, time the next change, tell listeners."""
        chore = self.chores[chore_id]
        now = dt_util.utcnow()
        if (status := chore.settle(now)) in CHORE_STATUS_EVENTS:
            self._announce(CHORE_STATUS_EVENTS[status], self._event_data(chore_id))
        if cancel := self._timers.pop(chore_id, None):
            cancel()

        @callback
        def _wake(_: datetime) -> None:
            self._timers.pop(chore_id, None)
            self._refresh(chore_id)

        self._timers[chore_id] = async_track_point_in_time(
            self.hass, _wake, chore.next_change(now)
        )
        if notify:
            self.coordinator.async_changed(*self._keys(chore_id))

    @callback
    def _announce(self, event_type: str, data: dict[str, Any]) -> None:
        """Fire a status event once the status is written: a cut never repeats it."""
        self._announcing.append((event_type, data))
        if len(self._announcing) == 1:
            # Not eager: the events of one moment (a start's catch-up) share a write.
            self.entry.async_create_task(
                self.hass,
                self._async_announce(),
                "chore status events",
                eager_start=False,
            )

    async def _async_announce(self) -> None:
        events, self._announcing = self._announcing, []
        await self.coordinator.async_write_now()
        for event_type, data in events:
            async_fire(self.hass, event_type, data)

    def _event_data(self, chore_id: str, chore: Chore | None = None) -> dict[str, Any]:
        return chore_payload(chore_id, chore or self.chores[chore_id], self.title)

    def complete(
        self,
        chore_id: str,
        member_id: str | None = None,
        completed_at: datetime | None = None,
    ) -> Completion | None:
        """Complete the chore's pending occurrence; None if it was already done.

        Raises ServiceValidationError for a completion time in the future.
        """
        now = dt_util.utcnow()
        at = completed_at or now
        if at > now + CLOCK_SKEW:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="completed_in_future",
                translation_placeholders={"completed_at": _iso(at) or ""},
            )
        chore = self.chore(chore_id)
        closed = self._event_data(chore_id, chore)
        draft = chore.draft()
        if (completion := draft.complete(now, min(at, now), member_id)) is None:
            return None
        self._commit(
            chore_id,
            draft,
            (
                ClosedBy.COMPLETED,
                completed_payload(closed, completion, draft, self.title),
            ),
        )
        return completion

    def skip(self, chore_id: str) -> None:
        """Skip the chore's pending occurrence."""
        chore = self.chore(chore_id)
        closed = self._event_data(chore_id, chore)
        draft = chore.draft()
        draft.skip(dt_util.utcnow())
        self._commit(
            chore_id, draft, (ClosedBy.SKIPPED, skipped_payload(closed, draft))
        )

    def snooze(self, chore_id: str, until: datetime) -> None:
        """Postpone the chore until `until`; raise if that is not in the future."""
        if until <= dt_util.utcnow():
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="snooze_in_past",
                translation_placeholders={"until": _iso(until) or ""},
            )
        draft = self.chore(chore_id).draft()
        draft.snooze(until)
        self._commit(
            chore_id, draft, (ClosedBy.SNOOZED, self._event_data(chore_id, draft))
        )

    def reassign(self, chore_id: str, member_id: str) -> None:
        """Give the chore's pending occurrence to a member."""
        draft = self.chore(chore_id).draft()
        draft.state.assignee = member_id
        self._commit(chore_id, draft)

    def rename(self, chore_id: str, name: str) -> None:
        """Rename a chore (its subentry); raise if the name is bad or taken."""
        name = valid_name(name)
        if name_taken(self.entry, SUBENTRY_CHORE, name, chore_id):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="chore_name_exists",
                translation_placeholders={"name": name},
            )
        self.hass.config_entries.async_update_subentry(
            self.entry, self.entry.subentries[chore_id], title=name
        )

    def summary(self, chore_id: str) -> dict[str, Any]:
        """Return what is known of a chore, for attributes and get_chores."""
        chore, now = self.chore(chore_id), dt_util.utcnow()
        state = chore.state
        _, _, deadline = chore.times()
        return {
            "chore": self.title(chore_id),
            "chore_id": chore_id,
            "status": chore.status(now).value,
            "due": _iso(chore.due_at),
            "deadline": _iso(deadline),
            "all_day": chore.occurrence.all_day,
            "assignee": self.title(state.assignee),
            "assignee_id": state.assignee,
            "snoozed_until": _iso(state.snoozed_until),
            "last_completed": _iso(state.last_completed),
            "last_completed_by": self.title(state.last_completed_by),
            "streak": state.streak,
            "days_overdue": chore.days_overdue(now),
            "completions": {
                title: count
                for member_id, count in state.counts.items()
                if (title := self.title(member_id))
            },
            "description": self.entry.subentries[chore_id].data.get(CONF_DESCRIPTION),
        }

    def due_today(self, member_id: str) -> list[str]:
        """Return the chores assigned to a member that are due or overdue."""
        return self.find(member_id, (ChoreStatus.DUE, ChoreStatus.OVERDUE))

    def find(
        self,
        member_id: str | None = None,
        statuses: Collection[ChoreStatus] | None = None,
        last_day: date | None = None,
    ) -> list[str]:
        """Return chores by due time: a member's (or all), in `statuses`, due by a day.

        `last_day` is a local date; None for any of the filters takes every chore.
        """
        now = dt_util.utcnow()
        return [
            chore_id
            for chore_id, chore in sorted(
                self.chores.items(), key=lambda item: item[1].due_at
            )
            if (member_id is None or chore.state.assignee == member_id)
            and (statuses is None or chore.status(now) in statuses)
            and (last_day is None or dt_util.as_local(chore.due_at).date() <= last_day)
        ]
