"""Fever alerts: what they say, and the chain an urgent one escalates along.

Every alert says the reading as measured and where (with its oral-equivalent
when that differs), the class, and the episode's peak and duration so far.
An urgent alert adds the advice line of each urgent rule it meets and an
Acknowledge button, and goes to the first step of its chain (the member's
first caregiver); unacknowledged after the household's wait it goes to the
next caregiver, and after the last to the household's targets and a
persistent notification. While one is pending a new urgent reading updates
it where it arrived and starts no second chain. Acknowledging (a phone's
button or `auto_home.acknowledge_alert`) stops the chain, is recorded in the
episode, and replaces the alert where it arrived. The pending chain is in the
household store, written before each step is sent, so a restart resumes it
with the time that was left and never repeats a step.
"""

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.util import dt as dt_util

from .chore_reminders import ACTION_PREFIX, MOBILE_ACTION_EVENT
from .const import CONF_CAREGIVERS, DOMAIN
from .domain.alert import HOUSEHOLD_STEP, PendingAlert, escalation_steps
from .domain.temperature import EpisodeEventType, TemperatureReading
from .feature import KeyedTimers
from .notifier import PERSISTENT, Message, async_clear
from .repairs import parse_each
from .signals import FeverChanged
from .validation import household_temperature, linked_member, refusal

if TYPE_CHECKING:
    from .reminders import ReminderFeature

ACTION_ACKNOWLEDGE = f"{ACTION_PREFIX}ACK_"


def fever_tag(member_id: str) -> str:
    """Return the notification tag of a member's fever alerts."""
    return f"{DOMAIN}_fever_{member_id}"


