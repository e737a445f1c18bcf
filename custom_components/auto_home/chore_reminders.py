"""Chore reminders: lead, due, repeats, escalation, done messages, digest.

For the pending occurrence of each chore the plan is: an optional lead
reminder, the reminder at its time (the due time; for all-day chores the
household's reminder time; earlier when learned from past completions), then a
repeat every interval while it is not done, up to a limit. After N reminders
the household targets are told too. Completing or skipping drops what is held
through quiet hours and replaces the notification that arrived (same tag) with
a done message, dismissing persistent ones; a snooze or a deletion clears them.
What was sent is written before it is sent, so neither a restart nor a power
cut repeats it; reminders that fell due while Home Assistant was stopped are
sent once, collapsed, at start.
"""

from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_HOME
from homeassistant.core import CALLBACK_TYPE, Event, callback
from homeassistant.helpers.event import (
    async_track_point_in_time,
    async_track_time_change,
)
from homeassistant.util import dt as dt_util

from .chore_feature import ChoreFeature
from .const import (
    CONF_NOTIFY_TARGETS,
    CONF_PERSON,
    DOMAIN,
    SUBENTRY_MEMBER,
)
from .domain.chore import Action, Chore, ChoreStatus
from .domain.reminder_rules import learned_reminder, usual_time
from .domain.stored import flag, integer, text
from .feature import KeyedTimers
from .held import chore_tag
from .notifier import COLLAPSED_TAG, PERSISTENT, Message, async_clear
from .signals import ChoreClosed, ClosedBy
from .subentries import subentries_of

if TYPE_CHECKING:
    from .reminders import ReminderFeature

ACTION_PREFIX = "AUTO_HOME_"
ACTION_DONE = "DONE"
ACTION_SNOOZE = "SNOOZE"
ACTION_SKIP = "SKIP"
SNOOZE_FROM_PHONE = timedelta(hours=1)
MOBILE_ACTION_EVENT = "mobile_app_notification_action"
# The key of the daily digest among the listeners (the others are chores').
DIGEST = "digest"


@dataclass(frozen=True, slots=True)
class Plan:
    """When a chore's pending occurrence is reminded, and why."""

    lead: datetime | None
    first: datetime
    reason: str
    usual: time | None


