"""The household's own signals: how its features tell each other what happened.

Internal only. The public `auto_home_*` events (events.py) are outputs for
automations: nothing in Auto Home listens to them, so firing one from outside
changes nothing here. Each household has its own hub (`coordinator.signals`).

Delivery is the same whoever sends (a service, a phone button, the To-do list,
a timer): the handlers of a signal are called in the order they connected,
within `send`, and nothing is queued. A handler that returns a coroutine (an
`async def`, or a callback that does its quick part at once and returns the
rest) has it run as a task of the entry, started at once as Home Assistant
starts its own (eagerly: up to its first wait, before the next handler).
"""

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
import logging
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback

from .domain.alert import UrgentRule
from .domain.temperature import EpisodeEvent

_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeverChanged:
    """A fever episode started, escalated or ended (saved before it is sent)."""

    member_id: str
    member: str
    event: EpisodeEvent
    # The oral-equivalent the reading was judged by (None: the episode ended).
    counted_c: float | None
    # Why it needs attention now (none for a back-filled past).
    rules: tuple[UrgentRule, ...]

    @property
    def urgent(self) -> bool:
        """Whether it needs attention now: it breaks through quiet hours."""
        return bool(self.rules)


class ClosedBy(StrEnum):
    """What closed a chore's pending occurrence."""

    COMPLETED = "completed"
    SKIPPED = "skipped"
    SNOOZED = "snoozed"


@dataclass(frozen=True, slots=True)
class ChoreClosed:
    """A chore's pending occurrence was closed; its next one is already planned."""

    chore_id: str
    chore: str | None
    # Who completed it, else the assignee of the occurrence it closed.
    member: str | None
    by: ClosedBy


@dataclass(frozen=True, slots=True)
class WeightUnassigned:
    """A shared-scale reading fits nobody clearly and waits to be assigned."""

    reading_id: str
    kg: float
    measured_at: datetime
    source: str | None


@dataclass(frozen=True, slots=True)
class WeightSettled:
    """An unassigned reading was assigned or discarded."""

    reading_id: str


@dataclass(frozen=True, slots=True)
class ReadingAdded:
    """A temperature or weight reading was filed under a member."""

    member_id: str
    # The feature's key: "temperature" or "weight".
    kind: str
    measured_at: datetime


type Signal = (
    FeverChanged | ChoreClosed | WeightUnassigned | WeightSettled | ReadingAdded
)
type Handler[S] = Callable[[S], Coroutine[Any, Any, None] | None]


class Signals:
    """One household's hub: typed `connect` and `send`."""

    def __init__(self, hass: HomeAssistant, entry: ConfigEntry) -> None:
        """Initialize with no handlers."""
        self.hass = hass
        self.entry = entry
        self._handlers: dict[type, list[Handler[Any]]] = {}

    @callback
    def connect[S: Signal](self, kind: type[S], handler: Handler[S]) -> CALLBACK_TYPE:
        """Call `handler` with every signal of `kind`; return the disconnect."""
        handlers = self._handlers.setdefault(kind, [])
        handlers.append(handler)
        return lambda: handlers.remove(handler)

    @callback
    def send(self, signal: Signal) -> None:
        """Deliver `signal` to its handlers, in the order they connected."""
        for handler in list(self._handlers.get(type(signal), ())):
            # One handler's bug must not undo the change the sender made, nor
            # keep the signal from the others.
            try:
                rest = handler(signal)
            except Exception:
                _LOGGER.exception("Error handling %s", signal)
                continue
            if rest is not None:
                self.entry.async_create_task(
                    self.hass,
                    rest,
                    f"{type(signal).__name__} handler",
                )
