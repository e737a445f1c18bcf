"""Reading history kept in one store file per month.

A thermometer that reports every minute produces half a million readings a
year. Keeping them in the household's main store would rewrite all of them on
every save, so each month has its own small file (columnar JSON) and only the
month being written is rewritten, at most once per READING_SAVE_DELAY. Months are loaded when they are needed, never
at start-up.
"""

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN
from .store import READING_SAVE_DELAY

HISTORY_VERSION = 1


@dataclass(slots=True)
class MonthColumns:
    """One month of readings as parallel columns, sorted by time."""

    times: list[float] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def insert(self, timestamp: float, value: float, tag: str) -> None:
        """Insert a reading in time order (back-filled readings too)."""
        index = bisect_right(self.times, timestamp)
        self.times.insert(index, timestamp)
        self.values.insert(index, value)
        self.tags.insert(index, tag)

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"t": self.times, "v": self.values, "g": self.tags}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MonthColumns:
        """Rebuild from the JSON form."""
        return cls(list(data["t"]), list(data["v"]), list(data["g"]))


def month_of(moment: datetime) -> str:
    """Return the UTC month a reading is filed under, as YYYY-MM."""
    return moment.astimezone(UTC).strftime("%Y-%m")


class ReadingHistory:
    """The history of one kind of reading for one member."""

    def __init__(self, hass: HomeAssistant, entry_id: str, name: str) -> None:
        """Initialize; `name` tells members and kinds apart in file names."""
        self.hass = hass
        self._prefix = f"{DOMAIN}.{entry_id}.{name}"
        self._months: dict[str, MonthColumns] = {}
        self._stores: dict[str, Store[dict[str, Any]]] = {}
        # Months with readings that a pending write will take.
        self._unsaved: set[str] = set()

    def _store(self, month: str) -> Store[dict[str, Any]]:
        if (store := self._stores.get(month)) is None:
            store = self._stores[month] = Store(
                self.hass, HISTORY_VERSION, f"{self._prefix}.{month}"
            )
        return store

    async def async_month(self, month: str) -> MonthColumns:
        """Return a month's readings, loading its file the first time."""
        if (columns := self._months.get(month)) is None:
            stored = await self._store(month).async_load()
            columns = MonthColumns.from_dict(stored) if stored else MonthColumns()
            self._months[month] = columns
        return columns

    async def async_add(self, at: datetime, value: float, tag: str) -> None:
        """File a reading under its month and schedule that month's save."""
        month = month_of(at)
        columns = await self.async_month(month)
        columns.insert(at.timestamp(), value, tag)
        # Written once the first unsaved reading is READING_SAVE_DELAY old,
        # however many follow it.
        if month not in self._unsaved:
            self._unsaved.add(month)
            self._store(month).async_delay_save(
                partial(self._month_data, month), READING_SAVE_DELAY
            )

    def _month_data(self, month: str) -> dict[str, Any]:
        """Return a month for its store, which writes it now."""
        self._unsaved.discard(month)
        return self._months[month].as_dict()

    async def async_flush(self) -> None:
        """Write every loaded month now (on unload)."""
        self._unsaved.clear()
        for month, columns in self._months.items():
            await self._store(month).async_save(columns.as_dict())

    async def async_remove(self, months: list[str]) -> None:
        """Delete the files of the given months."""
        for month in months:
            await self._store(month).async_remove()
            self._months.pop(month, None)
            self._unsaved.discard(month)