class ChoreReminders:
    """The chore part of the reminder feature."""

    def __init__(self, feature: ReminderFeature) -> None:
        """Initialize from the household's reminder options."""
        self.feature = feature
        self.hass = feature.hass
        self.entry = feature.entry
        # chore id -> {"day", "lead_sent", "sent", "escalated", "targets" (that
        # the reminder reached), "held" (where it waits for quiet hours to end)}
        self.sent: dict[str, dict[str, Any]] = {}
        self._timers = KeyedTimers()
        # Each chore's listener that re-times its reminder when it changes.
        self._listeners = KeyedTimers()
        feature.coordinator.async_on_shutdown(self._listeners.close)
        feature.coordinator.async_on_shutdown(self._timers.close)
        self._planned: dict[str, tuple[datetime, str]] = {}
        # Each chore's last plan and what it was made from: a change plans it
        # for the timer and again for the sensor's attributes.
        self._plans: dict[str, tuple[tuple[Any, ...], Plan]] = {}
        self._closed: dict[str, dict[str, Any]] = {}
        # The assignee of each chore as its held reminders were last addressed.
        self._assignees: dict[str, str | None] = {}

    @property
    def lead(self) -> timedelta:
        """How long before the first reminder a lead one goes."""
        return self.feature.options.lead

    @property
    def repeat(self) -> timedelta:
        """How long after a reminder the next one goes."""
        return self.feature.options.repeat

    @property
    def repeat_limit(self) -> int:
        """How many reminders follow the first."""
        return self.feature.options.repeat_limit

    @property
    def escalate_after(self) -> int:
        """After how many reminders the household is told too."""
        return self.feature.options.escalate_after

    @property
    def all_day_time(self) -> time:
        """When an all-day chore is first reminded (local time)."""
        return self.feature.options.all_day_time

    @property
    def digest_time(self) -> time | None:
        """When the daily digest goes (local time), if it does."""
        return self.feature.options.digest_time

    @property
    def chores(self) -> ChoreFeature:
        """The chore feature (started after this one)."""
        return self.feature.coordinator.chores

    def plan(self, chore_id: str) -> Plan:
        """Return when the pending occurrence is reminded and why."""
        chore = self.chores.chores[chore_id]
        state = chore.state
        # The chore (its settings) and its history by identity: both are
        # replaced, never changed in place.
        made_from = (
            chore,
            state.history,
            state.day,
            state.snoozed_until,
            self.all_day_time,
            self.lead,
        )
        if (
            (cached := self._plans.get(chore_id)) is not None
            and cached[0][0] is chore
            and cached[0][1] is state.history
            and cached[0][2:] == made_from[2:]
        ):
            return cached[1]
        plan = self._plan(chore)
        self._plans[chore_id] = (made_from, plan)
        return plan

    def _plan(self, chore: Chore) -> Plan:
        tz = chore.tz
        day = chore.state.day
        day_start = datetime.combine(day, time(), tzinfo=tz)
        completions = [
            entry.at.astimezone(tz)
            for entry in chore.state.history
            if entry.action is Action.COMPLETED
        ]
        usual = usual_time(completions)
        if chore.occurrence.all_day:
            first = datetime.combine(day, self.all_day_time, tzinfo=tz)
            reason = "all_day_time"
            deadline = chore.occurrence.deadline
        else:
            first = deadline = chore.occurrence.start
            reason = "due_time"
        # Never past the due time: a learned time only moves a reminder earlier
        # for timed chores, and within the day for all-day ones.
        learned = learned_reminder(deadline, usual, day_start=day_start)
        if learned is not None:
            first, reason = learned, "learned"
        if (snoozed := chore.state.snoozed_until) is not None and snoozed > first:
            first, reason = snoozed, "snoozed"
        first = first.astimezone(UTC)
        lead = first - self.lead if self.lead else None
        return Plan(lead, first, reason, usual)

    def explain(self, chore_id: str) -> dict[str, Any]:
        """Return when the chore will be reminded and why (entity attributes)."""
        plan = self.plan(chore_id)
        return {
            "reminder_at": dt_util.as_local(plan.first).isoformat(),
            "reminder_reason": plan.reason,
            "usual_completion_time": plan.usual.isoformat(timespec="minutes")
            if plan.usual
            else None,
        }

    @staticmethod
    def restore(stored: Any) -> dict[str, Any]:
        """Return a stored record of what was sent; raise if it is not one."""
        return {
            "day": text(stored["day"]),
            "lead_sent": flag(stored["lead_sent"]),
            "sent": integer(stored["sent"]),
            "escalated": flag(stored["escalated"]),
            "targets": [text(target) for target in stored["targets"]],
            # 0.1 held nothing through quiet hours.
            "held": [text(target) for target in stored.get("held", [])],
        }

    def _record(self, chore_id: str) -> dict[str, Any]:
        """Return what was sent for the pending occurrence (reset for a new one)."""
        state = self.chores.chores[chore_id].state
        # A new occurrence, or a snooze, starts the reminders afresh.
        day = f"{state.day.isoformat()}|{state.snoozed_until}"
        record = self.sent.get(chore_id)
        if record is None or record["day"] != day:
            if record is not None and record["targets"]:
                # Its done message may still have to replace what was sent.
                self._closed[chore_id] = record
            record = self.sent[chore_id] = {
                "day": day,
                "lead_sent": False,
                "sent": 0,
                "escalated": False,
                "targets": [],
                "held": [],
            }
        return record

    def _next(self, chore_id: str, now: datetime) -> tuple[datetime, str] | None:
        """Return the next reminder moment of a chore and its kind."""
        chore = self.chores.chores[chore_id]
        if chore.status(now) is ChoreStatus.DONE:
            return None
        record, plan = self._record(chore_id), self.plan(chore_id)
        if plan.lead is not None and not record["lead_sent"] and record["sent"] == 0:
            return plan.lead, "lead"
        if record["sent"] > self.repeat_limit:
            return None
        return plan.first + self.repeat * record["sent"], "due"

    def async_start(self) -> list[str]:
        """Time every chore; return the chores whose reminders were missed."""
        now = dt_util.utcnow()
        missed: list[str] = []
        for chore_id in self.chores.chores:
            self._follow(chore_id)
            # Everything that fell due while stopped counts as sent once.
            if self._mark_due(chore_id, now) is not None:
                missed.append(chore_id)
            self._schedule(chore_id)
        self.feature.coordinator.async_on_shutdown(
            self.feature.coordinator.signals.connect(ChoreClosed, self._closed_now)
        )
        self.feature.coordinator.async_on_shutdown(
            self.hass.bus.async_listen(MOBILE_ACTION_EVENT, self._async_phone_action)
        )
        self._time_digest()
        return missed

    @callback
    def _time_digest(self) -> None:
        self._listeners.cancel(DIGEST)
        if (digest := self.digest_time) is not None:
            self._listeners.set(
                DIGEST,
                async_track_time_change(
                    self.hass,
                    self._async_digest,
                    hour=digest.hour,
                    minute=digest.minute,
                    second=digest.second,
                ),
            )

    @callback
    def _follow(self, chore_id: str) -> None:
        """Re-time the chore's reminder whenever the chore changes."""
        self._listeners.set(
            chore_id,
            self.feature.coordinator.async_add_listener(
                chore_id, self._updater(chore_id)
            ),
        )
        self._assignees[chore_id] = self.chores.chores[chore_id].state.assignee

    @callback
    def async_add(self, chore_id: str) -> None:
        """Time the reminders of a chore added (or usable again) while running."""
        if chore_id in self.chores.chores:
            self._follow(chore_id)
            self._schedule(chore_id)

    async def async_remove(self, chore_id: str) -> None:
        """Stop a deleted chore's reminders and clear what was sent of it."""
        self._listeners.cancel(chore_id)
        self._timers.cancel(chore_id)
        self._planned.pop(chore_id, None)
        self._plans.pop(chore_id, None)
        self._assignees.pop(chore_id, None)
        self.feature.async_drop_held(chore_tag(chore_id))
        # An earlier occurrence's reminder may still be on a phone, with buttons
        # that would do nothing now.
        if (closed := self._closed.pop(chore_id, None)) is not None:
            for target in closed["targets"]:
                await async_clear(self.hass, target, chore_tag(chore_id))
        await self.async_forget_removed()

    @callback
    def async_options_changed(self) -> None:
        """Re-time every chore's reminders and the digest by the new options."""
        self._time_digest()
        for chore_id in self.chores.chores:
            self._schedule(chore_id)
        self.feature.coordinator.async_changed(*self.chores.chores)

    def _updater(self, chore_id: str) -> CALLBACK_TYPE:
        @callback
        def _update() -> None:
            if chore_id not in self.chores.chores:
                # Its changed settings cannot be used: no reminder until fixed.
                self._timers.cancel(chore_id)
                self._planned.pop(chore_id, None)
                return
            self._retarget(chore_id)
            self._schedule(chore_id)

        return _update

    @callback
    def _retarget(self, chore_id: str) -> None:
        """Hold a reminder waiting for quiet hours to end for the new assignee."""
        assignee = self.chores.chores[chore_id].state.assignee
        if self._assignees.get(chore_id) == assignee:
            return
        self._assignees[chore_id] = assignee
        record = self._record(chore_id)
        if not record["held"]:
            return
        # Also an escalation held for the household: it named the old assignee.
        self.feature.async_drop_held(chore_tag(chore_id))
        record["held"] = []
        if self.feature.quiet_now():
            self._note(
                record,
                self.feature.async_hold(
                    self.targets(chore_id, escalate=False),
                    self.message(chore_id, "due", repeat=record["sent"] > 1),
                ),
            )

    def _mark_sent(self, chore_id: str, kind: str) -> dict[str, Any]:
        record = self._record(chore_id)
        if kind == "lead":
            record["lead_sent"] = True
        else:
            record["sent"] += 1
        return record

    def _mark_due(self, chore_id: str, now: datetime) -> str | None:
        """Mark every reminder due by `now` sent; return the latest one's kind."""
        kind = None
        while (step := self._next(chore_id, now)) is not None and step[0] <= now:
            self._mark_sent(chore_id, step[1])
            kind = step[1]
        return kind

    def _schedule(self, chore_id: str) -> None:
        """Time the chore's next reminder; keep the timer when nothing moved."""
        step = (
            self._next(chore_id, dt_util.utcnow())
            if chore_id in self.chores.chores
            else None
        )
        if step is not None and self._planned.get(chore_id) == step:
            return
        self._timers.cancel(chore_id)
        self._planned.pop(chore_id, None)
        if step is None:
            return

        async def _fire(now: datetime) -> None:
            self._timers.fired(chore_id)
            self._planned.pop(chore_id, None)
            # After a clock jump (a suspended host, NTP) several may be due:
            # only the latest is sent, as after a restart.
            if (latest := self._mark_due(chore_id, dt_util.utcnow())) is not None:
                await self._async_remind(chore_id, latest)
            self._schedule(chore_id)

        self._planned[chore_id] = step
        self._timers.set(chore_id, async_track_point_in_time(self.hass, _fire, step[0]))

    def targets(self, chore_id: str, *, escalate: bool) -> list[str]:
        """Return the assignee's targets (the household's when unassigned).

        None while the assignee is away: their reminders pause (an
        escalation still reaches the household).
        """
        assignee = self.chores.chores[chore_id].state.assignee
        if assignee is not None and not self.feature.coordinator.away.available(
            assignee
        ):
            targets: list[str] = []
        elif assignee is not None and assignee in self.entry.subentries:
            targets = self.feature.targets_of(assignee)
        else:
            targets = self._targets_of_who_is_home() or list(
                self.feature.household_targets
            )
        if escalate:
            targets += self.feature.household_targets
        return list(dict.fromkeys(targets))

    def _targets_of_who_is_home(self) -> list[str]:
        """Return the own targets of members home and not away (an unassigned chore's).

        Whoever is home can take it; nobody home (or no person linked): the
        household's targets, as before.
        """
        away = self.feature.coordinator.away
        targets: list[str] = []
        for member_id, subentry in subentries_of(self.entry, SUBENTRY_MEMBER).items():
            person = subentry.data.get(CONF_PERSON)
            state = self.hass.states.get(person) if person else None
            if (
                state is not None
                and state.state == STATE_HOME
                and away.available(member_id)
            ):
                targets += subentry.data.get(CONF_NOTIFY_TARGETS) or []
        return targets

    def _names(self, chore_ids: list[str]) -> str:
        return ", ".join(self.chores.title(chore_id) or "" for chore_id in chore_ids)

    def message(
        self, chore_id: str, kind: str, *, repeat: bool = False, escalate: bool = False
    ) -> Message:
        """Return the reminder of a chore, with Done / Snooze / Skip buttons."""
        summary = self.chores.summary(chore_id)
        text = self.feature.text
        placeholders = {
            "chore": summary["chore"],
            "member": summary["assignee"] or self.entry.title,
            "due": dt_util.as_local(self.chores.chores[chore_id].due_at).strftime(
                "%H:%M"
            ),
        }
        if escalate:
            key = "chore_escalated"
        elif kind == "lead":
            key = "chore_upcoming"
        else:
            key = "chore_overdue" if repeat else "chore_due"
        # The household is not greeted by its title ("The Lins, time for ...").
        if not summary["assignee"]:
            key = f"{key}_household"
        return Message(
            title=text("chore_title", **placeholders),
            message=text(key, **placeholders),
            tag=chore_tag(chore_id),
            about=chore_id,
            actions=tuple(
                (
                    f"{ACTION_PREFIX}{action}_{chore_id}",
                    text(f"action_{action.lower()}"),
                )
                for action in (ACTION_DONE, ACTION_SNOOZE, ACTION_SKIP)
            ),
        )

    async def _async_remind(self, chore_id: str, kind: str) -> None:
        """Send a reminder that is marked sent."""
        record = self._record(chore_id)
        escalate = (
            kind == "due"
            and self.escalate_after > 0
            and record["sent"] > self.escalate_after
            and not record["escalated"]
        )
        if escalate:
            record["escalated"] = True
        message = self.message(
            chore_id, kind, repeat=record["sent"] > 1, escalate=escalate
        )
        # On disk before it is sent: a cut can lose this reminder, never repeat it.
        await self.feature.coordinator.async_write_now()
        if chore_id not in self.chores.chores:
            # Deleted (or unusable now) while it was written.
            return
        targets = self.targets(chore_id, escalate=escalate)
        assignee = self.chores.chores[chore_id].state.assignee
        # Not an escalation: it is for the household too, and late already.
        if (
            not escalate
            and assignee is not None
            and (until := self.feature.home_wait.until(assignee)) is not None
        ):
            self._note(record, dict.fromkeys(targets, "deferred"))
            self.feature.home_wait.hold(assignee, until, targets, message)
            return
        await self._async_send(chore_id, targets, message)

    async def _async_send(
        self, chore_id: str, targets: list[str], message: Message
    ) -> dict[str, str]:
        """Send a chore's reminder; note where it arrived and where it waits."""
        record = self._record(chore_id)
        outcomes = await self.feature.async_notify(targets, message)
        if chore_id not in self.chores.chores:
            # Deleted while it was sent: take back what arrived.
            for target, outcome in outcomes.items():
                if outcome == "sent":
                    await async_clear(self.hass, target, chore_tag(chore_id))
            return outcomes
        self._note(record, outcomes)
        # A held one was written before it was noted: write the note too.
        self.feature.coordinator.async_changed()
        return outcomes

    @staticmethod
    def _note(record: dict[str, Any], outcomes: dict[str, str]) -> None:
        for target, outcome in outcomes.items():
            key = {"sent": "targets", "deferred": "held"}.get(outcome)
            if key is not None and target not in record[key]:
                record[key].append(target)

    def delivered(self, target: str, messages: list[Message]) -> None:
        """Note the held reminders that reached `target` when quiet hours ended."""
        for message in messages:
            record = self.sent.get(message.about or "")
            if record is not None and target in record["held"]:
                record["held"].remove(target)
                self._note(record, {target: "sent"})

    async def async_send_missed(self, chore_ids: list[str]) -> None:
        """Send one collapsed reminder per target for what was missed."""
        if self.feature.quiet_now():
            # Held one by one, so that closing a chore drops only its own;
            # marked sent and held in one write: a cut repeats neither.
            for chore_id in chore_ids:
                self._note(
                    self._record(chore_id),
                    self.feature.async_hold(
                        self.targets(chore_id, escalate=False),
                        self.message(chore_id, "due"),
                    ),
                )
            await self.feature.coordinator.async_write_now()
            return
        # Marked sent on disk first: a cut can lose these, never repeat them.
        await self.feature.coordinator.async_write_now()
        by_target: dict[str, list[str]] = {}
        for chore_id in chore_ids:
            for target in self.targets(chore_id, escalate=False):
                by_target.setdefault(target, []).append(chore_id)
        for target, ids in by_target.items():
            if len(ids) == 1:
                await self._async_send(ids[0], [target], self.message(ids[0], "due"))
                continue
            names = self._names(ids)
            records = [self._record(chore_id) for chore_id in ids]
            outcomes = await self.feature.async_notify(
                [target],
                Message(
                    title=self.feature.text(
                        "collapsed_title", household=self.entry.title, count=len(ids)
                    ),
                    message=self.feature.text("chores_missed", chores=names),
                    tag=COLLAPSED_TAG,
                ),
            )
            for record in records:
                self._note(record, outcomes)

    async def send_now(self, chore_id: str) -> dict[str, str]:
        """Remind about a chore now (send_reminder with a chore)."""
        # Refuses a chore whose stored state is damaged.
        self.chores.chore(chore_id)
        return await self._async_send(
            chore_id,
            self.targets(chore_id, escalate=False),
            self.message(chore_id, "due"),
        )

    async def async_forget_removed(self) -> None:
        """Clear what was sent about deleted chores, and forget them."""
        for chore_id in [key for key in self.sent if key not in self.entry.subentries]:
            for target in self.sent.pop(chore_id)["targets"]:
                await async_clear(self.hass, target, chore_tag(chore_id))

    @callback
    def _closed_now(self, closed: ChoreClosed) -> Coroutine[Any, Any, None] | None:
        """Drop what is held of the chore; return telling or clearing what arrived.

        Called before the chore's listeners, which plan its next occurrence:
        the record taken here is the one of the occurrence that closed (and
        one a changed rule left behind), once, whatever closed it.
        """
        chore_id = closed.chore_id
        self.feature.async_drop_held(chore_tag(chore_id))
        records = [
            record
            for record in (
                self._closed.pop(chore_id, None),
                self.sent.pop(chore_id, None),
            )
            if record
        ]
        self.feature.coordinator.async_changed()
        targets = list(
            dict.fromkeys(target for record in records for target in record["targets"])
        )
        return self._async_closed(closed, targets) if targets else None

    async def _async_closed(self, closed: ChoreClosed, targets: list[str]) -> None:
        """Tell or clear where the chore's reminder arrived.

        A completion or skip replaces the notification with a done message
        (persistent ones are dismissed); a snooze clears it. Where the reminder
        never arrived (held through quiet hours) nothing is sent.
        """
        tag = chore_tag(closed.chore_id)
        if closed.by is ClosedBy.SNOOZED:
            # Until the snooze ends there is nothing to remind of.
            for target in targets:
                await async_clear(self.hass, target, tag)
            return
        if PERSISTENT in targets:
            await async_clear(self.hass, PERSISTENT, tag)
        if not (phones := [t for t in targets if t != PERSISTENT]):
            return
        # The closing is on disk before the phones are told of it.
        await self.feature.coordinator.async_write_now()
        if self.feature.quiet_now():
            # What arrived is no longer true: cleared silently now, while the
            # done message waits for the morning like any other.
            for target in phones:
                await async_clear(self.hass, target, tag)
        member = closed.member
        placeholders = {"chore": closed.chore, "member": member or ""}
        if closed.by is not ClosedBy.COMPLETED:
            key = "chore_skipped"
        else:
            key = "chore_done" if member else "chore_done_household"
        await self.feature.async_notify(
            phones,
            Message(
                title=self.feature.text("chore_title", **placeholders),
                message=self.feature.text(key, **placeholders),
                tag=tag,
                about=closed.chore_id,
            ),
        )

    async def _async_phone_action(self, event: Event) -> None:
        """Complete, snooze or skip a chore from a notification button."""
        action = event.data.get("action", "")
        if not action.startswith(ACTION_PREFIX):
            return
        verb, _, chore_id = action.removeprefix(ACTION_PREFIX).partition("_")
        if chore_id not in self.chores.chores:
            return
        if verb == ACTION_DONE:
            # The phone's event carries the user the app was registered by.
            self.chores.complete(chore_id, user_id=event.context.user_id)
        elif verb == ACTION_SKIP:
            self.chores.skip(chore_id)
        elif verb == ACTION_SNOOZE:
            self.chores.snooze(chore_id, dt_util.utcnow() + SNOOZE_FROM_PHONE)

    async def _async_digest(self, now: datetime) -> None:
        """Tell each member today's chores and the household what is overdue."""
        utc_now = dt_util.utcnow()
        overdue = [
            chore_id
            for chore_id, chore in self.chores.chores.items()
            if chore.status(utc_now) is ChoreStatus.OVERDUE
        ]
        text = self.feature.text
        for member_id, subentry in subentries_of(self.entry, SUBENTRY_MEMBER).items():
            mine = self.chores.due_today(member_id)
            if not mine or not self.feature.coordinator.away.available(member_id):
                continue
            names = self._names(mine)
            await self.feature.async_notify(
                self.feature.targets_of(member_id),
                Message(
                    title=text("digest_title", member=subentry.title),
                    message=text("digest_member", count=len(mine), chores=names),
                    tag=f"{DOMAIN}_digest_{member_id}",
                ),
            )
        if overdue:
            names = self._names(overdue)
            await self.feature.async_notify(
                self.feature.household_targets,
                Message(
                    title=text("digest_title", member=self.entry.title),
                    message=text("digest_overdue", count=len(overdue), chores=names),
                    tag=f"{DOMAIN}_digest",
                ),
            )
