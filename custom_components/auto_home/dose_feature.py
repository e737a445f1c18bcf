"""Medicines and doses: each member's doses, spaced by the household's rules.

Auto Home never prescribes: each medicine's minimum interval and most doses
in 24 hours are the household's settings (a medicine subentry). A dose that
breaks them is refused unless the caller overrides. Doses are kept for the
record (the fever report reads them); a member's timer wakes their next-dose
sensor when a dose drops out of the last 24 hours and, with the option on,
reminds their caregivers (or, with none, the member) once when the next dose
is allowed while the fever persists.
"""

from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass
from datetime import datetime, timedelta
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import callback
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.util import dt as dt_util

from .const import (
    CONF_AMOUNT_UNIT,
    CONF_MAX_PER_DAY,
    CONF_MIN_INTERVAL_HOURS,
    CONF_USUAL_AMOUNT,
    DOMAIN,
    SUBENTRY_MEDICINE,
    SUBENTRY_MEMBER,
)
from .domain.dosing import (
    DAY,
    Dose,
    DoseRule,
    allowed_after,
    check_dose,
    doses_within,
    next_allowed,
    recount_at,
)
from .domain.stored import text
from .domain.temperature import EpisodeEventType
from .events import async_fire_dose
from .feature import HouseholdFeature
from .notifier import Message
from .repairs import parse_each
from .signals import FeverChanged
from .subentries import subentries_of
from .validation import CLOCK_SKEW, refusal

if TYPE_CHECKING:
    from .options import HouseholdOptions

_LOGGER = logging.getLogger(__name__)


def dose_key(member_id: str) -> str:
    """Return the listener key of a member's doses."""
    return f"dose.{member_id}"


def rule_of(medicine: ConfigSubentry) -> DoseRule:
    """Return a medicine's spacing rule from its settings."""
    return DoseRule(
        min_interval=timedelta(hours=float(medicine.data[CONF_MIN_INTERVAL_HOURS])),
        max_per_day=int(medicine.data[CONF_MAX_PER_DAY]),
    )


def _reminder_tag(member_id: str, medicine_id: str) -> str:
    """Return the tag of the reminder that a medicine is allowed again."""
    return f"{DOMAIN}_dose_{member_id}_{medicine_id}"


def _given_at(dose: Dose) -> datetime:
    return dose.given_at


def _parse_doses(stored: Any) -> tuple[list[Dose], list[Any]]:
    """Return the stored doses that can be read, and the others as they are."""
    parsed: list[Dose] = []
    kept: list[Any] = []
    for item in stored if isinstance(stored, list) else [stored]:
        try:
            parsed.append(Dose.from_dict(item))
        except AttributeError, LookupError, TypeError, ValueError:
            kept.append(item)
    return parsed, kept


def _parse_handled(stored: Any) -> dict[str, str]:
    """Return a member's reminded times by medicine."""
    return {text(medicine_id): text(at) for medicine_id, at in stored.items()}


def local_minute(at: datetime) -> str:
    """Return a time as a person reads it: local date, hours and minutes."""
    return dt_util.as_local(at).strftime("%Y-%m-%d %H:%M")


@dataclass(frozen=True, slots=True)
class NextDose:
    """When one medicine given lately may be given again."""

    medicine_id: str
    medicine: str
    allowed_at: datetime
    last_given: datetime
    doses_in_24h: int
    max_per_day: int
    # When `doses_in_24h` may change next: a dose drops out, or starts counting.
    recount_at: datetime | None

    @property
    def shown_until(self) -> datetime:
        """When it stops counting: 24 h after the last dose, or once allowed."""
        return max(self.last_given + DAY, self.allowed_at)

    def as_dict(self) -> dict[str, Any]:
        """Return it as the next-dose sensor shows it (local times)."""
        return {
            "medicine": self.medicine,
            "next_allowed": dt_util.as_local(self.allowed_at).isoformat(),
            "last_given": dt_util.as_local(self.last_given).isoformat(),
            "doses_in_24h": self.doses_in_24h,
            "max_per_day": self.max_per_day,
        }


