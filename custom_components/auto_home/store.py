"""Versioned persistence: the household's store and one store per health feature."""

import asyncio
from collections.abc import Awaitable, Callable
import logging
from pathlib import Path
from typing import Any

from homeassistant.const import EVENT_HOMEASSISTANT_FINAL_WRITE
from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.helpers.storage import STORAGE_DIR, Store

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

STORAGE_VERSION = 1
STORAGE_MINOR_VERSION = 1
FEATURE_STORAGE_VERSION = 1
# Changes a person makes (a chore done, a setting, a reading) are written
# within seconds.
SAVE_DELAY = 10
# Readings a linked sensor reports are written in batches, at most this often:
# a thermometer reporting every minute would otherwise write every minute,
# wearing out SD cards. A clean stop writes them at once; after a power cut
# the ones missing are taken back from the recorder.
READING_WRITE_INTERVAL = 4 * 3600


class HouseholdStore(Store[dict[str, Any]]):
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


class FeatureStore(Store[dict[str, Any]]):
    """The state of one health feature (small: latest readings, trends)."""

    def __init__(self, hass: HomeAssistant, entry_id: str, feature: str) -> None:
        """Initialize the store of `feature` in one household."""
        super().__init__(
            hass,
            FEATURE_STORAGE_VERSION,
            f"{DOMAIN}.{entry_id}.{feature}",
            atomic_writes=True,
        )


class StoreWriter:
    """Writes one store, and the readings its feature holds, after changes.

    Unlike `Store.async_delay_save`, a stream of changes never postpones a
    write that is already due, and batched readings are written at most once
    per READING_WRITE_INTERVAL however many arrive.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        store: Store[dict[str, Any]],
        data: Callable[[], dict[str, Any]],
        flush_readings: Callable[[], Awaitable[Any]] | None = None,
    ) -> None:
        """Initialize with the store, its data and the feature's reading flush."""
        self.hass = hass
        self.store = store
        self._data = data
        self._flush_readings = flush_readings
        self._due: float | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._last_batch_write = float("-inf")

    @property
    def pending(self) -> bool:
        """Return whether a write is scheduled."""
        return self._due is not None

    @callback
    def async_schedule(self, *, batched: bool = False) -> None:
        """Write within SAVE_DELAY, or for a batched reading with the next batch."""
        now = self.hass.loop.time()
        when = now + SAVE_DELAY
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
        self.hass.async_create_task(
            self._async_write_or_retry(), f"{self.store.key} write", eager_start=True
        )

    async def _async_write_or_retry(self) -> None:
        try:
            await self.async_write()
        except OSError as err:
            # Nothing is dropped: what was not written is tried again later.
            _LOGGER.warning("Could not write %s, trying again: %s", self.store.key, err)
            self.async_schedule(batched=True)

    async def async_write(self) -> None:
        """Write now: the feature's readings first, then the state that counts them."""
        if self._timer:
            self._timer.cancel()
            self._timer = None
        self._due = None
        self._last_batch_write = self.hass.loop.time()
        if self._flush_readings:
            await self._flush_readings()
        await self.store.async_save(self._data())

    @callback
    def async_write_at_final_write(self) -> CALLBACK_TYPE:
        """Write what is pending when Home Assistant stops."""

        async def _final_write(_: Event) -> None:
            if self.pending:
                await self.async_write()

        return self.hass.bus.async_listen(EVENT_HOMEASSISTANT_FINAL_WRITE, _final_write)


async def async_remove_files(hass: HomeAssistant, prefix: str) -> None:
    """Delete every store file whose key starts with `prefix`."""
    storage_dir = Path(hass.config.path(STORAGE_DIR))

    def _unlink() -> None:
        for path in storage_dir.glob(f"{prefix}*"):
            path.unlink(missing_ok=True)

    await hass.async_add_executor_job(_unlink)
