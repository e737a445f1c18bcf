"""A benchmark household written straight into Auto Home's store files.

Ten members and 300 chores with two years behind them: every chore was done
(or skipped) at each occurrence since it was created, and one member's
thermometer reported every minute. Generating that through a million service
calls would take longer than the benchmark may run, so the files are written in
the format the integration stores (its own `as_dict` code where it has one):
the household store, one raw file per month for the last 400 days and the
hourly buckets of the older months, as the daily compaction leaves them, and,
where weight tracking exists, a daily weight for every member (trend replayed
by the integration's own tracker, one history file per member and month).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
import random
from typing import Any
from zoneinfo import ZoneInfo

from homeassistant.config_entries import ConfigSubentryData
from homeassistant.helpers.json import prepare_save_json

from custom_components.auto_home.const import (
    CONF_ASSIGNEES,
    CONF_DESCRIPTION,
    CONF_DUE_TIME,
    CONF_DUE_WINDOW,
    CONF_INTERVAL,
    CONF_MONTH_DAY,
    CONF_RECURRENCE,
    CONF_ROTATION,
    CONF_START_DATE,
    CONF_TEMPERATURE_SOURCE,
    CONF_WEEK_OF_MONTH,
    CONF_WEEKDAY,
    CONF_WEEKDAYS,
    DOMAIN,
    SUBENTRY_CHORE,
    SUBENTRY_MEMBER,
)
from custom_components.auto_home.domain.chore import Chore, ChoreSettings
from custom_components.auto_home.domain.temperature import (
    FeverTracker,
    HourlyBucket,
    TemperatureReading,
    Thresholds,
)
from custom_components.auto_home.history import JOURNAL_SUFFIX, encode_lines, month_of
from custom_components.auto_home.store import (
    FEATURE_STORAGE_VERSION,
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
)
from custom_components.auto_home.temperature_feature import RAW_RETENTION

try:  # Weight tracking arrived after the benchmark; older trees have none.
    from custom_components.auto_home.weight_feature import (
        RECENT_DAYS,
        WeightReading,
        WeightTracker,
        _feed as feed_weight,
    )
except ImportError:
    WeightReading = None

ENTRY_ID = "bench_household"
TZ = ZoneInfo("Europe/Berlin")
THERMOMETER = "sensor.bench_thermometer"
# Readings the store-write measurement adds at the end of the thermometer's history.
LIVE_READINGS = 10_000
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def member_id(index: int) -> str:
    """Return the subentry id of member `index` (1-based)."""
    return f"member_{index:02d}"


def member_name(index: int) -> str:
    """Return the name of member `index`."""
    return f"Member {index:02d}"


def chore_id(index: int) -> str:
    """Return the subentry id of chore `index` (1-based)."""
    return f"chore_{index:03d}"


def chore_name(index: int) -> str:
    """Return the name of chore `index`."""
    return f"Chore {index:03d}"


def _member(index: int) -> ConfigSubentryData:
    data: dict[str, Any] = {}
    if index == 1:
        data[CONF_TEMPERATURE_SOURCE] = THERMOMETER
    return ConfigSubentryData(
        subentry_type=SUBENTRY_MEMBER,
        title=member_name(index),
        data=data,
        subentry_id=member_id(index),
        unique_id=None,
    )


def _chore_data(index: int, members: int, start: date, rng: random.Random) -> dict:
    """Return a chore's settings; the kinds mixed as a household would have them."""
    kind = rng.choices(
        (
            "daily",
            "weekly",
            "monthly_day",
            "monthly_weekday",
            "yearly",
            "after_completion",
        ),
        weights=(30, 30, 15, 10, 5, 10),
    )[0]
    data: dict[str, Any] = {
        CONF_RECURRENCE: kind,
        CONF_INTERVAL: 1,
        CONF_START_DATE: start.isoformat(),
        CONF_DESCRIPTION: f"Benchmark chore {index}",
        CONF_ROTATION: rng.choice(("fixed", "round_robin", "least_recently_done")),
        CONF_ASSIGNEES: sorted(
            rng.sample([member_id(i) for i in range(1, members + 1)], min(3, members))
        ),
    }
    if kind == "weekly":
        data[CONF_WEEKDAYS] = sorted(
            rng.sample(WEEKDAYS, rng.randint(1, 3)), key=WEEKDAYS.index
        )
    elif kind == "monthly_day":
        data[CONF_MONTH_DAY] = rng.randint(1, 31)
    elif kind == "monthly_weekday":
        data[CONF_WEEK_OF_MONTH] = rng.choice(("1", "2", "3", "4", "last"))
        data[CONF_WEEKDAY] = rng.choice(WEEKDAYS)
    elif kind == "after_completion":
        data[CONF_INTERVAL] = rng.randint(2, 14)
    if rng.random() < 0.4:
        data[CONF_DUE_TIME] = f"{rng.randint(6, 21):02d}:{rng.choice((0, 30)):02d}:00"
    if rng.random() < 0.3:
        data[CONF_DUE_WINDOW] = {"days": rng.randint(1, 3)}
    return data