class FeverAlerts:
    """The fever part of the reminder feature."""

    def __init__(self, feature: ReminderFeature) -> None:
        """Initialize with nothing pending."""
        self.feature = feature
        self.hass: HomeAssistant = feature.hass
        self.entry = feature.entry
        self.pending: dict[str, PendingAlert] = {}
        self._timers = KeyedTimers()
        feature.coordinator.async_on_shutdown(self._timers.close)

    @property
    def wait(self) -> timedelta:
        """How long an urgent alert waits for an acknowledgement per step."""
        return self.feature.options.alert_wait

    def load(self, data: Any) -> None:
        """Restore the pending chains."""
        self.pending = parse_each(
            data or {}, PendingAlert.from_dict, "pending fever alerts"
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the pending chains for the household store."""
        return {member_id: alert.as_dict() for member_id, alert in self.pending.items()}

    def async_start(self) -> None:
        """Listen for phones' Acknowledge; resume each chain with its time left."""
        self.feature.coordinator.async_on_shutdown(
            self.hass.bus.async_listen(MOBILE_ACTION_EVENT, self._async_phone_action)
        )
        for member_id in list(self.pending):
            if not self._episode_open(member_id):
                # Deleted, or the episode ended while stopped: nothing to act on.
                self.async_forget(member_id)
                continue
            self._schedule(member_id)

    def _episode_open(self, member_id: str) -> bool:
        state = self.feature.coordinator.temperature.members.get(member_id)
        return state is not None and state.tracker.episode is not None

    def async_options_changed(self) -> None:
        """Re-time every chain by the new wait."""
        for member_id in self.pending:
            self._schedule(member_id)

    def async_forget(self, member_id: str) -> None:
        """Stop a deleted member's chain."""
        self._timers.cancel(member_id)
        if self.pending.pop(member_id, None) is not None:
            self.feature.coordinator.async_changed()

    # What an alert says.

    def _degrees(self, celsius: float) -> str:
        """Return a temperature in the household's unit (°C or °F), to 0.1."""
        return household_temperature(self.hass, celsius)[0]

    def _reading(self, reading: TemperatureReading, counted_c: float | None) -> str:
        text = self.feature.text
        value = self._degrees(reading.value_c)
        core = self._degrees(counted_c or reading.core_c)
        site = text(f"site_{reading.site.value}")
        unit = self.hass.config.units.temperature_unit
        if core == value:
            return text("fever_reading", value=value, site=site, unit=unit)
        return text(
            "fever_reading_adjusted", value=value, site=site, core=core, unit=unit
        )

    def _duration(self, duration: timedelta) -> str:
        minutes = int(duration.total_seconds() // 60)
        if minutes < 60:
            return self.feature.text("duration_minutes", minutes=minutes)
        return self.feature.text(
            "duration_hours", hours=minutes // 60, minutes=minutes % 60
        )

    def message(self, fever: FeverChanged) -> Message:
        """Return the alert of a fever episode's step, in the household's language."""
        text = self.feature.text
        event, episode = fever.event, fever.event.episode
        placeholders = {
            "member": fever.member,
            "latest": self._degrees(episode.latest_c),
            "peak": self._degrees(episode.peak_c),
            "unit": self.hass.config.units.temperature_unit,
            "hours": f"{episode.duration.total_seconds() / 3600:.1f}",
            "class": text(f"class_{episode.highest_class.value}"),
        }
        if event.reading is not None:
            placeholders["reading"] = self._reading(event.reading, fever.counted_c)
        lines = [text(f"fever_{event.kind.value}", **placeholders)]
        if event.kind is not EpisodeEventType.ENDED and episode.duration >= timedelta(
            minutes=1
        ):
            lines.append(
                text(
                    "fever_course",
                    peak=placeholders["peak"],
                    unit=placeholders["unit"],
                    duration=self._duration(episode.duration),
                )
            )
        urgent = fever.urgent and event.kind is not EpisodeEventType.ENDED
        if urgent:
            options = self.feature.options.advice
            lines += [
                options.get(rule) or text(f"advice_{rule}") for rule in fever.rules
            ]
        return Message(
            title=text(
                "fever_urgent_title" if urgent else "fever_title", **placeholders
            ),
            message="\n".join(lines),
            tag=fever_tag(fever.member_id),
            urgent=urgent,
            about=fever.member_id,
            actions=self._acknowledge(fever.member_id) if urgent else (),
        )

    def _acknowledge(self, member_id: str) -> tuple[tuple[str, str], ...]:
        """Return the Acknowledge button of a member's urgent alert."""
        return (
            (
                f"{ACTION_ACKNOWLEDGE}{member_id}",
                self.feature.text("action_acknowledge"),
            ),
        )

    # The chain.

    def step_targets(self, step: str) -> list[str]:
        """Return where one step of a member's chain goes."""
        if step == HOUSEHOLD_STEP:
            return list(dict.fromkeys([*self.feature.household_targets, PERSISTENT]))
        return self.feature.targets_of(step)

    def _steps(self, member_id: str) -> tuple[str, ...]:
        """Return the chain: caregivers (in order) who are not away, then household."""
        subentry = self.entry.subentries[member_id]
        away = self.feature.coordinator.away
        caregivers = [
            caregiver
            for caregiver in subentry.data.get(CONF_CAREGIVERS, [])
            if caregiver in self.entry.subentries and away.available(caregiver)
        ]
        if subentry.data.get(CONF_CAREGIVERS) and not caregivers:
            # Every caregiver is away: the household at once.
            return (HOUSEHOLD_STEP,)
        return escalation_steps(member_id, caregivers)

    async def async_fever_changed(self, fever: FeverChanged) -> None:
        """Send a fever alert; start, update or end the member's chain."""
        member_id = fever.member_id
        message = self.message(fever)
        pending = self.pending.get(member_id)
        if fever.event.kind is EpisodeEventType.ENDED:
            targets = self.feature.caregiver_targets(member_id)
            if pending is not None:
                self.async_forget(member_id)
                targets += [t for t in pending.reached if t not in targets]
            await self.feature.async_notify(targets, message)
            return
        if not message.urgent:
            await self.feature.async_notify(
                self.feature.caregiver_targets(member_id), message
            )
            return
        now = dt_util.utcnow()
        if pending is not None:
            # Told where it already arrived; the chain keeps its time.
            self.pending[member_id] = replace(
                pending, title=message.title, message=message.message
            )
            await self.feature.coordinator.async_write_now()
            await self.feature.async_notify(list(pending.reached), message)
            return
        steps = self._steps(member_id)
        self.pending[member_id] = PendingAlert(
            episode_started_at=fever.event.episode.started_at,
            steps=steps,
            step=0,
            sent_at=now,
            title=message.title,
            message=message.message,
        )
        await self._async_send_step(member_id, message)

    async def _async_send_step(self, member_id: str, message: Message) -> None:
        """Send the chain's current step (marked sent on disk first), time the next.

        A step that reached nobody (a phone's notify service missing or
        failing) is no one waiting to acknowledge: the next step is sent at
        once, saying the same, until someone is reached or the last step is.
        """
        while True:
            # On disk before it is sent: a cut can lose a step, never repeat one.
            await self.feature.coordinator.async_write_now()
            if (pending := self.pending.get(member_id)) is None:
                return
            targets = self.step_targets(pending.steps[pending.step])
            outcomes = await self.feature.async_notify(targets, message)
            if (pending := self.pending.get(member_id)) is None:
                # Acknowledged while it was sent.
                return
            reached = [t for t, outcome in outcomes.items() if outcome == "sent"]
            if reached or pending.next_at(self.wait) is None:
                self.pending[member_id] = pending.with_reached(reached)
                break
            self.pending[member_id] = pending.advanced(dt_util.utcnow())
        self.feature.coordinator.async_changed()
        self._schedule(member_id)

    def _schedule(self, member_id: str) -> None:
        """Time the next step; one overdue (after a restart) is sent now."""
        self._timers.cancel(member_id)
        pending = self.pending[member_id]
        if (due := pending.next_at(self.wait)) is None:
            return

        async def _due(now: datetime) -> None:
            self._timers.fired(member_id)
            await self._async_escalate(member_id)

        self._timers.set(
            member_id,
            async_track_point_in_time(self.hass, _due, max(due, dt_util.utcnow())),
        )

    async def _async_escalate(self, member_id: str) -> None:
        """Send the next step: the alert, saying it was not acknowledged."""
        if (pending := self.pending.get(member_id)) is None:
            return
        if not self._episode_open(member_id):
            self.async_forget(member_id)
            return
        text = self.feature.text
        # The list separator of the household's language (", " or "、").
        told = text("voice_separator").join(self._name(step) for step in pending.told)
        minutes = int((dt_util.utcnow() - pending.sent_at).total_seconds() // 60)
        lines = [pending.message]
        if told:
            # Only a chain stored before "told" was can escalate with nobody told.
            lines.insert(0, text("fever_not_acknowledged", who=told, minutes=minutes))
        self.pending[member_id] = pending.advanced(dt_util.utcnow())
        await self._async_send_step(
            member_id,
            Message(
                title=pending.title,
                message="\n".join(lines),
                tag=fever_tag(member_id),
                urgent=True,
                about=member_id,
                actions=self._acknowledge(member_id),
            ),
        )

    def _name(self, step: str) -> str:
        if (
            step == HOUSEHOLD_STEP
            or (subentry := self.entry.subentries.get(step)) is None
        ):
            return self.entry.title
        return subentry.title

    # Acknowledgement.

    async def async_acknowledge(self, member_id: str, user_id: str | None) -> None:
        """Stop the member's chain and record who acknowledged it; refuse if none."""
        if (pending := self.pending.get(member_id)) is None:
            raise refusal(
                "no_alert_pending", member=self.entry.subentries[member_id].title
            )
        by = await self._async_who(user_id)
        now = dt_util.utcnow()
        self.async_forget(member_id)
        self.feature.coordinator.temperature.acknowledge(member_id, now, by)
        await self.feature.coordinator.async_write_now()
        text = self.feature.text
        placeholders = {
            "member": self.entry.subentries[member_id].title,
            "who": by or "",
            "time": dt_util.as_local(now).strftime("%H:%M"),
        }
        tag = fever_tag(member_id)
        if PERSISTENT in pending.reached:
            await async_clear(self.hass, PERSISTENT, tag)
        if not (phones := [t for t in pending.reached if t != PERSISTENT]):
            return
        if self.feature.quiet_now():
            # Cleared silently now; the note of who acknowledged waits.
            for target in phones:
                await async_clear(self.hass, target, tag)
        await self.feature.async_notify(
            phones,
            Message(
                title=text("fever_title", **placeholders),
                message=text(
                    "fever_acknowledged" if by else "fever_acknowledged_anonymous",
                    **placeholders,
                ),
                tag=tag,
                about=member_id,
            ),
        )

    async def _async_who(self, user_id: str | None) -> str | None:
        """Return the member linked to a user, else the user's name."""
        if (member := linked_member(self.hass, self.entry, user_id)) is not None:
            return member.title
        if (
            user_id is None
            or (user := await self.hass.auth.async_get_user(user_id)) is None
        ):
            return None
        return user.name

    async def _async_phone_action(self, event: Event) -> None:
        """Acknowledge from a notification's button."""
        action = event.data.get("action", "")
        if not action.startswith(ACTION_ACKNOWLEDGE):
            return
        member_id = action.removeprefix(ACTION_ACKNOWLEDGE)
        if member_id in self.pending and member_id in self.entry.subentries:
            await self.async_acknowledge(member_id, event.context.user_id)
