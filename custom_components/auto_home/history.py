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
import itertools
import json
import logging
import os
from pathlib import Path
import re
import shutil
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.storage import STORAGE_DIR, Store
from homeassistant.util import dt as dt_util
from homeassistant.util.file import WriteError, write_utf8_file_atomic
import orjson

from .const import DOMAIN
from .domain.temperature import Site
from .subentries import anonymize

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
    utc = moment.astimezone(UTC)
    # Not strftime: 4x the time, on every reading.
    return f"{utc.year:04d}-{utc.month:02d}"


def encode_lines(lines: list[Line]) -> bytes:
    """Return journal lines as appended to the file."""
    return "".join(
        json.dumps(line, separators=(",", ":")) + "\n" for line in lines
    ).encode()


@dataclass(frozen=True, slots=True)
class RowRule:
    """What a row of one journal may hold: a time in its month, known tags."""

    start: float = float("-inf")
    end: float = float("inf")
    # None: any tag (a scale's entity id, or none).
    tags: frozenset[str] | None = None

    @classmethod
    def of(cls, path: Path) -> RowRule:
        """Return the rule of a journal, from its name (`<key>.<YYYY-MM>.log`)."""
        if not (found := _JOURNAL_NAME.search(path.name)):
            return cls()
        year, month = int(found[2]), int(found[3])
        start = datetime(year, month, 1, tzinfo=UTC)
        end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        return cls(start.timestamp(), end.timestamp(), _TAGS.get(found[1]))


_JOURNAL_NAME = re.compile(
    rf"\.(\w+)\.[^.]+\.(\d{{4}})-(\d{{2}}){re.escape(JOURNAL_SUFFIX)}$"
)
# Tags a kind of reading may carry; a kind not named takes any.
_TAGS = {"temperature": frozenset(Site)}


def _lines(rows: list[Any], rule: RowRule) -> list[Line]:
    """Return parsed rows as readings; raise ValueError or TypeError if not.

    orjson refuses NaN and infinities, so what adds to a float is a number;
    only a boolean (`true` + 0.0 is 1.0) is told apart on its own. A time
    outside the file's month (`1e300`) or an unknown tag is garbage too.
    """
    lines = [(t + 0.0, v + 0.0, g + "") for t, v, g in rows]
    if any(type(t) is bool or type(v) is bool for t, v, _ in rows):
        raise ValueError("a boolean is no reading")
    if lines and not (
        rule.start <= min(line[0] for line in lines)
        and max(line[0] for line in lines) < rule.end
    ):
        raise ValueError("a time outside the journal's month")
    if rule.tags is not None and not {line[2] for line in lines} <= rule.tags:
        raise ValueError("a tag this kind of reading does not have")
    return lines


def parse_journal(
    data: bytes, rule: RowRule = RowRule()
) -> tuple[list[Line], list[bytes]]:
    """Return a journal's readings and its damaged lines (torn, or garbage)."""
    try:
        rows = orjson.loads(b"[" + data.rstrip(b"\n").replace(b"\n", b",") + b"]")
        return _lines(rows, rule), []
    except ValueError, TypeError:
        pass
    lines: list[Line] = []
    damaged: list[bytes] = []
    for line in data.split(b"\n"):
        if not line:
            continue
        try:
            lines += _lines([orjson.loads(line)], rule)
        except ValueError, TypeError:
            damaged.append(line)
    return lines, damaged


