"""Chores: the household's recurring chores, their timers, actions and events."""

from collections.abc import Collection, Iterator
from dataclasses import replace
from datetime import date, datetime
from functools import partial
from itertools import count
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.util import dt as dt_util

from .const import CONF_DESCRIPTION, DOMAIN, SUBENTRY_CHORE, SUBENTRY_MEMBER
from .domain.board import ChoreBoard, Placement
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
from .feature import HouseholdFeature
from .repairs import DamagedItems
from .signals import ChoreClosed, ClosedBy
from .store import StoredPart
from .subentries import subentries_of
from .validation import CLOCK_SKEW, linked_member, name as valid_name, name_taken

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator

# Listener key of the household-wide chore entities (To-do list, calendar).
CHORES: str = "chores"
DUE_OR_OVERDUE = (ChoreStatus.DUE, ChoreStatus.OVERDUE)


def assignee_key(member_id: str) -> str:
    """Return the listener key of the chores assigned to a member."""
    return f"{CHORES}.{member_id}"


def available_key(chore_id: str) -> str:
    """Return the listener key of whether a chore can be used (its button)."""
    return f"{chore_id}.available"


class ChoreFeature(HouseholdFeature):
    """Schedules the chores, wakes at their next status change, fires events."""

    key = "chores"
    subentry_type = SUBENTRY_CHORE

    def __init__(
        self, coordinator: AutoHomeCoordinator, entry: AutoHomeConfigEntry
    ) -> None:
        """Initialize for the household's chore subentries."""
        super().__init__(coordinator, entry)
        self.chores: dict[str, Chore] = {}
        # The lists each chore is on, as of its last refresh.
        self.board = ChoreBoard()
        # Bumped at each change of a chore: what its entities built stays good
        # until. Kept in the order of the changes (the latest last).
        self.revisions: dict[str, int] = {}
        self._revision = count()
        # The latest revision given, or taken by a chore's removal: a list
        # built at it is still good.
        self.generation = next(self._revision)
        # Status events waiting for their status to be on disk.
        self._announcing: list[tuple[str, dict[str, Any]]] = []
        self._started = False
        # Chores whose stored state cannot be used: left out until reset.
        self.damaged = DamagedItems(
            self.hass, entry, self.key, coordinator.async_changed
        )

    def load(self, data: dict[str, Any]) -> None:
        """Restore each chore's state and catch up with what changed while stopped.

        Before the entities exist: each is written once, with the caught-up state.
        """
        # Looked up once for all the chores, not once per chore.
        members = subentries_of(self.entry, SUBENTRY_MEMBER)
        for chore_id in self.subentries():
            if self._attempt(chore_id, data.get(chore_id), members):
                self._catch_up(chore_id)
        self.damaged.async_drop_stale_issues()

    def _attempt(
        self,
        chore_id: str,
        stored: dict[str, Any] | None,
        members: dict[str, ConfigSubentry] | None = None,
    ) -> bool:
        """Make the chore from its settings and `stored` state; False if it fails.

        One whose state cannot be used is left out (unavailable) until reset.
        """
        if members is None:
            members = subentries_of(self.entry, SUBENTRY_MEMBER)
        if chore := self.damaged.attempt(
            chore_id,
            stored,
            partial(self._restore, chore_id, stored, members),
            # Settings that fail a fresh chore too are no damaged state.
            partial(self._restore, chore_id, None, members),
        ):
            self.chores[chore_id] = chore
            return True
        return False

    def _restore(
        self,
        chore_id: str,
        stored: dict[str, Any] | None,
        members: dict[str, ConfigSubentry],
    ) -> Chore:
        # Home Assistant's default time zone is always a zoneinfo zone.
        tz = cast(ZoneInfo, dt_util.get_default_time_zone())
        now = dt_util.utcnow()
        settings = ChoreSettings.from_data(self.entry.subentries[chore_id].data)
        # A deleted member stays in the chore's settings until it is edited;
        # the turn passes over them.
        settings = replace(
            settings,
            assignees=tuple(
                assignee for assignee in settings.assignees if assignee in members
            ),
        )
        chore = Chore(
            settings,
            ChoreState.from_dict(stored) if stored else None,
            tz,
            now,
            list(members),
            available=self.coordinator.away.available,
        )
        # What its entities and the start compute must work too.
        chore.next_change(now)
        self._event_data(chore_id, chore)
        return chore

    def as_dict(self) -> dict[str, Any]:
        """Return every chore's state for the household store."""
        return {
            chore_id: chore.state.as_dict() for chore_id, chore in self.chores.items()
        } | self.damaged.sections

    def stored_parts(self) -> dict[str, StoredPart]:
        """Return what `as_dict` holds, each chore's made only when asked.

        A chore's state is replaced or given a new revision on every change,
        so the household writer serialises again only the chores that changed.
        """
        parts = {
            chore_id: StoredPart(
                chore.state, self.revisions.get(chore_id, -1), chore.state.as_dict
            )
            for chore_id, chore in self.chores.items()
        }
        for key, section in self.damaged.sections.items():
            parts[key] = StoredPart(section, 0, partial(_as_is, section))
        return parts

    async def async_start(self) -> None:
        """Time each chore; fire the status events its catch-up found."""
        self._started = True
        for chore_id in self.chores:
            self._time(chore_id)
        if self._announcing:
            self._start_announcing()

    async def async_subentry_added(self, subentry: ConfigSubentry) -> None:
        """Plan a new chore and time it."""
        if subentry.subentry_type == SUBENTRY_CHORE and self._attempt(
            subentry.subentry_id, None
        ):
            self._refresh(subentry.subentry_id)

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Re-plan a chore with its new settings, keeping its state."""
        # A new name alone changes no plan: its entities show it.
        if subentry.subentry_type == SUBENTRY_CHORE and before != subentry.data:
            self._rebuild(subentry.subentry_id)

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Forget a deleted chore; give a deleted member's chores to others."""
        if subentry_type == SUBENTRY_MEMBER:
            for chore_id, chore in list(self.chores.items()):
                if (
                    subentry_id in chore.settings.assignees
                    or chore.state.assignee == subentry_id
                ):
                    self._rebuild(chore_id)
            return
        if subentry_type != SUBENTRY_CHORE:
            return
        self.timers.cancel(subentry_id)
        self.damaged.async_forget(subentry_id)
        if subentry_id not in self.chores:
            return
        self.chores.pop(subentry_id)
        self.revisions.pop(subentry_id, None)
        self.generation = next(self._revision)
        self.coordinator.async_changed(
            CHORES, *self._member_keys(self.board.remove(subentry_id))
        )

    def _rebuild(self, chore_id: str) -> None:
        """Make the chore again from its current settings and state."""
        if chore_id in self.chores:
            # Replaced in place: the lists keep their order.
            stored: dict[str, Any] | None = self.chores[chore_id].state.as_dict()
        else:
            # Damaged: its changed settings may make it usable again.
            stored = self.damaged.sections.get(chore_id)
            self.damaged.async_forget(chore_id)
        # Its button shows whether it can be used.
        available = available_key(chore_id)
        if self._attempt(chore_id, stored):
            self._refresh(chore_id)
            self.coordinator.async_changed(available, store=None)
        else:
            self.chores.pop(chore_id, None)
            self.revisions.pop(chore_id, None)
            self.generation = next(self._revision)
            self.timers.cancel(chore_id)
            self.coordinator.async_changed(
                chore_id,
                CHORES,
                available,
                *self._member_keys(self.board.remove(chore_id)),
            )

    @staticmethod
    def _member_keys(members: set[str | None]) -> list[str]:
        """Return the listener keys of the members' lists (None: the household's)."""
        return [assignee_key(member) for member in members if member is not None]

    @callback
    def touch(self, chore_id: str | None = None) -> None:
        """Note that what a chore's entities show changed (None: every chore's)."""
        for touched in self.chores if chore_id is None else (chore_id,):
            if touched in self.revisions:
                self._revise(touched)

    def _revise(self, chore_id: str) -> None:
        """Give the chore a new revision, last in `revisions` (change order)."""
        self.revisions.pop(chore_id, None)
        self.revisions[chore_id] = self.generation = next(self._revision)

    def changed_since(self, generation: int) -> Iterator[str]:
        """Yield the chores revised after `generation`, latest first.

        Removed chores are not told: they are off every list.
        """
        revisions = self.revisions
        for chore_id in reversed(revisions):
            if revisions[chore_id] <= generation:
                return
            yield chore_id

    @callback
    def availability_changed(self, member_id: str) -> None:
        """Pass a member's due chores on, or give unassigned ones back."""
        for chore_id, chore in self.chores.items():
            if chore.state.assignee == member_id or (
                chore.state.assignee is None and member_id in chore.settings.assignees
            ):
                self._refresh(chore_id)

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
    def _refresh(self, chore_id: str) -> None:
        """Fire the event of a new status, time the next change, tell listeners.

        Only the chore's own entities and the lists it was or is on are told.
        """
        members = self._catch_up(chore_id)
        self._time(chore_id)
        self.coordinator.async_changed(chore_id, CHORES, *self._member_keys(members))

    def _catch_up(self, chore_id: str) -> set[str | None]:
        """Settle the chore's status now; return the members whose lists it touches."""
        chore = self.chores[chore_id]
        now = dt_util.utcnow()
        if (status := chore.settle(now)) in CHORE_STATUS_EVENTS:
            self._announce(CHORE_STATUS_EVENTS[status], self._event_data(chore_id))
        # A due chore of someone away goes to the next in turn; an unassigned
        # one to whoever can take it (back from being away).
        status = chore.status(now)
        if status in DUE_OR_OVERDUE or chore.state.assignee is None:
            chore.pass_over()
        state = chore.state
        self._revise(chore_id)
        return self.board.place(
            chore_id,
            Placement(
                due_at=chore.due_at,
                starts_at=chore.occurrence.start,
                assignee=state.assignee,
                due=status in DUE_OR_OVERDUE,
                open=chore.visible(now),
                undoable=chore.undoable(now),
                done_by=state.last_completed_by,
            ),
        )

    @callback
    def _time(self, chore_id: str) -> None:
        """Wake the chore at its next change."""

        @callback
        def _wake(_: datetime) -> None:
            self.timers.fired(chore_id)
            self._refresh(chore_id)

        self.timers.set(
            chore_id,
            async_track_point_in_time(
                self.hass, _wake, self.chores[chore_id].next_change(dt_util.utcnow())
            ),
        )

    @callback
    def _announce(self, event_type: str, data: dict[str, Any]) -> None:
        """Fire a status event once the status is written: a cut never repeats it."""
        self._announcing.append((event_type, data))
        if len(self._announcing) == 1 and self._started:
            self._start_announcing()

    @callback
    def _start_announcing(self) -> None:
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
        user_id: str | None = None,
    ) -> Completion | None:
        """Complete the chore's pending occurrence; None if it was already done.

        Credited to `member_id` if given, else to the member linked to the
        person of the calling user `user_id`, else to the assignee. Raises
        ServiceValidationError for a completion time in the future.
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
        if member_id is None and (
            caller := linked_member(self.hass, self.entry, user_id)
        ):
            member_id = caller.subentry_id
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

    def undo(self, chore_id: str) -> None:
        """Undo the chore's last completion, if it can still be (no-op otherwise)."""
        draft = self.chore(chore_id).draft()
        if draft.undo(dt_util.utcnow()):
            self._commit(chore_id, draft)

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
        # Only the last change can be taken back.
        draft.state.undo = None
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
        return self.find(member_id, DUE_OR_OVERDUE)

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


def _as_is(section: dict[str, Any]) -> dict[str, Any]:
    """Return a damaged chore's section as it was read: written back unchanged."""
    return section
