"""Chore reminders that wait until the member's person is home, at most until a time.

Kept with the reminders' stored section: a restart while one waits keeps it,
and sends it at once if its latest time passed meanwhile.
"""

from collections.abc import Callable
from datetime import datetime, time
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_HOME
from homeassistant.core import Event, EventStateChangedData, callback
from homeassistant.helpers.event import (
    async_track_point_in_time,
    async_track_state_change_event,
)
from homeassistant.util import dt as dt_util

from .const import CONF_PERSON, CONF_WAIT_HOME, CONF_WAIT_LATEST
from .domain import stored
from .domain.reminder_rules import hold
from .notifier import Message
from .repairs import parse_each

if TYPE_CHECKING:
    from .reminders import ReminderFeature

# Sent by then even if the member is not home yet.
DEFAULT_LATEST = time(21)


class HomeWait:
    """What waits, per member, for them to come home."""

    def __init__(self, feature: ReminderFeature) -> None:
        """Initialize with nothing waiting."""
        self.feature = feature
        self.hass = feature.hass
        # Per member: until when, their targets, and the messages (one per tag).
        self.waiting: dict[str, tuple[datetime, list[str], list[Message]]] = {}

    def load(self, data: Any) -> None:
        """Restore what waits (a member's that cannot be read is sent no more)."""
        self.waiting = parse_each(data or {}, _parse, "reminders waiting for home")

    def as_dict(self) -> dict[str, Any]:
        """Return what waits for the store."""
        return {
            member_id: {
                "until": until.isoformat(),
                "targets": targets,
                "messages": [message.as_dict() for message in messages],
            }
            for member_id, (until, targets, messages) in self.waiting.items()
        }

    async def async_start(self) -> None:
        """Follow the persons of who waits; send what no longer has to wait."""
        for member_id in list(self.waiting):
            if member_id not in self.feature.entry.subentries:
                self.waiting.pop(member_id)
            elif self.until(member_id, self.waiting[member_id][0]) is None:
                await self.async_release(member_id)
            else:
                self._follow(member_id)

    def until(self, member_id: str, latest: datetime | None = None) -> datetime | None:
        """Return until when a reminder to the member waits now; None: send it now.

        It waits if the member asked to, has a person that is known and not
        home, and the latest time (today's, or `latest`) has not come.
        """
        subentry = self.feature.entry.subentries.get(member_id)
        if subentry is None or not subentry.data.get(CONF_WAIT_HOME):
            return None
        person = subentry.data.get(CONF_PERSON)
        state = self.hass.states.get(person) if person else None
        if state is None or state.state == STATE_HOME:
            return None
        if latest is None:
            text = subentry.data.get(CONF_WAIT_LATEST)
            at = time.fromisoformat(text) if text else DEFAULT_LATEST
            latest = dt_util.start_of_local_day().replace(
                hour=at.hour, minute=at.minute, second=at.second
            )
        return latest if dt_util.utcnow() < latest else None

    @callback
    def hold(
        self, member_id: str, until: datetime, targets: list[str], message: Message
    ) -> None:
        """Keep a message until the member is home (or `until`)."""
        _, waiting_targets, messages = self.waiting.get(member_id, (until, [], []))
        self.waiting[member_id] = (
            until,
            list(dict.fromkeys([*waiting_targets, *targets])),
            hold(messages, message),
        )
        self._follow(member_id)
        self.feature.coordinator.async_changed()

    @callback
    def keep(self, keep: Callable[[Message], bool]) -> bool:
        """Drop the waiting messages not to keep; return whether any was."""
        changed = False
        for member_id, (until, targets, messages) in list(self.waiting.items()):
            kept = [message for message in messages if keep(message)]
            if kept == messages:
                continue
            changed = True
            if kept:
                self.waiting[member_id] = (until, targets, kept)
            else:
                self._stop(member_id)
                self.waiting.pop(member_id)
        return changed

    def _follow(self, member_id: str) -> None:
        until = self.waiting[member_id][0]
        person = self.feature.entry.subentries[member_id].data[CONF_PERSON]

        async def _changed(event: Event[EventStateChangedData]) -> None:
            if (new := event.data["new_state"]) is not None and new.state == STATE_HOME:
                await self.async_release(member_id)

        async def _late(_: datetime) -> None:
            self.feature.timers.fired(f"home_latest.{member_id}")
            await self.async_release(member_id)

        timers = self.feature.timers
        timers.set(
            f"home.{member_id}",
            async_track_state_change_event(self.hass, [person], _changed),
        )
        timers.set(
            f"home_latest.{member_id}",
            async_track_point_in_time(self.hass, _late, until),
        )

    def _stop(self, member_id: str) -> None:
        self.feature.timers.cancel(f"home.{member_id}")
        self.feature.timers.cancel(f"home_latest.{member_id}")

    async def async_release(self, member_id: str) -> None:
        """Send what waited for the member (quiet hours still hold it)."""
        self._stop(member_id)
        if (waiting := self.waiting.pop(member_id, None)) is None:
            return
        # Off the disk first: a cut now loses these, never repeats them.
        await self.feature.coordinator.async_write_now()
        _, targets, messages = waiting
        for message in messages:
            outcomes = await self.feature.async_notify(targets, message)
            for target, outcome in outcomes.items():
                if outcome == "sent":
                    self.feature.chores.delivered(target, [message])


def _parse(data: Any) -> tuple[datetime, list[str], list[Message]]:
    return (
        stored.aware(data["until"]),
        [stored.text(target) for target in data["targets"]],
        [Message.from_dict(message) for message in data["messages"]],
    )
