"""Chore reminders: lead, due, repeats, escalation, done messages, digest.

For the pending occurrence of each chore the plan is: an optional lead
reminder, the reminder at its time (the due time; for all-day chores the
household's reminder time; earlier when learned from past completions), then a
repeat every interval while it is not done, up to a limit. After N reminders
the household targets are told too. Completing or skipping replaces the phone
notification (same tag) with a done message and dismisses persistent ones.
What was sent is stored, so a restart repeats nothing; reminders that fell due
while Home Assistant was stopped are sent once, collapsed, at start.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.core import CALLBACK_TYPE, Event, callback
from homeassistant.helpers.event import (
    async_track_point_in_time,
    async_track_time_change,
)
from homeassistant.util import dt as dt_util

from .chore_feature import EVENT_COMPLETED, EVENT_SKIPPED
from .chore_state import Action, ChoreStatus
from .const import (
    CONF_ALL_DAY_TIME,
    CONF_DIGEST_TIME,
    CONF_ESCALATE_AFTER,
    CONF_LEAD_MINUTES,
    CONF_REPEAT_LIMIT,
    CONF_REPEAT_MINUTES,
    DEFAULT_ALL_DAY_TIME,
    DEFAULT_ESCALATE_AFTER,
    DEFAULT_REPEAT_LIMIT,
    DEFAULT_REPEAT_MINUTES,
    DOMAIN,
    SUBENTRY_MEMBER,
)
from .notifier import PERSISTENT, Message, async_clear
from .reminder_rules import learned_reminder, usual_time

if TYPE_CHECKING:
    from .reminders import ReminderFeature

ACTION_PREFIX = "AUTO_HOME_"
ACTION_DONE = "DONE"
ACTION_SNOOZE = "SNOOZE"
ACTION_SKIP = "SKIP"
SNOOZE_FROM_PHONE = timedelta(hours=1)
MOBILE_ACTION_EVENT = "mobile_app_notification_action"


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
        options = feature.entry.options
        self.lead = timedelta(minutes=options.get(CONF_LEAD_MINUTES, 0))
        self.repeat = timedelta(
            minutes=options.get(CONF_REPEAT_MINUTES, DEFAULT_REPEAT_MINUTES)
        )
        self.repeat_limit = int(options.get(CONF_REPEAT_LIMIT, DEFAULT_REPEAT_LIMIT))
        self.escalate_after = int(
            options.get(CONF_ESCALATE_AFTER, DEFAULT_ESCALATE_AFTER)
        )
        self.all_day_time = time.fromisoformat(
            options.get(CONF_ALL_DAY_TIME, DEFAULT_ALL_DAY_TIME)
        )
        digest = options.get(CONF_DIGEST_TIME)
        self.digest_time = time.fromisoformat(digest) if digest else None
        # chore id -> {"day", "lead_sent", "sent", "escalated", "targets"}
        self.sent: dict[str, dict[str, Any]] = {}
        self._timers: dict[str, CALLBACK_TYPE] = {}
        self._planned: dict[str, tuple[datetime, str]] = {}
        self._closed: dict[str, dict[str, Any]] = {}

    @property
    def chores(self) -> Any:
        """The chore feature (started after this one)."""
        return self.feature.coordinator.chores

    def plan(self, chore_id: str) -> Plan:
        """Return when the pending occurrence is reminded and why."""
        chore = self.chores.chores[chore_id]
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
            self.feature.entry.async_on_unload(
                self.feature.coordinator.async_add_listener(
                    chore_id, self._updater(chore_id)
                )
            )
            # Everything that fell due while stopped counts as sent once.
            fell_due = False
            while (step := self._next(chore_id, now)) is not None and step[0] <= now:
                self._mark_sent(chore_id, step[1])
                fell_due = True
            if fell_due:
                missed.append(chore_id)
            self._schedule(chore_id)
        for event_type in (EVENT_COMPLETED, EVENT_SKIPPED):
            self.entry.async_on_unload(
                self.hass.bus.async_listen(event_type, self._async_closed)
            )
        self.entry.async_on_unload(
            self.hass.bus.async_listen(MOBILE_ACTION_EVENT, self._async_phone_action)
        )
        if self.digest_time is not None:
            self.entry.async_on_unload(
                async_track_time_change(
                    self.hass,
                    self._async_digest,
                    hour=self.digest_time.hour,
                    minute=self.digest_time.minute,
                    second=self.digest_time.second,
                )
            )
        self.entry.async_on_unload(self._cancel_timers)
        return missed

    @callback
    def _cancel_timers(self) -> None:
        for cancel in self._timers.values():
            cancel()
        self._timers.clear()
        self._planned.clear()

    def _updater(self, chore_id: str) -> CALLBACK_TYPE:
        @callback
        def _update() -> None:
            self._schedule(chore_id)

        return _update

    def _mark_sent(self, chore_id: str, kind: str) -> dict[str, Any]:
        record = self._record(chore_id)
        if kind == "lead":
            record["lead_sent"] = True
        else:
            record["sent"] += 1
        return record

    def _schedule(self, chore_id: str) -> None:
        """Time the chore's next reminder; keep the timer when nothing moved."""
        step = (
            self._next(chore_id, dt_util.utcnow())
            if chore_id in self.chores.chores
            else None
        )
        if step is not None and self._planned.get(chore_id) == step:
            return
        if cancel := self._timers.pop(chore_id, None):
            cancel()
        self._planned.pop(chore_id, None)
        if step is None:
            return
        when, kind = step

        async def _fire(now: datetime) -> None:
            self._timers.pop(chore_id, None)
            self._planned.pop(chore_id, None)
            await self._async_remind(chore_id, kind)
            self._schedule(chore_id)

        self._planned[chore_id] = step
        self._timers[chore_id] = async_track_point_in_time(self.hass, _fire, when)

    def targets(self, chore_id: str, *, escalate: bool) -> list[str]:
        """Return the assignee's targets (the household's when unassigned)."""
        assignee = self.chores.chores[chore_id].state.assignee
        targets = (
            self.feature.targets_of(assignee)
            if assignee in self.entry.subentries
            else list(self.feature.household_targets)
        )
        if escalate:
            targets += self.feature.household_targets
        return list(dict.fromkeys(targets))

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
        return Message(
            title=text("chore_title", **placeholders),
            message=text(key, **placeholders),
            tag=f"{DOMAIN}_chore_{chore_id}",
            actions=tuple(
                (
                    f"{ACTION_PREFIX}{action}_{chore_id}",
                    text(f"action_{action.lower()}"),
                )
                for action in (ACTION_DONE, ACTION_SNOOZE, ACTION_SKIP)
            ),
        )

    async def _async_remind(self, chore_id: str, kind: str) -> None:
        record = self._mark_sent(chore_id, kind)
        escalate = (
            kind == "due"
            and self.escalate_after > 0
            and record["sent"] > self.escalate_after
            and not record["escalated"]
        )
        if escalate:
            record["escalated"] = True
        targets = self.targets(chore_id, escalate=escalate)
        record["targets"] = list(dict.fromkeys([*record["targets"], *targets]))
        await self.feature.async_notify(
            targets,
            self.message(chore_id, kind, repeat=record["sent"] > 1, escalate=escalate),
        )

    async def async_send_missed(self, chore_ids: list[str]) -> None:
        """Send one collapsed reminder per target for what was missed."""
        by_target: dict[str, list[str]] = {}
        for chore_id in chore_ids:
            for target in self.targets(chore_id, escalate=False):
                by_target.setdefault(target, []).append(chore_id)
            record = self._record(chore_id)
            record["targets"] = list(
                dict.fromkeys(
                    [*record["targets"], *self.targets(chore_id, escalate=False)]
                )
            )
        for target, ids in by_target.items():
            if len(ids) == 1:
                message = self.message(ids[0], "due")
            else:
                names = ", ".join(self.chores.title(chore_id) for chore_id in ids)
                message = Message(
                    title=self.feature.text(
                        "collapsed_title", household=self.entry.title, count=len(ids)
                    ),
                    message=self.feature.text("chores_missed", chores=names),
                    tag=f"{DOMAIN}_collapsed",
                )
            await self.feature.async_notify([target], message)

    async def send_now(self, chore_id: str) -> dict[str, str]:
        """Remind about a chore now (send_reminder with a chore)."""
        targets = self.targets(chore_id, escalate=False)
        return await self.feature.async_notify(targets, self.message(chore_id, "due"))

    async def _async_closed(self, event: Event) -> None:
        """Replace the sent reminder with a done message; dismiss persistent ones."""
        chore_id = event.data["chore_id"]
        record = self._closed.pop(chore_id, None) or self.sent.pop(chore_id, None)
        self.feature.coordinator.async_changed()
        if not record or not record["targets"]:
            return
        done = event.event_type == EVENT_COMPLETED
        placeholders = {
            "chore": event.data["chore"],
            "member": event.data.get("member") or self.entry.title,
        }
        message = Message(
            title=self.feature.text("chore_title", **placeholders),
            message=self.feature.text(
                "chore_done" if done else "chore_skipped", **placeholders
            ),
            tag=f"{DOMAIN}_chore_{chore_id}",
        )
        for target in record["targets"]:
            if target == PERSISTENT:
                await async_clear(self.hass, target, message.tag)
        phones = [target for target in record["targets"] if target != PERSISTENT]
        if phones:
            await self.feature.async_notify(phones, message)

    async def _async_phone_action(self, event: Event) -> None:
        """Complete, snooze or skip a chore from a notification button."""
        action = event.data.get("action", "")
        if not action.startswith(ACTION_PREFIX):
            return
        verb, _, chore_id = action.removeprefix(ACTION_PREFIX).partition("_")
        if chore_id not in self.chores.chores:
            return
        if verb == ACTION_DONE:
            self.chores.complete(chore_id)
        elif verb == ACTION_SKIP:
            self.chores.skip(chore_id)
        elif verb == ACTION_SNOOZE:
            targets = self._record(chore_id)["targets"]
            self.chores.snooze(chore_id, dt_util.utcnow() + SNOOZE_FROM_PHONE)
            for target in targets:
                await async_clear(self.hass, target, f"{DOMAIN}_chore_{chore_id}")

    async def _async_digest(self, now: datetime) -> None:
        """Tell each member today's chores and the household what is overdue."""
        utc_now = dt_util.utcnow()
        overdue = [
            chore_id
            for chore_id, chore in self.chores.chores.items()
            if chore.status(utc_now) is ChoreStatus.OVERDUE
        ]
        text = self.feature.text
        for member_id, subentry in self.entry.subentries.items():
            if subentry.subentry_type != SUBENTRY_MEMBER:
                continue
            mine = self.chores.due_today(member_id)
            if not mine:
                continue
            names = ", ".join(self.chores.title(chore_id) for chore_id in mine)
            await self.feature.async_notify(
                self.feature.targets_of(member_id),
                Message(
                    title=text("digest_title", member=subentry.title),
                    message=text("digest_member", count=len(mine), chores=names),
                    tag=f"{DOMAIN}_digest_{member_id}",
                ),
            )
        if overdue:
            names = ", ".join(self.chores.title(chore_id) for chore_id in overdue)
            await self.feature.async_notify(
                self.feature.household_targets,
                Message(
                    title=text("digest_title", member=self.entry.title),
                    message=text("digest_overdue", count=len(overdue), chores=names),
                    tag=f"{DOMAIN}_digest",
                ),
            )
