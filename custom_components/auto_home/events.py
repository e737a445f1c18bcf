"""Public events: their names and payloads, outputs for automations only.

Nothing in Auto Home listens to them (its features meet through signals.py).
Automations and the blueprints read these payloads: keep them stable.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.util import dt as dt_util

from .const import DOMAIN
from .domain.chore import Chore, ChoreStatus, Completion
from .domain.dosing import Dose
from .signals import ClosedBy, FeverChanged, WeightUnassigned

EVENT_FEVER_PREFIX = f"{DOMAIN}_fever_"
EVENT_CHORE_COMPLETED = f"{DOMAIN}_chore_completed"
EVENT_CHORE_DUE = f"{DOMAIN}_chore_due"
EVENT_CHORE_OVERDUE = f"{DOMAIN}_chore_overdue"
EVENT_CHORE_SKIPPED = f"{DOMAIN}_chore_skipped"
EVENT_CHORE_SNOOZED = f"{DOMAIN}_chore_snoozed"
EVENT_WEIGHT_UNASSIGNED = f"{DOMAIN}_weight_unassigned"
EVENT_DOSE_RECORDED = f"{DOMAIN}_dose_recorded"

CHORE_STATUS_EVENTS = {
    ChoreStatus.DUE: EVENT_CHORE_DUE,
    ChoreStatus.OVERDUE: EVENT_CHORE_OVERDUE,
}
CHORE_CLOSED_EVENTS = {
    ClosedBy.COMPLETED: EVENT_CHORE_COMPLETED,
    ClosedBy.SKIPPED: EVENT_CHORE_SKIPPED,
    ClosedBy.SNOOZED: EVENT_CHORE_SNOOZED,
}

# A member's or chore's name from its subentry id (None if unknown).
type Titles = Callable[[str | None], str | None]


def local_iso(value: datetime | None) -> str | None:
    """Return a time as automations see it: ISO 8601 in local time."""
    return None if value is None else dt_util.as_local(value).isoformat()


@callback
def async_fire(hass: HomeAssistant, event_type: str, payload: dict[str, Any]) -> None:
    """Fire a public event (the only place Auto Home fires its own)."""
    hass.bus.async_fire(event_type, payload)


@callback
def async_fire_fever(hass: HomeAssistant, fever: FeverChanged) -> None:
    """Fire `auto_home_fever_started`, `_escalated` or `_ended`."""
    async_fire(
        hass,
        f"{EVENT_FEVER_PREFIX}{fever.event.kind.value}",
        {
            "member": fever.member,
            "member_id": fever.member_id,
            "urgent": fever.urgent,
            **fever.event.as_dict(),
        },
    )


@callback
def async_fire_weight_unassigned(hass: HomeAssistant, held: WeightUnassigned) -> None:
    """Fire `auto_home_weight_unassigned`."""
    async_fire(
        hass,
        EVENT_WEIGHT_UNASSIGNED,
        {
            "reading_id": held.reading_id,
            "weight_kg": held.kg,
            "measured_at": held.measured_at.isoformat(),
            "source": held.source,
        },
    )


@callback
def async_fire_dose(
    hass: HomeAssistant, member: str, member_id: str, dose: Dose, next_allowed: datetime
) -> None:
    """Fire `auto_home_dose_recorded`."""
    async_fire(
        hass,
        EVENT_DOSE_RECORDED,
        {
            "member": member,
            "member_id": member_id,
            "medicine": dose.medicine,
            "medicine_id": dose.medicine_id,
            "given_at": local_iso(dose.given_at),
            "amount": dose.amount,
            "unit": dose.unit,
            "overridden": dose.overridden,
            "next_allowed": local_iso(next_allowed),
        },
    )


def chore_payload(chore_id: str, chore: Chore, title: Titles) -> dict[str, Any]:
    """Return what every chore event carries: the occurrence it is about."""
    _, _, deadline = chore.times()
    return {
        "chore": title(chore_id),
        "chore_id": chore_id,
        "member": title(chore.state.assignee),
        "member_id": chore.state.assignee,
        "due": local_iso(chore.due_at),
        "deadline": local_iso(deadline),
        "all_day": chore.occurrence.all_day,
        "status": chore.status(dt_util.utcnow()).value,
    }


def completed_payload(
    closed: dict[str, Any], completion: Completion, after: Chore, title: Titles
) -> dict[str, Any]:
    """Return a completion's payload: the occurrence it closed, who, what is next."""
    return closed | {
        "member": title(completion.by),
        "member_id": completion.by,
        "completed_at": local_iso(completion.at),
        "on_time": completion.on_time,
        "streak": after.state.streak,
        "next_due": local_iso(after.due_at),
        "next_assignee": title(after.state.assignee),
        "next_assignee_id": after.state.assignee,
    }


def skipped_payload(closed: dict[str, Any], after: Chore) -> dict[str, Any]:
    """Return a skip's payload: the occurrence it closed and the next due time."""
    return closed | {"next_due": local_iso(after.due_at)}
