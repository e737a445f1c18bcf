"""What the household card shows: a compact snapshot, then one delta per change.

Built from the views, never from the recorder: the coordinator tells the feed
the keys of each change, the feed rebuilds only what those keys concern,
compares it with what it sent and sends the difference. Keys that arrive in
one go (a completion touches a chore, the household's lists and two members'
counts) are collected until the event loop's next turn: one change, one delta.
The protocol is described in the README ("Household card").
"""

import asyncio
from collections.abc import Callable, Collection
from datetime import datetime
from typing import Any, Final

from homeassistant.auth.models import User
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.util import dt as dt_util

from .away_feature import away_key
from .chore_feature import CHORES, assignee_key
from .const import (
    CONF_PERSON,
    CONF_VOICE_SCOPE,
    DOMAIN,
    SUBENTRY_MEMBER,
    VOICE_SCOPE_ALL,
    VOICE_SCOPE_OWN,
)
from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
from .domain.chore import ChoreStatus
from .domain.series import means, peaks
from .dose_feature import dose_key
from .subentries import subentries_of
from .validation import health_scope, linked_member
from .views import ChoreView, HouseholdView, MemberView
from .weight_feature import weight_key

PROTOCOL_VERSION: Final = 1
# Points of a weight sparkline (90 days) and of a fever episode's chart.
SPARK_POINTS: Final = 60
EPISODE_POINTS: Final = 120
# The health sections a member shown as private goes without.
HEALTH: Final = ("temp", "episode", "weight")
# What of a member a change may concern besides the cheap fields (name, away):
# the due count, the temperature with its episode, the weight.
ALL_PARTS: Final = frozenset({"due", "temp", "weight"})

type Payload = dict[str, Any]


def _ts(moment: datetime | None) -> int | None:
    """Return Unix seconds, the protocol's one time format."""
    return None if moment is None else round(moment.timestamp())


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _temperature(view: MemberView) -> Payload | None:
    if (reading := view.temperature) is None:
        return None
    classification = view.classification
    return {
        "at": _ts(reading.measured_at),
        "c": reading.value_c,
        "site": reading.site.value,
        "core": _round(reading.core_c),
        "class": classification.fever_class.value if classification else None,
        "urgent": classification.urgent if classification else False,
    }


async def _async_episode(view: MemberView) -> Payload | None:
    if (episode := view.episode) is None:
        return None
    readings = peaks(
        await view.async_episode_readings(),
        EPISODE_POINTS,
        lambda reading: reading.measured_at.timestamp(),
        lambda reading: reading.core_c,
    )
    return {
        "start": _ts(episode.started_at),
        "peak": episode.peak_c,
        "peak_at": _ts(episode.peak_at),
        "class": episode.highest_class.value,
        "ends": _ts(view.episode_ends_at),
        "check": _ts(view.recheck_due),
        "readings": [
            [
                _ts(reading.measured_at),
                _round(reading.core_c),
                reading.value_c,
                reading.site.value,
            ]
            for reading in readings
        ],
        "doses": [
            {
                "at": _ts(dose.given_at),
                "medicine": dose.medicine_id,
                "name": dose.medicine,
                "amount": dose.amount,
                "unit": dose.unit,
            }
            for dose in view.episode_doses
        ],
    }


def _weight(view: MemberView) -> Payload | None:
    if (latest := view.weight) is None:
        return None
    rate, forecast, goal = view.weight_rate, view.weight_forecast, view.goal
    spark = means(
        [
            (reading.measured_at.timestamp(), reading.kg)
            for reading in view.weight_readings
            if not reading.flagged
        ],
        SPARK_POINTS,
    )
    return {
        "at": _ts(latest.measured_at),
        "kg": latest.kg,
        "trend": _round(view.weight_trend),
        "week": _round(rate.kg_per_week) if rate else None,
        "spark": [[round(at), round(kg, 2)] for at, kg in spark],
        "forecast": {
            "at": _ts(forecast.at),
            "kg": _round(forecast.kg),
            "low": _round(forecast.low_kg),
            "high": _round(forecast.high_kg),
        }
        if forecast
        else None,
        "goal": view.goal_weight,
        "goal_date": dt_util.as_local(goal.date).date().isoformat()
        if goal.date
        else None,
        "goal_reason": goal.reason.value if goal.reason else None,
        "bmi": view.bmi,
    }