def append_to_journal(path: Path, data: bytes) -> None:
    """Append and sync (runs in the executor): a reading written is on disk.

    A line torn by a cut is never joined with the next one: the append then
    starts on a new line. An append that fails (a full disk) is taken back,
    so the retry does not write its first lines twice.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        if (size := os.fstat(fd).st_size) and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        except OSError as err:
            try:
                os.ftruncate(fd, size)
            except OSError as truncate_err:
                _LOGGER.warning(
                    "A failed append to %s could not be taken back (%s): the "
                    "retry may write some readings twice",
                    path,
                    truncate_err,
                )
            if err.filename is None:
                # os.write's errors (a full disk) name no file; the repair should.
                raise OSError(err.errno, err.strerror or str(err), str(path)) from err
            raise
    finally:
        os.close(fd)


@dataclass(frozen=True, slots=True)
class Damage:
    """Lines of a journal that could not be read, and where the file was kept."""

    path: Path
    lines: int
    kept: Path


def aside_path(path: Path) -> Path:
    """Return where to keep a damaged file, beside it, never a name in use.

    Runs in the executor (it looks at the folder).
    """
    stamp = dt_util.utcnow().strftime("%Y-%m-%dT%H-%M-%S")
    kept = path.with_name(f"{path.name}.corrupt.{stamp}")
    for count in itertools.count(2):
        if not kept.exists():
            break
        kept = path.with_name(f"{path.name}.corrupt.{stamp}.{count}")
    return kept


def _keep_aside(path: Path, good: list[Line], damaged: int) -> Damage:
    """Copy a damaged journal aside, then rewrite it with its readable lines.

    The copy is never overwritten and the rewrite is atomic, so neither a
    cut nor a second start loses a line that was readable.
    """
    kept = aside_path(path)
    shutil.copy2(path, kept)
    try:
        write_utf8_file_atomic(str(path), encode_lines(good), mode="wb")
    except WriteError as err:
        raise OSError(f"Cannot rewrite {path}: {err}") from err
    return Damage(path, damaged, kept)


def read_journal(path: Path) -> tuple[list[Line], Damage | None]:
    """Return a journal's readings (runs in the executor); set damage aside."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return [], None
    lines, damaged = parse_journal(data, RowRule.of(path))
    if not damaged:
        return lines, None
    try:
        return lines, _keep_aside(path, lines, len(damaged))
    except OSError as err:
        # The readable lines are still read; setting aside is tried next time.
        _LOGGER.warning(
            "Damaged lines skipped in %s: %s; could not set them aside: %s",
            path,
            len(damaged),
            err,
        )
        return lines, None


def repair_torn_journals(storage_dir: Path, prefix: str) -> list[Damage]:
    """Set aside the torn last lines of the journals under `prefix` (executor).

    A cut tears at most the line being appended, so only a journal that does
    not end with a newline is read; the others cost one byte each.
    """
    found = []
    for path in storage_dir.glob(f"{prefix}*{JOURNAL_SUFFIX}"):
        try:
            with path.open("rb") as file:
                if not file.seek(0, os.SEEK_END):
                    continue
                file.seek(-1, os.SEEK_END)
                if file.read(1) == b"\n":
                    continue
            _, damage = read_journal(path)
        except OSError as err:
            # Appends still start on a new line; the next read tries again.
            _LOGGER.warning("Could not check the reading journal %s: %s", path, err)
            continue
        if damage is not None:
            found.append(damage)
    return found


@callback
def async_report_damage(hass: HomeAssistant, entry_id: str, damage: Damage) -> None:
    """Log damaged journal lines and raise a repair issue about the file.

    Neither the issue's id nor its placeholders name the file: they show in
    diagnostics, and the file's name holds a member's id.
    """
    _LOGGER.warning(
        "Damaged lines (torn by a power cut, or garbage) skipped in the reading "
        "journal %s: %s; every other reading is kept, the file as it was is %s",
        damage.path,
        damage.lines,
        damage.kept,
    )
    ir.async_create_issue(
        hass,
        DOMAIN,
        f"journal_damaged_{anonymize(damage.path.name)}",
        data={"entry_id": entry_id},
        is_fixable=False,
        is_persistent=True,
        severity=ir.IssueSeverity.WARNING,
        translation_key="journal_damaged",
        translation_placeholders={
            "lines": str(damage.lines),
            "kept": damage.kept.name.removeprefix(damage.path.name),
        },
    )


@dataclass(slots=True)
class HistoryIndex:
    """What a member's history files hold: months, count, newest readings."""

    months: list[str] = field(default_factory=list)
    readings: int = 0
    recent: list[Line] = field(default_factory=list)