class DoseFeature(HouseholdFeature):
    """Records doses per member and says when the next one is allowed."""

    key = "doses"

    def __init__(self, *args: Any) -> None:
        """Initialize with no dose."""
        super().__init__(*args)
        # Each member's doses, oldest first.
        self.members: dict[str, list[Dose]] = {}
        # Stored doses that cannot be read: kept as they are, never dropped.
        self._unreadable: dict[str, Any] = {}
        # Member -> medicine -> the allowed time already handled (reminded or
        # not), so that no reminder is sent twice, across restarts too.
        self._handled: dict[str, dict[str, str]] = {}

    def load(self, data: dict[str, Any]) -> None:
        """Restore the doses of current members.

        A dose that cannot be read is kept as stored (and written back so),
        never dropped; the member's other doses count as usual.
        """
        members = self.subentries()
        stored = data.get("members", {})
        for member_id, doses in stored.items() if isinstance(stored, dict) else ():
            if member_id not in members:
                # Deleted while stopped: their doses go with them.
                continue
            parsed, kept = _parse_doses(doses)
            self.members[member_id] = sorted(parsed, key=_given_at)
            if kept:
                _LOGGER.warning(
                    "Kept %s stored doses that cannot be read as they are: %r",
                    len(kept),
                    kept,
                )
                self._unreadable[member_id] = kept
        self._handled = {
            member_id: handled
            for member_id, handled in parse_each(
                data.get("handled", {}), _parse_handled, "dose reminder records"
            ).items()
            if member_id in members
        }

    def as_dict(self) -> dict[str, Any]:
        """Return the doses for the household store."""
        return {
            "members": {
                member_id: [
                    *(dose.as_dict() for dose in self.members.get(member_id, ())),
                    *self._unreadable.get(member_id, ()),
                ]
                for member_id in self.members.keys() | self._unreadable.keys()
            },
            "handled": self._handled,
        }

    def medicines(self) -> dict[str, ConfigSubentry]:
        """Return the household's medicines, by id."""
        return subentries_of(self.entry, SUBENTRY_MEDICINE)

    def doses_for(
        self, member_id: str, start: datetime | None = None, end: datetime | None = None
    ) -> list[Dose]:
        """Return a member's doses given from `start` to `end` (both included)."""
        doses = self.members.get(member_id, [])
        # Kept in order: a long record is cut, not scanned.
        low = 0 if start is None else bisect_left(doses, start, key=_given_at)
        high = len(doses) if end is None else bisect_right(doses, end, key=_given_at)
        return doses[low:high]

    def _given(
        self, member_id: str, medicine_id: str, start: datetime, end: datetime | None
    ) -> list[datetime]:
        """Return when a medicine was given to a member, from `start` to `end`."""
        return [
            dose.given_at
            for dose in self.doses_for(member_id, start, end)
            if dose.medicine_id == medicine_id
        ]

    def next_doses(self, member_id: str, now: datetime) -> list[NextDose]:
        """Return the medicines given lately that still count, soonest allowed first."""
        found: list[NextDose] = []
        for medicine_id, medicine in self.medicines().items():
            rule = rule_of(medicine)
            # Shown only with a dose within its reach of now, which the doses
            # a day before it bear on.
            times = self._given(member_id, medicine_id, now - rule.reach - DAY, None)
            if (allowed_at := allowed_after(times, rule)) is None:
                continue
            next_dose = NextDose(
                medicine_id,
                medicine.title,
                allowed_at,
                max(times),
                doses_within(times, now),
                rule.max_per_day,
                recount_at(times, now),
            )
            if next_dose.shown_until > now:
                found.append(next_dose)
        return sorted(found, key=lambda next_dose: next_dose.allowed_at)

    def record(
        self,
        member_id: str,
        medicine_id: str,
        amount: float | None = None,
        given_at: datetime | None = None,
        *,
        override: bool = False,
    ) -> tuple[Dose, datetime]:
        """Record a dose; return it and when the next is allowed.

        Refused (nothing changes) when the time is in the future, or when the
        dose breaks the medicine's spacing and `override` is not set.
        """
        now = dt_util.utcnow()
        given_at = given_at or now
        if given_at > now + CLOCK_SKEW:
            raise refusal("dose_in_future", given_at=local_minute(given_at))
        medicine = self.entry.subentries[medicine_id]
        rule = rule_of(medicine)
        times = self._given(
            member_id, medicine_id, given_at - rule.reach, given_at + rule.reach
        )
        too_early = check_dose(times, rule, given_at)
        if too_early is not None and not override:
            raise refusal(
                f"dose_too_early_{too_early.reason.value}",
                member=self.title(member_id),
                medicine=medicine.title,
                allowed_at=local_minute(too_early.allowed_at),
                hours=f"{rule.min_interval.total_seconds() / 3600:g}",
                max=rule.max_per_day,
            )
        usual = medicine.data.get(CONF_USUAL_AMOUNT)
        dose = Dose(
            medicine_id=medicine_id,
            medicine=medicine.title,
            given_at=dt_util.as_utc(given_at),
            amount=amount if amount is not None else usual,
            unit=medicine.data.get(CONF_AMOUNT_UNIT) or None,
            overridden=too_early is not None,
        )
        insort(self.members.setdefault(member_id, []), dose, key=_given_at)
        # The last dose of the medicine: this one, or one given after it.
        last = self._given(member_id, medicine_id, dose.given_at, None)[-1]
        allowed_at = next_allowed(
            self._given(member_id, medicine_id, last - DAY, None), rule, last
        )
        if allowed_at <= now:
            # Recorded after the fact: its time to remind has passed.
            self._handled.setdefault(member_id, {})[medicine_id] = (
                allowed_at.isoformat()
            )
        self._time(member_id)
        self.coordinator.async_changed(dose_key(member_id))
        async_fire_dose(
            self.hass, str(self.title(member_id)), member_id, dose, allowed_at
        )
        return dose, allowed_at

    async def async_start(self) -> None:
        """Time each member's next change; remind what fell due while stopped."""
        self.coordinator.async_on_shutdown(
            self.coordinator.signals.connect(FeverChanged, self._fever_changed)
        )
        for member_id in list(self.members):
            await self._async_wake(member_id)

    def _time(self, member_id: str) -> None:
        """Time the member's next change: a dose or medicine dropping out, a reminder."""
        self.timers.cancel(member_id)
        now = dt_util.utcnow()
        moments = [
            moment
            for next_dose in self.next_doses(member_id, now)
            for moment in (
                next_dose.shown_until,
                next_dose.recount_at,
                *self._reminder_at(member_id, next_dose),
            )
            if moment is not None and moment > now
        ]
        if not moments:
            return

        async def _due(_: datetime) -> None:
            self.timers.fired(member_id)
            await self._async_wake(member_id)

        self.timers.set(
            member_id, async_track_point_in_time(self.hass, _due, min(moments))
        )

    def _reminder_at(self, member_id: str, next_dose: NextDose) -> list[datetime]:
        """Return when to remind of this medicine (none if handled or off)."""
        handled = self._handled.get(member_id, {}).get(next_dose.medicine_id)
        if (
            not self.options.dose_reminder
            or handled == next_dose.allowed_at.isoformat()
        ):
            return []
        return [next_dose.allowed_at]

    async def _async_wake(self, member_id: str) -> None:
        """Send the reminders now due, show the member's doses now, time the next."""
        now = dt_util.utcnow()
        due = [
            next_dose
            for next_dose in self.next_doses(member_id, now)
            if any(at <= now for at in self._reminder_at(member_id, next_dose))
        ]
        for next_dose in due:
            self._handled.setdefault(member_id, {})[next_dose.medicine_id] = (
                next_dose.allowed_at.isoformat()
            )
        self._time(member_id)
        self.coordinator.async_changed(dose_key(member_id), store=None)
        if not due:
            return
        # On disk before it is sent: a cut never repeats it.
        await self.coordinator.async_write_now()
        if self.coordinator.temperature.members.get(member_id) is None or (
            self.coordinator.temperature.members[member_id].tracker.episode is None
        ):
            # The fever is over: nothing to remind of.
            return
        await self._async_remind(member_id, due)

    async def _async_remind(self, member_id: str, due: list[NextDose]) -> None:
        """Tell the member's caregivers, else the member, which medicine is allowed.

        A medicine's name can tell an illness: with neither caregivers nor
        targets of their own, the household's shared targets are told without it.
        """
        reminders = self.coordinator.reminders
        if (name := self.title(member_id)) is None:
            return
        targets = reminders.private_targets(member_id)
        text_key = "dose_allowed" if targets else "dose_allowed_unnamed"
        for next_dose in due:
            await reminders.async_notify(
                targets or reminders.household_targets,
                Message(
                    title=reminders.text("dose_title", member=name),
                    message=reminders.text(
                        text_key,
                        member=name,
                        medicine=next_dose.medicine,
                        allowed_at=dt_util.as_local(next_dose.allowed_at).strftime(
                            "%H:%M"
                        ),
                    ),
                    tag=_reminder_tag(member_id, next_dose.medicine_id),
                    about=member_id,
                ),
            )

    @callback
    def _fever_changed(self, fever: FeverChanged) -> None:
        """Drop the reminders held through quiet hours of a fever now over."""
        if fever.event.kind is not EpisodeEventType.ENDED:
            return
        for medicine_id in self.medicines():
            self.coordinator.reminders.async_drop_held(
                _reminder_tag(fever.member_id, medicine_id)
            )

    async def async_options_changed(self, before: HouseholdOptions) -> None:
        """Time the reminders turned on (from now on) or off."""
        if self.options.dose_reminder == before.dose_reminder:
            return
        for member_id in self.members:
            # Allowed before the reminders were on: not reminded now.
            self._pass_over(member_id)
            self._time(member_id)
        self.coordinator.async_changed()

    def _pass_over(self, member_id: str) -> None:
        """Take the member's allowed times already past as reminded."""
        now = dt_util.utcnow()
        for next_dose in self.next_doses(member_id, now):
            if next_dose.allowed_at <= now:
                self._handled.setdefault(member_id, {})[next_dose.medicine_id] = (
                    next_dose.allowed_at.isoformat()
                )

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Re-time the members who were given a medicine whose rule changed."""
        if subentry.subentry_type != SUBENTRY_MEDICINE:
            return
        for member_id, doses in self.members.items():
            if any(dose.medicine_id == subentry.subentry_id for dose in doses):
                # A shorter interval may move the allowed time into the past.
                self._pass_over(member_id)
                self._time(member_id)
                self.coordinator.async_changed(dose_key(member_id))

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Forget a deleted member's doses; a deleted medicine's stay on record."""
        if subentry_type == SUBENTRY_MEDICINE:
            for handled in self._handled.values():
                handled.pop(subentry_id, None)
            for member_id in self.members:
                self._time(member_id)
                self.coordinator.async_changed(dose_key(member_id))
            return
        if subentry_type != SUBENTRY_MEMBER:
            return
        self.timers.cancel(subentry_id)
        self._handled.pop(subentry_id, None)
        self._unreadable.pop(subentry_id, None)
        if self.members.pop(subentry_id, None) is not None:
            self.coordinator.async_changed()
