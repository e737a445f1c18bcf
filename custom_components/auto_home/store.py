"""Versioned persistence: the household's store and one store per health feature."""

import asyncio
from collections.abc import Callable, Mapping
import logging
from pathlib import Path
from typing import Any, NamedTuple, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, CoreState, Event, HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.json import json_encoder_default
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.util.file import WriteError
import orjson

from .const import DOMAIN
from .held import async_migrate_0_1_held
from .history import ReadingHistory

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION = 1
# 2: what 0.1 held through quiet hours is keyed by tag.
STORAGE_MINOR_VERSION = 2
FEATURE_STORAGE_VERSION = 1
# Changes a person or an automation makes (a chore done, a setting, a reading)
# are written within a second: a due write is never postponed, so a burst
# still writes at most once a second.
SAVE_DELAY = 1
# Readings a linked sensor reports are written in batches, at most this often:
# a thermometer reporting every minute would otherwise write every minute,
# wearing out SD cards. A clean stop writes them at once; after a power cut
# the ones missing are taken back from the recorder.
READING_WRITE_INTERVAL = 4 * 3600
# A write that failed (a full disk, a file in the way) is tried again after
# 5 s, 10 s, 20 s ... at most this far apart.
RETRY_FIRST = 5
RETRY_MAX = 300


class _CheckedStore(Store[dict[str, Any]]):
    """A store whose failed writes raise OSError instead of being only logged.

    Store has no public way to tell a failed write, and writing the file
    ourselves would bypass its write lock and its cache of files found at
    start-up. Store's own delayed and final writes only catch WriteError:
    StoreWriter never hands a write to them (it never saves while stopping).
    """

    @override
    async def _async_write_data(self, data: dict[str, Any]) -> None:
        try:
            await super()._async_write_data(data)
        except WriteError as err:
            cause = err.__cause__
            raise OSError(
                getattr(cause, "errno", None),
                getattr(cause, "strerror", str(err)),
                self.path,
            ) from err


