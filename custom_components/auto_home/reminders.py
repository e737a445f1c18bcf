"""Who is told what, and when: targets, quiet hours, fever alerts, free reminders.

Messages that are not urgent wait through quiet hours and are then sent once
per target, collapsed into one message. A held message is keyed by its tag
(what it is about): a newer one with the same tag replaces it, and closing a
chore drops it. Everything that is waiting or was sent is in the household
store, written before a send, so a restart or a power cut never repeats one.
"""

from collections.abc import Callable
from datetime import datetime, time
import logging
from typing import TYPE_CHECKING, Any

from homeassistant.config_entries import ConfigSubentry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_point_in_time
from homeassistant.helpers.start import async_at_started
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util, slugify

from .chore_reminders import ChoreReminders
from .const import (
    CONF_CAREGIVERS,
    CONF_NOTIFY_TARGETS,
    DOMAIN,
    SUBENTRY_CHORE,
    SUBENTRY_MEDICINE,
    SUBENTRY_MEMBER,
)
from .domain.reminder_rules import hold, in_quiet_hours, keep_held, quiet_hours_end
from .domain.stored import integer, text
from .feature import HouseholdFeature, KeyedTimers
from .fever_alerts import FeverAlerts
from .held import held_messages
from .home_wait import HomeWait
from .notifier import (
    COLLAPSED_TAG,
    PERSISTENT,
    Message,
    async_clear,
    async_deliver,
    target_exists,
)
from .repairs import parse_each
from .signals import FeverChanged, WeightSettled, WeightUnassigned
from .views import MemberView

if TYPE_CHECKING:
    from .coordinator import AutoHomeConfigEntry, AutoHomeCoordinator
    from .options import HouseholdOptions

_LOGGER = logging.getLogger(__name__)

# The key of the quiet hours' end among the timers (the others are members').
QUIET_END = "quiet_end"


def _weight_tag(reading_id: str) -> str:
    """Return the tag of the question about an unassigned weight reading."""
    return f"{DOMAIN}_weight_{reading_id}"


