"""Reading history: one append-only journal file per member, kind and month.

A thermometer that reports every minute produces half a million readings a
year. Rewriting them on each save would write megabytes for a few new lines,
so new readings are appended to the month's journal (`<key>.<YYYY-MM>.log`,
one JSON array per line) and a save writes only what is new. Months written
by earlier versions as a columnar store file are still read; whatever is in
both is read as one month. Months are loaded when they are needed, never at
start-up.
"""

import asyncio
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime
import json
import logging
import os
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.storage import STORAGE_DIR, Store
import orjson

from .const import DOMAIN

_LOGGER = logging.getLogger(__name__)

HISTORY_VERSION = 1
JOURNAL_SUFFIX = ".log"

type Line = tuple[float, float, str]


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

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MonthColumns:
        """Rebuild from the columnar JSON form."""
        return cls(list(data["t"]), list(data["v"]), list(data["g"]))

    @classmethod
    def from_lines(cls, base: MonthColumns, lines: list[Line]) -> MonthColumns:
        """Return `base` with journal lines merged in, sorted by time."""
        if not lines:
            return base
        rows = sorted(
            [*zip(base.times, base.values, base.tags, strict=True), *lines],
            key=lambda row: row[0],
        )
        return cls(
            [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]
        )


def month_of(moment: datetime) -> str:
    """Return the UTC month a reading is filed under, as YYYY-MM."""
    return moment.astimezone(UTC).strftime("%Y-%m")


def encode_lines(lines: list[Line]) -> bytes:
    """Return journal lines as appended to the file."""
    return "".join(
        json.dumps(line, separators=(",", ":")) + "\n" for line in lines
    ).encode()


def parse_journal(text: str) -> list[Line]:
    """Return the lines of a journal; a line torn by a power cut is skipped."""
    text = text.rstrip("\n")
    if not text:
        return []
    try:
        rows = orjson.loads(f"[{text.replace('\n', ',')}]")
    except orjson.JSONDecodeError:
        rows = []
        for line in text.split("\n"):
            try:
                rows.append(orjson.loads(line))
            except orjson.JSONDecodeError:
                _LOGGER.warning("Skipping a damaged reading line: %r", line[:80])
    return [(float(t), float(v), str(g)) for t, v, g in rows]


def append_to_journal(path: Path, data: bytes) -> None:
    """Append and sync (runs in the executor): a reading written is on disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _read_journal(path: Path) -> list[Line]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    return parse_journal(text)


class ReadingHistory:
    """The history of one kind of reading for one member."""

    def __init__(self, hass: HomeAssistant, entry_id: str, name: str) -> None:
        """Initialize; `name` tells members and kinds apart in file names."""
        self.hass = hass
        self._key = f"{DOMAIN}.{entry_id}.{name}"
        self._months: dict[str, MonthColumns] = {}
        # Readings not yet appended to their month's journal.
        self._pending: dict[str, list[Line]] = {}
        self._lock = asyncio.Lock()

    def _store(self, month: str) -> Store[dict[str, Any]]:
        """Return the columnar file earlier versions wrote a month to."""
        return Store(self.hass, HISTORY_VERSION, f"{self._key}.{month}")

    def _journal(self, month: str) -> Path:
        return Path(
            self.hass.config.path(STORAGE_DIR, f"{self._key}.{month}{JOURNAL_SUFFIX}")
        )

    @property
    def has_pending(self) -> bool:
        """Return whether readings wait to be written."""
        return bool(self._pending)

    async def async_month(self, month: str) -> MonthColumns:
        """Return a month's readings, loading its files the first time."""
        if (columns := self._months.get(month)) is not None:
            return columns
        # A flush running meanwhile would move readings from pending to the
        # journal behind the read's back.
        async with self._lock:
            if (columns := self._months.get(month)) is None:
                stored = await self._store(month).async_load()
                base = MonthColumns.from_dict(stored) if stored else MonthColumns()
                lines = await self.hass.async_add_executor_job(
                    _read_journal, self._journal(month)
                )
                lines += self._pending.get(month, [])
                columns = self._months[month] = MonthColumns.from_lines(base, lines)
        return columns

    @callback
    def async_add(self, at: datetime, value: float, tag: str) -> None:
        """File a reading under its month; the next flush appends it.

        A month not loaded stays on disk: adding costs the reading, not the month.
        """
        month = month_of(at)
        timestamp = at.timestamp()
        if (columns := self._months.get(month)) is not None:
            columns.insert(timestamp, value, tag)
        self._pending.setdefault(month, []).append((timestamp, value, tag))

    async def async_flush(self) -> int:
        """Append the pending readings to their journals; return the files written."""
        if not self._pending:
            return 0
        async with self._lock:
            return await self._async_append()

    async def _async_append(self) -> int:
        pending, self._pending = self._pending, {}
        written = 0
        try:
            for month, lines in pending.items():
                await self.hass.async_add_executor_job(
                    append_to_journal, self._journal(month), encode_lines(lines)
                )
                written += 1
        except OSError:
            # Kept for the next flush: nothing is dropped because a disk was full.
            for month, lines in list(pending.items())[written:]:
                self._pending.setdefault(month, [])[:0] = lines
            raise
        return written

    async def async_remove(self, months: list[str]) -> None:
        """Delete the files of the given months."""
        for month in months:
            await self._store(month).async_remove()
            await self.hass.async_add_executor_job(self._journal(month).unlink, True)
            self._months.pop(month, None)
            self._pending.pop(month, None)