def _chore_state(
    data: dict, members: list[str], since: datetime, now: datetime, rng: random.Random
) -> dict:
    """Live the chore from `since` to `now` with the integration's own rules."""
    chore = Chore(ChoreSettings.from_data(data), None, TZ, since, members)
    while (due := chore.due_at) < now - timedelta(hours=20):
        at = min(due + timedelta(hours=rng.uniform(0, 14)), now - timedelta(hours=1))
        if rng.random() < 0.05:
            chore.skip(at)
        else:
            chore.complete(at, at, rng.choice(members) if rng.random() < 0.2 else None)
    chore.settle(now)
    return chore.state.as_dict()


@dataclass(slots=True)
class Household:
    """What was written: the subentries and the sizes of the files."""

    subentries: list[ConfigSubentryData]
    readings: int
    weights: int
    raw_months: int
    hourly_buckets: int
    files: int
    bytes: int


def _write(storage: Path, key: str, version: int, data: Any, **extra: int) -> int:
    """Write a store file as homeassistant.helpers.storage.Store does; return bytes."""
    _, payload = prepare_save_json(
        {"version": version, **extra, "key": key, "data": data}
    )
    raw = payload if isinstance(payload, bytes) else payload.encode()
    (storage / key).write_bytes(raw)
    return len(raw)


def _journal(storage: Path, key: str, columns: dict[str, list]) -> int:
    """Write a month's readings as the journal Auto Home appends to; return bytes."""
    raw = encode_lines(list(zip(columns["t"], columns["v"], columns["g"], strict=True)))
    (storage / f"{key}{JOURNAL_SUFFIX}").write_bytes(raw)
    return len(raw)


def _minutes(start: datetime, end: datetime) -> Iterator[datetime]:
    moment = start
    step = timedelta(minutes=1)
    while moment < end:
        yield moment
        moment += step