class ReminderFeature(HouseholdFeature):
    """Sends reminders and alerts through Home Assistant's notify targets.

    Its timers are the members' fever re-checks, and the end of quiet hours.
    """

    key = "reminders"

    def __init__(
        self, coordinator: AutoHomeCoordinator, entry: AutoHomeConfigEntry
    ) -> None:
        """Initialize for the household."""
        super().__init__(coordinator, entry)
        # Each member's listener that re-times their re-check.
        self._member_listeners = KeyedTimers()
        coordinator.async_on_shutdown(self._member_listeners.close)
        # Messages held through quiet hours, per target, at most one per tag.
        self.deferred: dict[str, list[Message]] = {}
        # What the morning flush took off the queue and has not sent yet.
        self._flushing: dict[str, list[Message]] = {}
        self.failures: dict[str, int] = {}
        self.sent = 0
        self._recheck_sent: dict[str, str] = {}
        self._texts: dict[str, str] = {}
        self.chores = ChoreReminders(self)
        self.fever = FeverAlerts(self)
        self.home_wait = HomeWait(self)

    @property
    def household_targets(self) -> list[str]:
        """Where the household's reminders go."""
        return list(self.options.household_targets)

    @property
    def quiet_start(self) -> time | None:
        """When quiet hours start (local time)."""
        return self.options.quiet_start

    @property
    def quiet_end(self) -> time | None:
        """When quiet hours end (local time)."""
        return self.options.quiet_end

    def load(self, data: dict[str, Any]) -> None:
        """Restore what waits for the end of quiet hours and what was sent."""
        self.deferred = {
            target: [message for _, message in messages]
            for target, messages in parse_each(
                data.get("deferred", {}), held_messages, "held reminders"
            ).items()
        }
        self.failures = parse_each(
            data.get("failures", {}), integer, "notify failure counts"
        )
        try:
            self.sent = integer(data.get("sent", 0))
        except TypeError:
            _LOGGER.warning(
                "Reset the stored count of reminders sent: %r", data["sent"]
            )
            self.sent = 0
        self._recheck_sent = parse_each(
            data.get("recheck_sent", {}), text, "fever re-check records"
        )
        self.chores.sent = parse_each(
            data.get("chores", {}), self.chores.restore, "chore reminder records"
        )
        self.home_wait.load(data.get("waiting_home"))
        self.fever.load(data.get("fever_alerts"))

    def as_dict(self) -> dict[str, Any]:
        """Return the state for the household store."""
        return {
            "waiting_home": self.home_wait.as_dict(),
            "deferred": {
                target: [message.as_dict() for message in messages]
                for target, messages in self.deferred.items()
            },
            "failures": self.failures,
            "sent": self.sent,
            "recheck_sent": self._recheck_sent,
            "chores": self.chores.sent,
            "fever_alerts": self.fever.as_dict(),
        }

    def text(self, key: str, **placeholders: Any) -> str:
        """Return a notification text in the household's language."""
        template = self._texts.get(f"component.{DOMAIN}.common.{key}", key)
        return template.format(**placeholders)

    async def async_start(self) -> None:
        """Listen for fevers and weights to tell, time re-checks, send what waited."""
        self._texts = await async_get_translations(
            self.hass, self.hass.config.language, "common", [DOMAIN]
        )
        signals = self.coordinator.signals
        for stop in (
            signals.connect(FeverChanged, self._async_fever_changed),
            signals.connect(WeightUnassigned, self._async_weight_unassigned),
            signals.connect(WeightSettled, self._async_weight_settled),
        ):
            self.coordinator.async_on_shutdown(stop)
        for member_id in self.subentries():
            self._follow_member(member_id)
        self.fever.async_start()
        # Notify services of other integrations may register after us.
        self.coordinator.async_on_shutdown(
            async_at_started(self.hass, self._async_check_targets)
        )
        # What was about a deleted member or chore is no longer true.
        self._keep_held(
            lambda message: (
                message.about is None or message.about in self.entry.subentries
            )
        )
        await self._async_flush_deferred()
        await self.home_wait.async_start()

    async def async_start_chores(self) -> None:
        """Time chore reminders once the chores are scheduled."""
        await self.chores.async_forget_removed()
        if missed := self.chores.async_start():
            await self.chores.async_send_missed(missed)
        self.coordinator.async_changed()

    @callback
    def _follow_member(self, member_id: str) -> None:
        """Time the member's re-check, and again whenever their state changes."""
        self._member_listeners.set(
            member_id,
            self.coordinator.async_add_listener(
                member_id, self._recheck_updater(member_id)
            ),
        )
        self._schedule_recheck(member_id)

    async def async_subentry_added(self, subentry: ConfigSubentry) -> None:
        """Follow a new member; time a new chore's reminders."""
        if subentry.subentry_type == SUBENTRY_MEMBER:
            self._follow_member(subentry.subentry_id)
            self._async_check_targets(self.hass)
        elif subentry.subentry_type == SUBENTRY_CHORE:
            self.chores.async_add(subentry.subentry_id)

    async def async_subentry_changed(
        self, subentry: ConfigSubentry, before: dict[str, Any]
    ) -> None:
        """Check the targets; time a chore whose new settings made it usable."""
        if subentry.subentry_type == SUBENTRY_CHORE:
            self.chores.async_add(subentry.subentry_id)
        if subentry.subentry_type != SUBENTRY_MEDICINE:
            self._async_check_targets(self.hass)

    async def async_subentry_removed(
        self, subentry_id: str, subentry_type: str
    ) -> None:
        """Stop what was about a deleted member or chore; drop what waits for it."""
        if subentry_type == SUBENTRY_MEMBER:
            self._member_listeners.cancel(subentry_id)
            self.timers.cancel(subentry_id)
            self.fever.async_forget(subentry_id)
            if self._recheck_sent.pop(subentry_id, None) is not None:
                self.coordinator.async_changed()
            self._async_check_targets(self.hass)
        elif subentry_type == SUBENTRY_CHORE:
            await self.chores.async_remove(subentry_id)
        self._keep_held(lambda message: message.about != subentry_id)

    async def async_options_changed(self, before: HouseholdOptions) -> None:
        """Re-time quiet hours and every chore's reminders by the new options."""
        if not self.options.reminders_changed(before):
            return
        self.timers.cancel(QUIET_END)
        self.chores.async_options_changed()
        self.fever.async_options_changed()
        self._async_check_targets(self.hass)
        if self.quiet_now():
            self._schedule_quiet_end()
        else:
            await self._async_flush_deferred()

    def targets_of(self, member_id: str) -> list[str]:
        """Return a member's own targets, or the household's when they have none."""
        return self.own_targets(member_id) or list(self.household_targets)

    def own_targets(self, member_id: str) -> list[str]:
        """Return the targets set on a member (none when unset)."""
        # A member deleted while a message to them is on its way has none.
        data = (
            subentry.data if (subentry := self.entry.subentries.get(member_id)) else {}
        )
        return list(data.get(CONF_NOTIFY_TARGETS) or ())

    def private_targets(self, member_id: str) -> list[str]:
        """Return who may read what is private to a member: caregivers, else them.

        Empty when the member has neither caregivers nor targets of their own:
        the household's targets are shared, so the caller chooses what they say.
        """
        if self._caregivers(member_id):
            return self.caregiver_targets(member_id)
        return self.own_targets(member_id)

    def _caregivers(self, member_id: str) -> list[str]:
        """Return a member's caregivers who are still members."""
        subentry = self.entry.subentries.get(member_id)
        chosen = subentry.data.get(CONF_CAREGIVERS, []) if subentry else []
        return [caregiver for caregiver in chosen if caregiver in self.entry.subentries]

    def caregiver_targets(self, member_id: str) -> list[str]:
        """Return the targets of a member's caregivers (the household's if none)."""
        caregivers = self._caregivers(member_id)
        if not caregivers:
            return list(self.household_targets)
        return list(
            dict.fromkeys(
                target
                for caregiver in caregivers
                for target in self.targets_of(caregiver)
            )
        )

    def all_targets(self) -> dict[str, str]:
        """Return every configured target and where it is configured."""
        where = dict.fromkeys(self.household_targets, self.entry.title)
        for member_id in list(self.subentries()):
            subentry = self.entry.subentries[member_id]
            for target in subentry.data.get(CONF_NOTIFY_TARGETS, []):
                where.setdefault(target, subentry.title)
        return where

    def quiet_now(self, now: datetime | None = None) -> bool:
        """Return whether it is quiet hours now (local time)."""
        local = dt_util.as_local(now or dt_util.utcnow())
        return in_quiet_hours(local, self.quiet_start, self.quiet_end)

    async def async_notify(
        self, targets: list[str], message: Message
    ) -> dict[str, str]:
        """Send now, or hold through quiet hours; return each target's outcome.

        Outcomes: `sent`, `failed`, or `deferred` (quiet hours).
        """
        if not message.urgent and self.quiet_now():
            outcomes = self.async_hold(targets, message)
            # "deferred" is a promise: kept on disk, a cut does not lose it.
            await self.coordinator.async_write_now()
            return outcomes
        results = await async_deliver(self.hass, targets, message)
        for target, ok in results.items():
            if ok:
                self.sent += 1
            else:
                self.failures[target] = self.failures.get(target, 0) + 1
        self.coordinator.async_changed()
        return {target: "sent" if ok else "failed" for target, ok in results.items()}

    @callback
    def async_hold(self, targets: list[str], message: Message) -> dict[str, str]:
        """Hold a message through quiet hours; the caller writes it soon."""
        for target in dict.fromkeys(targets):
            self.deferred[target] = hold(self.deferred.get(target, ()), message)
        self._schedule_quiet_end()
        self.coordinator.async_changed()
        return dict.fromkeys(targets, "deferred")

    @callback
    def async_drop_held(self, tag: str) -> None:
        """Drop the held messages with `tag`: what they say is no longer true."""
        self._keep_held(lambda message: message.tag != tag)

    @callback
    def _keep_held(self, keep: Callable[[Message], bool]) -> None:
        # Also what a flush in progress is about to send.
        self._flushing = keep_held(self._flushing, keep)
        waited = self.home_wait.keep(keep)
        if (kept := keep_held(self.deferred, keep)) != self.deferred or waited:
            self.deferred = kept
            self.coordinator.async_changed()

    def _schedule_quiet_end(self) -> None:
        if (
            QUIET_END in self.timers
            or self.quiet_start is None
            or self.quiet_end is None
        ):
            return
        end = quiet_hours_end(
            dt_util.as_local(dt_util.utcnow()), self.quiet_start, self.quiet_end
        )

        async def _ended(now: datetime) -> None:
            self.timers.fired(QUIET_END)
            await self._async_flush_deferred()

        self.timers.set(QUIET_END, async_track_point_in_time(self.hass, _ended, end))

    async def _async_flush_deferred(self) -> None:
        """Send each target one message with everything that waited for it."""
        if not self.deferred:
            return
        if self.quiet_now():
            self._schedule_quiet_end()
            return
        self._flushing, self.deferred = self.deferred, {}
        # Off the queue on disk first: a cut now loses these, never repeats them.
        await self.coordinator.async_write_now()
        # Taken one target at a time: a chore closed meanwhile is dropped.
        while self._flushing:
            target = next(iter(self._flushing))
            held = self._flushing.pop(target)
            message = held[0]
            if len(held) > 1:
                message = Message(
                    title=self.text(
                        "collapsed_title", household=self.entry.title, count=len(held)
                    ),
                    message="\n".join(
                        f"• {item.title}: {item.message}" for item in held
                    ),
                    tag=COLLAPSED_TAG,
                )
            if (await self.async_notify([target], message))[target] == "sent":
                self.chores.delivered(target, held)

    async def _async_fever_changed(self, fever: FeverChanged) -> None:
        """Tell the member's caregivers that a fever started, rose or ended."""
        # A back-filled episode is over and known to whoever recorded it.
        if fever.member_id in self.entry.subentries and not fever.event.backfilled:
            await self.fever.async_fever_changed(fever)

    async def _async_weight_unassigned(self, held: WeightUnassigned) -> None:
        """Ask the household whose a shared-scale reading is; it can wait."""
        await self.async_notify(
            [PERSISTENT],
            Message(
                title=self.text("weight_unassigned_title"),
                message=self.text(
                    "weight_unassigned",
                    weight=f"{held.kg:.1f}",
                    reading_id=held.reading_id,
                ),
                tag=_weight_tag(held.reading_id),
            ),
        )

    async def _async_weight_settled(self, settled: WeightSettled) -> None:
        """Withdraw the question about a reading that was assigned or discarded."""
        tag = _weight_tag(settled.reading_id)
        self.async_drop_held(tag)
        await async_clear(self.hass, PERSISTENT, tag)

    def _recheck_updater(self, member_id: str) -> CALLBACK_TYPE:
        @callback
        def _update() -> None:
            self._schedule_recheck(member_id)

        return _update

    def _schedule_recheck(self, member_id: str) -> None:
        """Time the re-measure reminder of an open episode."""
        self.timers.cancel(member_id)
        if member_id not in self.entry.subentries:
            return
        due = MemberView(self.coordinator, member_id).recheck_due
        if due is None or self._recheck_sent.get(member_id) == due.isoformat():
            return

        async def _due(now: datetime) -> None:
            self.timers.fired(member_id)
            if member_id not in self.entry.subentries:
                # Deleted; the timer fired before the deletion reached us.
                return
            self._recheck_sent[member_id] = due.isoformat()
            # On disk before it is sent: a cut never repeats it.
            await self.coordinator.async_write_now()
            if (name := self.title(member_id)) is None:
                return
            await self.async_notify(
                self.caregiver_targets(member_id),
                Message(
                    title=self.text("fever_title", member=name),
                    message=self.text("recheck", member=name),
                    tag=f"{DOMAIN}_recheck_{member_id}",
                    about=member_id,
                ),
            )

        self.timers.set(member_id, async_track_point_in_time(self.hass, _due, due))

    @callback
    def _async_check_targets(self, _: HomeAssistant) -> None:
        """Raise a repair issue for each configured target that is gone.

        Also drop the issues of targets no longer configured (a member deleted,
        a target unset), run again on each change of the household.
        """
        configured = self.all_targets()
        for (domain, issue_id), issue in list(ir.async_get(self.hass).issues.items()):
            if (
                domain == DOMAIN
                and issue.translation_key == "missing_notify_target"
                and (issue.translation_placeholders or {}).get("target")
                not in configured
            ):
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
        for target, where in configured.items():
            issue_id = f"missing_target_{slugify(target)}"
            if target_exists(self.hass, target):
                ir.async_delete_issue(self.hass, DOMAIN, issue_id)
            else:
                ir.async_create_issue(
                    self.hass,
                    DOMAIN,
                    issue_id,
                    is_fixable=False,
                    severity=ir.IssueSeverity.WARNING,
                    translation_key="missing_notify_target",
                    translation_placeholders={"target": target, "where": where},
                )