def index_files(
    storage_dir: Path, key: str, recent: float
) -> tuple[HistoryIndex, list[Damage]]:
    """Return what the month files of `key` hold (runs in the executor)."""
    pattern = re.compile(rf"{re.escape(key)}\.(\d{{4}}-\d{{2}})(?:{JOURNAL_SUFFIX})?")
    months = sorted(
        {
            found[1]
            for path in storage_dir.glob(f"{key}.*")
            if (found := pattern.fullmatch(path.name))
        }
    )
    index = HistoryIndex()
    damages: list[Damage] = []
    newest = float("-inf")
    for month in months:
        try:
            lines, damage = read_journal(storage_dir / f"{key}.{month}{JOURNAL_SUFFIX}")
            columnar = storage_dir / f"{key}.{month}"
            if columnar.exists():
                # Written by earlier versions through a Store: an envelope.
                base = MonthColumns.from_dict(
                    orjson.loads(columnar.read_bytes())["data"]
                )
                lines += zip(base.times, base.values, base.tags, strict=True)
        except (OSError, ValueError, KeyError, TypeError) as err:
            # The household starts with what can be read, not at all.
            _LOGGER.warning("Could not re-index %s %s: %s", key, month, err)
            continue
        if damage is not None:
            damages.append(damage)
        if not lines:
            continue
        index.months.append(month)
        index.readings += len(lines)
        month_newest = max(line[0] for line in lines)
        newest = max(newest, month_newest)
        index.recent = [
            line for line in (*index.recent, *lines) if line[0] >= newest - recent
        ]
    index.recent.sort(key=lambda line: line[0])
    return index, damages


class ReadingHistory:
    """The history of one kind of reading for one member."""

    def __init__(self, hass: HomeAssistant, entry_id: str, name: str) -> None:
        """Initialize; `name` tells members and kinds apart in file names."""
        self.hass = hass
        self._entry_id = entry_id
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
                columns = self._months[month] = await self._async_read(month)
        return columns

    async def _async_read(self, month: str) -> MonthColumns:
        stored = await self._store(month).async_load()
        base = MonthColumns.from_dict(stored) if stored else MonthColumns()
        lines, damage = await self.hass.async_add_executor_job(
            read_journal, self._journal(month)
        )
        if damage is not None:
            async_report_damage(self.hass, self._entry_id, damage)
        return MonthColumns.from_lines(base, lines + self._pending.get(month, []))

    async def async_index(self, recent: float) -> HistoryIndex:
        """Re-index the months on disk, for a state file that was lost.

        One executor job reads, counts and keeps only the readings within
        `recent` seconds of the newest: a year of per-minute readings is
        half a million rows, no work for the event loop. Readings not yet
        flushed are not counted: a history is indexed before it takes any.
        """
        index, damages = await self.hass.async_add_executor_job(
            index_files, Path(self.hass.config.path(STORAGE_DIR)), self._key, recent
        )
        for damage in damages:
            async_report_damage(self.hass, self._entry_id, damage)
        return index

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
        """Append the pending readings to their journals; return the files written.

        A flush waits for one in flight: until it fails, what it took is not
        pending, and a state saved meanwhile would count readings not on disk.
        """
        async with self._lock:
            return await self._async_append() if self._pending else 0

    async def _async_append(self) -> int:
        pending, self._pending = self._pending, {}
        written = 0
        error: OSError | None = None
        # A month that cannot be written does not hold back the others.
        for month, lines in pending.items():
            try:
                await self.hass.async_add_executor_job(
                    append_to_journal, self._journal(month), encode_lines(lines)
                )
            except OSError as err:
                # Kept for the next flush: nothing is dropped because a disk was full.
                self._pending.setdefault(month, [])[:0] = lines
                error = error or err
            else:
                written += 1
        if error:
            raise error
        return written

    async def async_remove(self, months: list[str]) -> None:
        """Delete the files of the given months."""
        for month in months:
            await self._store(month).async_remove()
            await self.hass.async_add_executor_job(self._journal(month).unlink, True)
            self._months.pop(month, None)
            self._pending.pop(month, None)