def _chore(chore: ChoreView, now: datetime) -> Payload:
    return {
        "name": chore.title,
        "assignee": chore.assignee_id,
        "due": _ts(chore.due_at),
        "all_day": chore.occurrence.all_day,
        "status": chore.status_at(now).value,
        "overdue_days": chore.days_overdue(now),
        "snoozed": _ts(chore.snoozed_until),
        "last": _ts(chore.last_completed),
        "by": chore.last_completed_by_id,
    }


def chores_section(household: HouseholdView, now: datetime) -> tuple[Payload, int]:
    """Return today's, overdue and done-today chores, and how many others there are."""
    today = dt_util.as_local(now).date()
    listed: Payload = {}
    upcoming = 0
    for chore in household.chores:
        status = chore.status_at(now)
        last = chore.last_completed
        if (
            status in (ChoreStatus.DUE, ChoreStatus.OVERDUE)
            or dt_util.as_local(chore.due_at).date() <= today
            or (last is not None and dt_util.as_local(last).date() == today)
        ):
            listed[chore.subentry_id] = _chore(chore, now)
        else:
            upcoming += 1
    return listed, upcoming


def held_section(household: HouseholdView) -> list[Payload]:
    """Return the shared-scale readings that wait for their member, oldest first."""
    return [
        {
            "id": reading_id,
            "kg": reading.kg,
            "at": _ts(reading.measured_at),
            "source": reading.source,
        }
        for reading_id, reading in sorted(
            household.held_weights.items(), key=lambda item: item[1].measured_at
        )
    ]