class HouseholdStore(_CheckedStore):
    """The household's chores and reminders, one section each."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Initialize the store for one household entry."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORAGE_MINOR_VERSION,
            atomic_writes=True,
        )
        self._entry_id = entry_id

    @override
    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> Any:
        """Upgrade a store an older version wrote, once, as it is loaded."""
        # Not at the top: recovery imports the features, which import this.
        from .recovery import fits  # noqa: PLC0415

        if not fits("household", old_data):
            # Raised, not written back migrated: the file is kept aside as it is.
            raise ValueError(f"{self.key} does not fit a household store")
        if old_minor_version < 2 and "reminders" in old_data:
            old_data = old_data | {
                "reminders": await async_migrate_0_1_held(
                    self.hass, self._entry_id, old_data["reminders"]
                )
            }
        return old_data


class FeatureStore(_CheckedStore):
    """The state of one health feature (small: latest readings, trends)."""

    def __init__(self, hass: HomeAssistant, entry_id: str, feature: str) -> None:
        """Initialize the store of `feature` in one household."""
        super().__init__(
            hass,
            FEATURE_STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}.{feature}",
            atomic_writes=True,
        )


class StoredPart(NamedTuple):
    """A value of a stored section, told apart from its next by object and revision."""

    value: object
    revision: int
    make: Callable[[], Any]


class JsonParts:
    """The JSON of each part of a section, kept while the part is the same.

    A household write then serialises only the chores that changed (a chore's
    history is most of the file), and only the JSON is kept, not the stored
    form it was made of. Each part is indented for where it sits in the file,
    `depth` objects deep, so the file is byte for byte what Store writes for
    the plain values.
    """

    def __init__(self, depth: int) -> None:
        """Initialize for values `depth` objects deep in the stored file."""
        # The values' own lines are indented as Store indents: two spaces a level.
        self._indent = b"\n" + b"  " * depth
        self._made: dict[str, tuple[object, int, orjson.Fragment]] = {}

    def of(self, parts: Mapping[str, StoredPart]) -> dict[str, orjson.Fragment]:
        """Return each part as JSON to write in its place."""
        made: dict[str, tuple[object, int, orjson.Fragment]] = {}
        for key, (value, revision, make) in parts.items():
            kept = self._made.get(key)
            if kept is None or kept[0] is not value or kept[1] != revision:
                json = orjson.dumps(
                    make(),
                    option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS,
                    default=json_encoder_default,
                )
                # JSON strings hold no newline: each one starts a line.
                kept = (
                    value,
                    revision,
                    orjson.Fragment(json.replace(b"\n", self._indent)),
                )
            made[key] = kept
        self._made = made
        return {key: part for key, (_, _, part) in made.items()}


class StoreWriter:
    """Writes one store, and the readings its feature holds, after changes.

    Unlike `Store.async_delay_save`, a stream of changes never postpones a
    write that is already due, and batched readings are written at most once
    per READING_WRITE_INTERVAL however many arrive. A write that fails is
    tried again soon, backing off, while a repair issue says so; what it
    did not write stays in memory until it is written.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        store: Store[dict[str, Any]],
        data: Callable[[], dict[str, Any]],
        histories: Callable[[], Mapping[str, ReadingHistory]] = dict,
        *,
        members: str | None = None,
    ) -> None:
        """Initialize with the store, its data and the members' histories.

        The members' sections are the data's `members` part, or the data
        itself when None.
        """
        self.hass = hass
        self.entry = entry
        self.store = store
        self._data = data
        self._histories = histories
        self._members = members
        # What the file holds (set at load): a member whose readings were not
        # written keeps their section from it.
        self.saved: dict[str, Any] = {}
        self._due: float | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_batch_write = float("-inf")
        self._failures = 0
        self._write_now: asyncio.Task[None] | None = None
        # Writes in flight, awaited at unload: none may outlive this writer.
        self._writing: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def pending(self) -> bool:
        """Return whether a write is scheduled."""
        return self._due is not None

    @property
    def _issue_id(self) -> str:
        return f"write_failed_{self.store.key}"

    @callback
    def async_schedule(
        self, *, batched: bool = False, delay: float = SAVE_DELAY
    ) -> None:
        """Write within `delay`, or for a batched reading with the next batch."""
        if self._closed:
            # After the unload's write a new coordinator owns the file.
            return
        now = self.hass.loop.time()
        when = now + delay
        if batched:
            when = max(when, self._last_batch_write + READING_WRITE_INTERVAL)
        if self._due is not None and self._due <= when:
            return
        if self._timer:
            self._timer.cancel()
        self._due = when
        self._timer = self.hass.loop.call_at(when, self._async_due)

    @callback
    def _async_due(self) -> None:
        self._timer = None
        self._async_track(
            self.entry.async_create_task(
                self.hass,
                self._async_write_or_retry(),
                f"{self.store.key} write",
                eager_start=True,
            )
        )

    @callback
    def _async_track(self, task: asyncio.Task[None]) -> None:
        if not task.done():
            self._writing.add(task)
            task.add_done_callback(self._writing.discard)

    async def _async_write_or_retry(self) -> None:
        if self.hass.state is CoreState.stopping:
            # Still pending: our final-write listener takes it. Handed to the
            # Store now, its own final write would take it and not say so.
            self._due = self._due or self.hass.loop.time()
            return
        try:
            await self.async_write()
        except OSError as err:
            self._async_failed(err)

    @callback
    def _async_failed(self, err: OSError) -> None:
        """Try again soon, backing off, and say so in a repair issue."""
        self._failures += 1
        if self._closed:
            # Pending for the unload's own last try, never for a timer.
            self._due = self.hass.loop.time()
            return
        delay = min(RETRY_FIRST * 2 ** (self._failures - 1), RETRY_MAX)
        (_LOGGER.warning if self._failures == 1 else _LOGGER.debug)(
            "Could not write %s, trying again in %s s: %s", self.store.key, delay, err
        )
        self.async_schedule(delay=delay)
        ir.async_create_issue(
            self.hass,
            DOMAIN,
            self._issue_id,
            is_fixable=False,
            severity=ir.IssueSeverity.ERROR,
            translation_key="write_failed",
            translation_placeholders={
                "file": Path(err.filename).name if err.filename else self.store.key,
                "error": err.strerror or str(err),
            },
        )

    async def async_write_now(self) -> None:
        """Write before acting on what is written (a reminder sent once).

        Every caller of one loop iteration (the reminders of one moment) waits
        for the same write, which starts after them and so holds all their
        changes. A failure is logged and retried like a scheduled write, and
        the action still happens: on a disk that cannot be written, a reminder
        that a cut might repeat is better than none.
        """
        if self._closed:
            return
        if self._write_now is None:
            self._write_now = self.entry.async_create_task(
                self.hass,
                self._async_write_now(),
                f"{self.store.key} write now",
                eager_start=False,
            )
            self._async_track(self._write_now)
        await asyncio.shield(self._write_now)

    async def _async_write_now(self) -> None:
        # A change from here on needs a write of its own.
        self._write_now = None
        await self._async_write_or_retry()

    async def async_write(self) -> None:
        """Write now: every history's readings, then the state that counts them.

        One member's history that cannot be written (a month) holds back no
        one else, but it does hold back that member's state: saved ahead of
        their readings, it would move their catch-up point past readings that
        a cut then loses. Their section stays as last saved while the others'
        are saved; the first error is raised after all are tried.
        """
        if self._timer:
            self._timer.cancel()
            self._timer = None
        self._due = None
        self._last_batch_write = self.hass.loop.time()
        errors: list[OSError] = []
        failed: list[str] = []
        for member_id, history in self._histories().items():
            try:
                await history.async_flush()
            except OSError as err:
                errors.append(err)
                failed.append(member_id)
        data = self._data()
        if failed:
            data = self._with_saved_sections(data, failed)
        await self.store.async_save(data)
        self.saved = data
        if errors:
            raise errors[0]
        if self._failures:
            _LOGGER.info("Wrote %s again", self.store.key)
            self._failures = 0
        # Also clears an issue a writer before a reload left.
        ir.async_delete_issue(self.hass, DOMAIN, self._issue_id)

    def _with_saved_sections(
        self, data: dict[str, Any], member_ids: list[str]
    ) -> dict[str, Any]:
        """Return `data` with these members' sections as last saved (or none)."""

        def sections(data: dict[str, Any]) -> dict[str, Any]:
            if self._members is None:
                return data
            found = data.get(self._members)
            return found if isinstance(found, dict) else {}

        merged = dict(sections(data))
        saved = sections(self.saved)
        for member_id in member_ids:
            if member_id in saved:
                merged[member_id] = saved[member_id]
            else:
                merged.pop(member_id, None)
        return merged if self._members is None else data | {self._members: merged}

    async def async_close(self) -> None:
        """Finish the writes in flight, then write what is pending (unload)."""
        self._closed = True
        if self._writing:
            await asyncio.wait(self._writing)
        await self.async_write_pending()

    async def async_write_pending(self) -> None:
        """Write what is pending now (unload, stop); log instead of raising.

        Nothing can be tried again later: what fails now is lost, and said so.
        """
        if not self.pending:
            return
        try:
            await self.async_write()
        except OSError:
            _LOGGER.exception(
                "Changes to %s were not written at unload or stop and are lost",
                self.store.key,
            )

    @callback
    def async_write_at_final_write(self) -> CALLBACK_TYPE:
        """Write what is pending when Home Assistant stops."""

        async def _final_write(_: Event) -> None:
            await self.async_write_pending()

        return self.hass.bus.async_listen(EVENT_HOMEASSISTANT_FINAL_WRITE, _final_write)


async def async_remove_files(hass: HomeAssistant, prefix: str) -> None:
    """Delete every store file whose key starts with `prefix`."""
    storage_dir = Path(hass.config.path(STORAGE_DIR))

    def _unlink() -> None:
        for path in storage_dir.glob(f"{prefix}*"):
            path.unlink(missing_ok=True)

    await hass.async_add_executor_job(_unlink)