def write_household(
    config_dir: Path,
    *,
    members: int,
    chores: int,
    years: float,
    now: datetime,
    thermometer: bool,
) -> Household:
    """Write the household's store files under `config_dir`; return what it holds.

    The thermometer's history ends `LIVE_READINGS` minutes before `now`, so the
    readings the benchmark adds continue it.
    """
    rng = random.Random(8)
    storage = config_dir / ".storage"
    storage.mkdir(parents=True, exist_ok=True)
    since = now - timedelta(days=round(365 * years))
    member_ids = [member_id(i) for i in range(1, members + 1)]
    subentries = [_member(i) for i in range(1, members + 1)]
    chore_section: dict[str, Any] = {}
    for index in range(1, chores + 1):
        data = _chore_data(index, members, since.astimezone(TZ).date(), rng)
        subentries.append(
            ConfigSubentryData(
                subentry_type=SUBENTRY_CHORE,
                title=chore_name(index),
                data=data,
                subentry_id=chore_id(index),
                unique_id=None,
            )
        )
        chore_section[chore_id(index)] = _chore_state(data, member_ids, since, now, rng)

    written = files = readings = raw_months = buckets_written = weights = 0
    temperature: dict[str, Any] = {}
    if thermometer:
        prefix = f"{DOMAIN}.{ENTRY_ID}.temperature.{member_ids[0]}"
        cutoff_month = month_of(now - RAW_RETENTION)
        months: dict[str, dict[str, list]] = {}
        hours: dict[datetime, list[float]] = {}
        hourly_months: set[str] = set()
        value = 36.6
        end = now - timedelta(minutes=LIVE_READINGS)
        for moment in _minutes(since.replace(second=0, microsecond=0), end):
            value = round(min(37.2, max(36.1, value + rng.uniform(-0.05, 0.05))), 2)
            readings += 1
            month = month_of(moment)
            if month < cutoff_month:
                hourly_months.add(month)
                hours.setdefault(moment.replace(minute=0), []).append(value)
                continue
            columns = months.setdefault(month, {"t": [], "v": [], "g": []})
            columns["t"].append(moment.timestamp())
            columns["v"].append(value)
            columns["g"].append("oral")
        for month, columns in months.items():
            written += _journal(storage, f"{prefix}.{month}", columns)
            files += 1
        raw_months = len(months)
        bucket_list = [
            HourlyBucket(
                hour_start=hour,
                count=len(values),
                min_c=min(values),
                max_c=max(values),
                mean_c=sum(values) / len(values),
            ).as_dict()
            for hour, values in hours.items()
        ]
        buckets_written = len(bucket_list)
        written += _write(storage, f"{prefix}.hourly", 1, {"buckets": bucket_list})
        files += 1
        latest = TemperatureReading(end - timedelta(minutes=1), value)
        temperature[member_ids[0]] = {
            "latest": latest.as_dict() | {"source": THERMOMETER},
            "tracker": FeverTracker(Thresholds()).as_dict(),
            "readings": readings,
            "months": sorted(months),
            "hourly_months": sorted(hourly_months),
        }
    weight: dict[str, Any] = {"members": {}, "unassigned": {}}
    if WeightReading is not None and years:
        for index, member in enumerate(member_ids):
            kg = 60.0 + index * 3
            tracker, recent = WeightTracker(), []
            months = {}
            day = since.replace(hour=6, minute=30, second=0) + timedelta(minutes=index)
            while day < now:
                kg = round(kg + rng.gauss(0, 0.3) - 0.002, 2)
                recent.append(WeightReading(day, kg))
                feed_weight(tracker, recent, len(recent) - 1)
                columns = months.setdefault(month_of(day), {"t": [], "v": [], "g": []})
                columns["t"].append(day.timestamp())
                columns["v"].append(kg)
                columns["g"].append("")
                weights += 1
                day += timedelta(days=1)
            cutoff = recent[-1].measured_at - timedelta(days=RECENT_DAYS)
            recent = [reading for reading in recent if reading.measured_at >= cutoff]
            for month, columns in months.items():
                key = f"{DOMAIN}.{ENTRY_ID}.weight.{member}.{month}"
                written += _journal(storage, key, columns)
                files += 1
            weight["members"][member] = {
                "tracker": tracker.as_dict(),
                "recent": [reading.as_list() for reading in recent],
                "readings": sum(len(c["t"]) for c in months.values()),
            }
    written += _write(
        storage,
        f"{DOMAIN}.{ENTRY_ID}",
        STORAGE_VERSION,
        {"reminders": {}, "chores": chore_section},
        minor_version=STORAGE_MINOR_VERSION,
    )
    for key, section in (("temperature", temperature), ("weight", weight)):
        written += _write(
            storage, f"{DOMAIN}.{ENTRY_ID}.{key}", FEATURE_STORAGE_VERSION, section
        )
    files += 3
    return Household(
        subentries, readings, weights, raw_months, buckets_written, files, written
    )


def store_files(config_dir: Path) -> tuple[int, int]:
    """Return the number and total size of the household's store files."""
    paths = list((config_dir / ".storage").glob(f"{DOMAIN}.{ENTRY_ID}*"))
    return len(paths), sum(path.stat().st_size for path in paths)


def utc_now() -> datetime:
    """Return now, to the second, in UTC."""
    return datetime.now(UTC).replace(microsecond=0)