class CardFeed:
    """One subscription: its snapshot, then a delta for each change."""

    def __init__(
        self,
        coordinator: AutoHomeCoordinator,
        user: User,
        send: Callable[[Payload], None],
    ) -> None:
        """Initialize for `user`; `send` delivers each event's payload."""
        self._hass: HomeAssistant = coordinator.hass
        self._coordinator = coordinator
        self._user = user
        self._send = send
        self._household = HouseholdView(coordinator)
        # What the card has: the last values sent.
        self._sent: Payload = {}
        self._members: dict[str, Payload] = {}
        self._chores: Payload = {}
        self._chore_ids: set[str] = set()
        # What changed since: members to rebuild, and sections.
        self._dirty_members: dict[str, set[str]] = {}
        self._dirty_chores = False
        self._dirty_held = False
        self._dirty_structure = False
        self._ready = False
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe: CALLBACK_TYPE | None = None
        self._unsubscribe_entry: CALLBACK_TYPE | None = None

    async def async_start(self) -> None:
        """Send the snapshot, then follow the household's changes."""
        # Changes while the snapshot is built are sent after it, as a delta.
        self._unsubscribe = self._coordinator.async_add_change_listener(self._changed)
        # New options (who may see whose health) change no state of the household.
        self._unsubscribe_entry = self._coordinator.entry.add_update_listener(
            self._async_entry_updated
        )
        snapshot = await self._async_snapshot()
        if self._closed:
            return
        self._send({"snapshot": snapshot})
        self._ready = True
        self._schedule()

    @callback
    def close(self) -> None:
        """Stop following the household (the card unsubscribed, or it unloads)."""
        self._closed = True
        for unsubscribe in (self._unsubscribe, self._unsubscribe_entry):
            if unsubscribe is not None:
                unsubscribe()
        self._unsubscribe = self._unsubscribe_entry = None

    @callback
    def end(self) -> None:
        """Tell the card the household is gone (it unloads), then stop."""
        if not self._closed:
            self.close()
            self._send({"closed": True})

    def _viewer(self) -> Payload:
        entry = self._coordinator.entry
        own = linked_member(self._hass, entry, self._user.id)
        scope = self._scope()
        return {
            "admin": self._user.is_admin,
            "member": own.subentry_id if own else None,
            "scope": VOICE_SCOPE_OWN
            if entry.options.get(CONF_VOICE_SCOPE) == VOICE_SCOPE_OWN
            else VOICE_SCOPE_ALL,
            "discard": scope is None,
        }

    def _scope(self) -> set[str] | None:
        return health_scope(
            self._hass, self._coordinator.entry, self._user.id, self._user.is_admin
        )

    def _order(self) -> list[str]:
        return list(subentries_of(self._coordinator.entry, SUBENTRY_MEMBER))

    def _household_fields(self) -> Payload:
        thresholds = self._household.thresholds
        return {
            "title": self._coordinator.entry.title,
            "viewer": self._viewer(),
            "thresholds": {
                "low_grade": thresholds.low_grade,
                "fever": thresholds.fever,
                "high_fever": thresholds.high_fever,
                "hyperpyrexia": thresholds.hyperpyrexia,
                "hypothermia": thresholds.hypothermia,
            },
            "order": self._order(),
        }

    async def _async_member(
        self,
        member_id: str,
        scope: set[str] | None,
        parts: Collection[str] = ALL_PARTS,
        old: Payload | None = None,
    ) -> Payload:
        """Build a member; of `old`, keep the parts no change concerned."""
        hass = self._hass
        if old is None:
            parts = ALL_PARTS
        subentry = self._coordinator.entry.subentries[member_id]
        view = MemberView(self._coordinator, member_id)
        person = subentry.data.get(CONF_PERSON)
        person_state = hass.states.get(person) if person else None
        device = dr.async_get(hass).async_get_device_by_identifier(
            (DOMAIN, member_id), self._coordinator.entry.entry_id
        )
        private = scope is not None and member_id not in scope
        member: Payload = {
            "name": subentry.title,
            "person": person,
            "user": person_state.attributes.get("user_id") if person_state else None,
            "device": device.id if device else None,
            "private": private,
            "away": view.away,
            "due": len(view.chores_due_today)
            if "due" in parts or old is None
            else old["due"],
        }
        if private:
            return member
        if old is None or "temp" in parts or "temp" not in old:
            member["temp"] = _temperature(view)
            member["episode"] = await _async_episode(view)
        else:
            member["temp"], member["episode"] = old["temp"], old["episode"]
        if old is None or "weight" in parts or "weight" not in old:
            member["weight"] = _weight(view)
        else:
            member["weight"] = old["weight"]
        return member

    async def _async_snapshot(self) -> Payload:
        now = dt_util.utcnow()
        household = self._household_fields()
        scope = self._scope()
        self._members = {
            member_id: await self._async_member(member_id, scope)
            for member_id in household["order"]
        }
        self._chores, upcoming = chores_section(self._household, now)
        self._chore_ids = set(self._coordinator.chores.chores)
        held = held_section(self._household)
        self._sent = household | {"upcoming": upcoming, "held": held}
        return {
            "v": PROTOCOL_VERSION,
            "entry_id": self._coordinator.entry.entry_id,
            "now": _ts(now),
            **household,
            "members": self._members,
            "chores": self._chores,
            "upcoming": upcoming,
            "held": held,
        }

    @callback
    def _changed(self, keys: tuple[str, ...]) -> None:
        """Note what a change concerns; send it on the event loop's next turn."""
        if not keys:
            # A write only, or a member or chore added or deleted.
            self._dirty_structure = True
        chores = self._coordinator.chores.chores
        for key in keys:
            _, _, member_id = key.partition(".")
            if key == CHORES or key in chores:
                self._dirty_chores = True
            elif key == weight_key(member_id):
                self._dirty(member_id, "weight")
                self._dirty_held = True
            elif key == assignee_key(member_id):
                self._dirty(member_id, "due")
                self._dirty_chores = True
            elif key == away_key(member_id):
                self._dirty(member_id)
            elif key == dose_key(member_id):
                # The doses are a part of the episode.
                self._dirty(member_id, "temp")
            else:
                self._dirty(key, *ALL_PARTS)
        self._schedule()

    async def _async_entry_updated(
        self, hass: HomeAssistant, entry: AutoHomeConfigEntry
    ) -> None:
        self._changed(())

    def _dirty(self, member_id: str, *parts: str) -> None:
        self._dirty_members.setdefault(member_id, set()).update(parts)

    @callback
    def _schedule(self) -> None:
        if not self._ready or self._closed:
            return
        if self._task is not None and not self._task.done():
            # The running flush sends this change too, when it is done.
            return
        self._task = self._coordinator.entry.async_create_task(
            self._hass, self._async_flush(), "auto_home card delta"
        )

    def _pending(self) -> bool:
        return bool(
            self._dirty_members
            or self._dirty_chores
            or self._dirty_held
            or self._dirty_structure
        )

    async def _async_flush(self) -> None:
        # The rest of the change (its other keys) is noted before this turn ends.
        await asyncio.sleep(0)
        while self._pending() and not self._closed:
            delta = await self._async_delta()
            if delta and not self._closed:
                self._send({"delta": {"now": _ts(dt_util.utcnow()), **delta}})

    async def _async_delta(self) -> Payload:
        """Rebuild what changed, return what differs from what was sent."""
        members, self._dirty_members = self._dirty_members, {}
        chores, self._dirty_chores = self._dirty_chores, False
        held, self._dirty_held = self._dirty_held, False
        structure, self._dirty_structure = self._dirty_structure, False
        delta: Payload = {}
        household = self._household_fields()
        if household["viewer"] != self._sent.get("viewer"):
            # Who may see whose health changed: every member again.
            members.update(dict.fromkeys(household["order"], ALL_PARTS))
        for field, value in household.items():
            if self._sent.get(field) != value:
                delta[field] = self._sent[field] = value
        order = household["order"]
        if structure and set(self._chore_ids) != set(self._coordinator.chores.chores):
            chores = True
        scope = self._scope()
        changed_members: Payload = {}
        for member_id in set(self._members) - set(order):
            del self._members[member_id]
            changed_members[member_id] = None
        for member_id in [member for member in order if member in members] + [
            member for member in order if member not in self._members
        ]:
            if member_id in changed_members:
                continue
            old = self._members.get(member_id)
            new = await self._async_member(
                member_id, scope, members.get(member_id, ALL_PARTS), old
            )
            self._members[member_id] = new
            if old is None:
                changed_members[member_id] = new
                continue
            if fields := {
                field: value
                for field, value in new.items()
                if old.get(field, ...) != value
            } | {field: None for field in HEALTH if field in old and field not in new}:
                changed_members[member_id] = fields
        if changed_members:
            delta["members"] = changed_members
        if chores:
            self._chore_ids = set(self._coordinator.chores.chores)
            listed, upcoming = chores_section(self._household, dt_util.utcnow())
            changed_chores: Payload = {
                chore_id: chore
                for chore_id, chore in listed.items()
                if self._chores.get(chore_id) != chore
            } | {chore_id: None for chore_id in self._chores if chore_id not in listed}
            self._chores = listed
            if changed_chores:
                delta["chores"] = changed_chores
            if upcoming != self._sent.get("upcoming"):
                delta["upcoming"] = self._sent["upcoming"] = upcoming
        if held or structure:
            new_held = held_section(self._household)
            if new_held != self._sent.get("held"):
                delta["held"] = self._sent["held"] = new_held
        return delta
