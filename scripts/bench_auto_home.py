"""What Auto Home costs Home Assistant: set-up, event-loop time, writes, memory.

Run with `scripts/bench` (`--help` for the options). One process, real Home Assistant instances from the
test harness (pytest-homeassistant-custom-component), each on a temporary
config folder so that every store write reaches the disk. The harness runs
asyncio in debug mode and logs at DEBUG; users run neither, so both are
switched off before anything is timed. Prints one Markdown table.
"""

import argparse
import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager, contextmanager, suppress
import cProfile
import gc
import io
import logging
import os
from pathlib import Path
import platform
import pstats
import shutil
import socket
import statistics
import sys
import tempfile
import time
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_household import (  # noqa: E402
    ENTRY_ID,
    LIVE_READINGS,
    THERMOMETER,
    Household,
    chore_id,
    chore_name,
    member_name,
    store_files,
    utc_now,
    write_household,
)
from homeassistant import loader  # noqa: E402
from homeassistant.components.http import config as http_config  # noqa: E402
from homeassistant.const import __version__ as ha_version  # noqa: E402
from homeassistant.core import HomeAssistant  # noqa: E402
from homeassistant.helpers import entity_registry as er, storage  # noqa: E402
from homeassistant.helpers.json import prepare_save_json  # noqa: E402
from homeassistant.setup import async_setup_component  # noqa: E402
from pytest_homeassistant_custom_component.common import (  # noqa: E402
    MockConfigEntry,
    async_test_home_assistant,
)

from custom_components.auto_home import history  # noqa: E402
from custom_components.auto_home.const import DOMAIN  # noqa: E402
from custom_components.auto_home.history import JOURNAL_SUFFIX  # noqa: E402

NS_PER_MS = 1_000_000
NS_PER_US = 1_000


# ---------------------------------------------------------------- measuring


def rss_kib() -> tuple[int, int]:
    """Return the process's (current, peak) resident set size in KiB."""
    fields = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, value = line.partition(":")
            fields[key] = value
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


def reset_peak_rss() -> None:
    """Start a new peak (Linux: writing 5 to clear_refs resets VmHWM)."""
    gc.collect()
    with suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")


class WriteCounter:
    """Counts the store files Home Assistant writes, and their bytes."""

    def __init__(self) -> None:
        """Wrap the two writers homeassistant.helpers.storage.Store uses."""
        self.writes: Counter[str] = Counter()
        self.bytes: Counter[str] = Counter()
        for name in ("write_utf8_file_atomic", "write_utf8_file"):
            setattr(storage, name, self._wrap(getattr(storage, name)))
        # Reading journals are appended to, not written through Store.
        history.append_to_journal = self._wrap(history.append_to_journal)

    def _wrap(self, write: Callable[..., None]) -> Callable[..., None]:
        def counted(filename: str, utf8_data: bytes | str, *args, **kwargs) -> None:
            write(filename, utf8_data, *args, **kwargs)
            kind = _kind(os.path.basename(filename))
            self.writes[kind] += 1
            self.bytes[kind] += len(utf8_data)

        return counted

    def reset(self) -> None:
        """Forget what was counted."""
        self.writes.clear()
        self.bytes.clear()


def _kind(key: str) -> str:
    """Name the kind of store file a key is."""
    if not key.startswith(f"{DOMAIN}."):
        return "other"
    if key == f"{DOMAIN}.{ENTRY_ID}":
        return "household store"
    if key.endswith(".hourly"):
        return "hourly buckets"
    if key.endswith(JOURNAL_SUFFIX):
        return "history journal appends"
    if key.count(".") == 2:
        return f"{key.rpartition('.')[2]} store"
    return "history month (columnar)"


def percentile(samples: list[int], fraction: float) -> int:
    """Return a nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def us(value_ns: float) -> str:
    """Format nanoseconds as microseconds."""
    return f"{value_ns / NS_PER_US:,.0f} µs"


def ms(value_ns: float) -> str:
    """Format nanoseconds as milliseconds (two decimals below 10 ms)."""
    if value_ns < 10 * NS_PER_MS:
        return f"{value_ns / NS_PER_MS:.2f} ms"
    return (
        f"{value_ns / NS_PER_MS:,.1f} ms"
        if value_ns < 100 * NS_PER_MS
        else (f"{value_ns / NS_PER_MS:,.0f} ms")
    )


def size(value: float) -> str:
    """Format bytes."""
    if value < 1024:
        return f"{value:,.0f} B"
    for unit in ("KiB", "MiB"):
        value /= 1024
        if value < 1024:
            return f"{value:,.1f} {unit}"
    return f"{value / 1024:,.2f} GiB"


@contextmanager
def profiled(section: str, wanted: str | None):
    """Profile a section with cProfile when `--profile` names it; print the top.

    With AUTO_HOME_PROFILE_DUMP=path the whole profile is also written there
    (pstats format, the last section profiled), to sort it other ways.
    """
    if section != wanted:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        if dump := os.environ.get("AUTO_HOME_PROFILE_DUMP"):
            profiler.dump_stats(dump)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(45)
        print(out.getvalue(), flush=True)


def check(condition: object, message: str = "benchmark precondition failed") -> None:
    """Stop the run when what is measured is not what was meant."""
    if not condition:
        raise RuntimeError(message)


# -------------------------------------------------------------- the harness


def free_port() -> int:
    """Return a free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@asynccontextmanager
async def real_hass(config_dir: Path):
    """Yield a running hass from the test harness, as users run it."""
    async with async_test_home_assistant(config_dir=str(config_dir)) as hass:
        # What the harness's enable_custom_integrations fixture does.
        hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
        await hass.config.async_set_time_zone("Europe/Berlin")
        hass.loop.set_debug(False)
        logging.getLogger().setLevel(logging.WARNING)
        # Components every real instance has: set up before anything is timed.
        await async_setup_component(
            hass,
            "http",
            {"http": {"server_host": "127.0.0.1", "server_port": free_port()}},
        )
        # The benchmark moves the loop's clock: keep http from reverting its config.
        hass.data[http_config.DATA_STORE].async_cancel_revert()
        for domain in ("sensor", "binary_sensor", "button", "todo", "calendar"):
            check(await async_setup_component(hass, domain, {}))
        check(
            await async_setup_component(
                hass,
                "input_number",
                {"input_number": {"bench": {"min": 0, "max": 1_000_000, "step": 1}}},
            )
        )
        hass.states.async_set(
            THERMOMETER,
            "36.6",
            {"unit_of_measurement": "°C", "device_class": "temperature"},
        )
        await hass.async_block_till_done()
        try:
            yield hass
        finally:
            await hass.async_stop(force=True)


def household_entry(household: Household) -> MockConfigEntry:
    """Return the household's config entry with its members and chores."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Home",
        data={},
        entry_id=ENTRY_ID,
        subentries_data=household.subentries,
    )


async def timed_setup(hass: HomeAssistant, entry_id: str) -> int:
    """Set the entry up; return the nanoseconds until everything settled."""
    gc.collect()
    start = time.perf_counter_ns()
    check(await hass.config_entries.async_setup(entry_id))
    await hass.async_block_till_done()
    return time.perf_counter_ns() - start


async def setup_times(
    hass: HomeAssistant, entry: MockConfigEntry, restarts: int
) -> tuple[int, list[int]]:
    """Return the first set-up time and those of set-ups as after a restart."""
    entry.add_to_hass(hass)
    first = await timed_setup(hass, entry.entry_id)
    again = []
    for _ in range(restarts):
        check(await hass.config_entries.async_unload(entry.entry_id))
        await hass.async_block_till_done()
        again.append(await timed_setup(hass, entry.entry_id))
    return first, again


def entity_id(hass: HomeAssistant, platform_domain: str, unique_id: str) -> str:
    """Return the entity id of one of the household's entities."""
    found = er.async_get(hass).async_get_entity_id(platform_domain, DOMAIN, unique_id)
    check(found, unique_id)
    return found


async def time_call(call: Callable[[], Awaitable[Any]]) -> int:
    """Return the nanoseconds one awaited call takes."""
    start = time.perf_counter_ns()
    await call()
    return time.perf_counter_ns() - start


async def year_of_events(
    hass: HomeAssistant, calendar: str, rounds: int
) -> tuple[list[int], int]:
    """Time `rounds` calendar.get_events over 365 days; return them and the events."""
    samples = []
    events = 0
    for _ in range(rounds):
        start = time.perf_counter_ns()
        response = await hass.services.async_call(
            "calendar",
            "get_events",
            {"entity_id": calendar, "duration": {"days": 365}},
            blocking=True,
            return_response=True,
        )
        samples.append(time.perf_counter_ns() - start)
        events = len(response[calendar]["events"])
    return samples, events


# ------------------------------------------------------------- the scenarios


class Table:
    """The rows of the result table."""

    def __init__(self) -> None:
        """Start empty."""
        self.rows: list[tuple[str, str, str, str]] = []

    def add(
        self, what: str, measured: str, target: str = "", verdict: str = ""
    ) -> None:
        """Add a row."""
        self.rows.append((what, measured, target, verdict))
        print(f"  {what}: {measured}", flush=True)

    def markdown(self) -> str:
        """Return the table as Markdown."""
        lines = [
            "| # | what | result | target | |",
            "|---|---|---|---|---|",
        ]
        for what, measured, target, verdict in self.rows:
            number, _, text = what.partition(" ")
            lines.append(f"| {number} | {text} | {measured} | {target} | {verdict} |")
        return "\n".join(lines)


def verdict(ok: bool) -> str:
    """Return the mark for a target met or missed."""
    return "met" if ok else "**missed**"


async def per_call(
    hass: HomeAssistant,
    calls: int,
    services: dict[str, Callable[[int], Awaitable[Any]]],
) -> dict[str, list[int]]:
    """Time `calls` rounds of each service, interleaved so they share conditions."""
    samples: dict[str, list[int]] = {name: [] for name in services}
    order = list(services.items())
    for index in range(calls):
        # Every other round backwards: no service always follows the same one.
        for name, call in order if index % 2 else reversed(order):
            start = time.perf_counter_ns()
            await call(index)
            samples[name].append(time.perf_counter_ns() - start)
    return samples


def call_service(
    hass: HomeAssistant, domain: str, service: str, data: Callable[[int], dict]
) -> Callable[[int], Awaitable[Any]]:
    """Return a blocking call of a service with data for call `index`."""

    async def _call(index: int) -> Any:
        return await hass.services.async_call(
            domain, service, data(index), blocking=True
        )

    return _call


@contextmanager
def loop_clock(hass: HomeAssistant):
    """Let the benchmark move the event loop's clock (and so Store's timers)."""
    loop = hass.loop
    real_time = loop.time
    offset = [0.0]
    loop.time = lambda: real_time() + offset[0]  # type: ignore[method-assign]
    try:
        yield offset
    finally:
        del loop.time


async def readings_at_one_per_minute(
    hass: HomeAssistant, counter: WriteCounter, readings: int
) -> None:
    """Feed the linked thermometer one new value a minute, moving the clock."""
    with loop_clock(hass) as offset:
        for index in range(readings):
            value = 36.5 + (index % 7) / 10
            hass.states.async_set(
                THERMOMETER, f"{value:.1f}", {"unit_of_measurement": "°C"}
            )
            await hass.async_block_till_done()
            offset[0] += 60
            await asyncio.sleep(0)
            await hass.async_block_till_done()
        # Every save still pending is a write that will happen.
        for _ in range(3):
            offset[0] += 24 * 3600
            await asyncio.sleep(0)
            await hass.async_block_till_done()


async def run(args: argparse.Namespace) -> str:
    """Run every scenario in a temporary folder; return the report."""
    work = Path(tempfile.mkdtemp(prefix="auto_home_bench_"))
    try:
        return await run_in(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def run_in(args: argparse.Namespace, work: Path) -> str:
    """Run every scenario with the config folders under `work`."""
    table = Table()
    counter = WriteCounter()
    notes: list[str] = []
    now = utc_now()

    print("writing the 2-year household's store files ...", flush=True)
    gen_start = time.perf_counter()
    large = write_household(
        work / "large", members=10, chores=300, years=2, now=now, thermometer=True
    )
    small = write_household(
        work / "small", members=1, chores=1, years=0, now=now, thermometer=False
    )
    print(f"  done in {time.perf_counter() - gen_start:.1f} s", flush=True)
    _, large_disk = store_files(work / "large")

    # -- small household: set-up, memory, per reading without history
    print("small household (1 member, 1 chore) ...", flush=True)
    async with real_hass(work / "small") as hass:
        base_rss, _ = rss_kib()
        reset_peak_rss()
        small_entry = household_entry(small)
        small_first, small_again = await setup_times(hass, small_entry, args.restarts)
        _, small_peak = rss_kib()
        small_samples = await per_call(
            hass,
            args.calls // 5,
            {
                "temperature": call_service(
                    hass,
                    DOMAIN,
                    "record_temperature",
                    lambda i: {
                        "member": member_name(1),
                        "temperature": 36.5 + (i % 7) / 10,
                    },
                )
            },
        )

    # -- large household
    print("large household (10 members, 300 chores, 2 years) ...", flush=True)
    async with real_hass(work / "large") as hass:
        empty_rss, _ = rss_kib()
        reset_peak_rss()
        entry = household_entry(large)
        with profiled("setup", args.profile):
            first, again = await setup_times(hass, entry, args.restarts)
        after_rss, peak_rss = rss_kib()
        entities = len(er.async_entries_for_config_entry(er.async_get(hass), ENTRY_ID))
        table.add(
            "1 entry set-up, 1 member + 1 chore",
            f"{ms(statistics.median(small_again))} as on a restart "
            f"(first ever: {ms(small_first)})",
        )
        table.add(
            "1 entry set-up, 10 members + 300 chores + 2 years of readings",
            f"{ms(statistics.median(again))} as on a restart, median of "
            f"{len(again)} (first ever, creating its {entities:,} entities: "
            f"{ms(first)})",
            "< 1 s",
            verdict(statistics.median(again) < 1e9),
        )
        table.add(
            "1 growth of the set-up",
            f"+{ms(statistics.median(again) - statistics.median(small_again))}",
        )
        coordinator = entry.runtime_data
        has_weight = hass.services.has_service(DOMAIN, "record_weight")

        # -- 4: store writes for 10,000 readings of a 1/min thermometer
        print(
            "store writes for a thermometer at 1/min (simulated clock) ...", flush=True
        )
        await hass.async_block_till_done()
        counter.reset()
        with profiled("writes", args.profile):
            await readings_at_one_per_minute(hass, counter, args.live_readings)
        writes = sum(counter.writes[k] for k in counter.writes if k != "other")
        written = sum(counter.bytes[k] for k in counter.bytes if k != "other")
        detail = ", ".join(
            f"{kind}: {counter.writes[kind]:,} ({size(counter.bytes[kind])})"
            for kind in sorted(counter.writes)
            if kind != "other"
        )
        table.add(
            f"4 store writes for {args.live_readings:,} thermometer readings at 1/min",
            f"{writes:,} writes, {size(written)} ({detail}); "
            f"{args.live_readings / max(writes, 1):,.0f}x fewer writes than readings",
            ">= 100x fewer",
            verdict(args.live_readings / max(writes, 1) >= 100),
        )
        # Event-loop cost of one write: Store builds and serialises the data in
        # the loop. (Serialising in the executor would not free the loop: orjson
        # holds the GIL for the whole call.)
        costs = []
        for build in (coordinator.temperature.as_dict, coordinator._household_data):  # noqa: SLF001
            start = time.perf_counter_ns()
            data = build()
            built = time.perf_counter_ns()
            prepare_save_json({"data": data})
            costs.append((built - start, time.perf_counter_ns() - built))
        (temp_build, temp_json), (house_build, house_json) = costs
        table.add(
            "4 event-loop time of one store write: build + serialise",
            f"temperature (each batch of readings): {us(temp_build)} + "
            f"{us(temp_json)}; household, 300 chores (each chore change): "
            f"{ms(house_build)} + {ms(house_json)}",
        )

        # -- 2: per-call event-loop time
        print(f"per call, {args.calls:,} rounds ...", flush=True)
        services: dict[str, Callable[[int], Awaitable[Any]]] = {
            "input_number": call_service(
                hass,
                "input_number",
                "set_value",
                lambda i: {"entity_id": "input_number.bench", "value": i},
            ),
            "temperature_1m": call_service(
                hass,
                DOMAIN,
                "record_temperature",
                lambda i: {
                    "member": member_name(1),
                    "temperature": 36.5 + (i % 7) / 10,
                },
            ),
            "temperature_0": call_service(
                hass,
                DOMAIN,
                "record_temperature",
                lambda i: {
                    "member": member_name(2),
                    "temperature": 36.5 + (i % 7) / 10,
                },
            ),
        }
        if has_weight:
            services["weight"] = call_service(
                hass,
                DOMAIN,
                "record_weight",
                lambda i: {"member": member_name(3), "weight": 70 + (i % 9) / 10},
            )
        counter.reset()
        with profiled("reading", args.profile):
            samples = await per_call(hass, args.calls, services)
        floor = statistics.median(samples["input_number"])
        table.add(
            "2 input_number.set_value (Home Assistant's floor)",
            f"median {us(floor)}, p99 {us(percentile(samples['input_number'], 0.99))}",
        )
        for name, label in (
            (
                "temperature_1m",
                f"record_temperature, member with {large.readings:,} readings",
            ),
            ("temperature_0", "record_temperature, member without readings"),
            ("weight", "record_weight (rate window full: 200 readings)"),
        ):
            if name not in samples:
                continue
            median = statistics.median(samples[name])
            table.add(
                f"2 {label}",
                f"median {us(median)}, p99 {us(percentile(samples[name], 0.99))}; "
                f"{median / floor:.1f}x the floor",
                "<= 3x",
                verdict(median / floor <= 3),
            )
        if not has_weight:
            notes.append(
                "record_weight: the service does not exist yet; weight rows skipped."
            )
            print("  record_weight: not available, skipped", flush=True)
        grow_0 = statistics.median(samples["temperature_0"])
        grow_1m = statistics.median(samples["temperature_1m"])
        small_median = statistics.median(small_samples["temperature"])
        first_k = statistics.median(samples["temperature_1m"][:1000])
        last_k = statistics.median(samples["temperature_1m"][-1000:])
        table.add(
            "2 growth with history: median per reading with 0 vs ~1M readings",
            f"{us(grow_0)} vs {us(grow_1m)} ({grow_1m / grow_0:.2f}x); "
            f"first vs last 1,000 calls {us(first_k)} vs {us(last_k)}; "
            f"1-member household {us(small_median)}",
            "no growth",
            verdict(grow_1m / grow_0 < 1.2 and last_k / first_k < 1.2),
        )

        # -- 3: completing a chore
        print("completing chores ...", flush=True)
        sensor = entity_id(hass, "sensor", f"{chore_id(1)}_next_due")
        todo = entity_id(hass, "todo", f"{ENTRY_ID}_chores")
        calendar = entity_id(hass, "calendar", f"{ENTRY_ID}_chores")
        before = {e: hass.states.get(e).last_updated for e in (sensor, todo, calendar)}
        await hass.services.async_call(
            DOMAIN, "skip_chore", {"chore": chore_name(1)}, blocking=True
        )
        await hass.async_block_till_done()
        before = {e: hass.states.get(e).last_reported for e in (sensor, todo, calendar)}
        await hass.services.async_call(
            DOMAIN, "complete_chore", {"chore": chore_name(1)}, blocking=True
        )
        updated = [
            e
            for e in (sensor, todo, calendar)
            if hass.states.get(e).last_reported != before[e]
        ]
        # The calendar is rewritten only when its first event changes.
        check(
            {sensor, todo} <= set(updated), f"not updated by the service call: {before}"
        )
        complete_samples: list[int] = []
        settled_samples: list[int] = []
        with profiled("chore", args.profile):
            for index in range(args.completions):
                name = chore_name(index % 300 + 1)
                if index >= 300:
                    # Make the chore completable again (a done chore is not counted twice).
                    await hass.services.async_call(
                        DOMAIN, "skip_chore", {"chore": name}, blocking=True
                    )
                    await hass.async_block_till_done()
                start = time.perf_counter_ns()
                await hass.services.async_call(
                    DOMAIN, "complete_chore", {"chore": name}, blocking=True
                )
                complete_samples.append(time.perf_counter_ns() - start)
                await hass.async_block_till_done()
                settled_samples.append(time.perf_counter_ns() - start)
        median = statistics.median(complete_samples)
        table.add(
            "3 complete_chore → sensor, todo and calendar updated (300 chores)",
            f"median {ms(median)}, p99 {ms(percentile(complete_samples, 0.99))}",
            "< 5 ms median",
            verdict(median < 5 * NS_PER_MS),
        )
        table.add(
            "3 … until everything it set off has run (reminder clean-up)",
            f"median {ms(statistics.median(settled_samples))}, "
            f"p99 {ms(percentile(settled_samples, 0.99))}",
        )

        # -- 6: calendar
        print("calendar query ...", flush=True)
        with profiled("calendar", args.profile):
            cal_samples, events = await year_of_events(
                hass, calendar, args.calendar_rounds
            )
        table.add(
            "6 calendar.get_events, 365 days across 300 chores",
            f"median {ms(statistics.median(cal_samples))} for {events:,} events",
        )

    # -- 5 memory, and the files
    table.add(
        "5 peak RSS after set-up minus an empty hass's",
        f"large: +{size((peak_rss - empty_rss) * 1024)} (after set-up +{size((after_rss - empty_rss) * 1024)}); "
        f"1 member + 1 chore: +{size(max(0, small_peak - base_rss) * 1024)}",
    )
    files, disk = store_files(work / "large")
    table.add(
        "4 on-disk size of the 2-year household",
        f"{size(large_disk)} in {large.files} files as generated "
        f"({large.readings:,} temperatures: {large.raw_months} raw months, "
        f"{large.hourly_buckets:,} hourly buckets; {large.weights:,} weights; "
        f"household store "
        f"{size((work / 'large/.storage' / f'{DOMAIN}.{ENTRY_ID}').stat().st_size)}); "
        f"{size(disk)} in {files} files after the run",
    )
    return report(table, notes)


def cpu_model() -> str:
    """Return the CPU's model name."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="ascii").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(table: Table, notes: list[str]) -> str:
    """Return the machine and the table as Markdown."""
    machine = (
        f"{platform.machine()}, {cpu_model()}, {os.cpu_count()} CPUs, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB; "
        f"Python {platform.python_version()}, Home Assistant {ha_version}"
    )
    lines = [f"Machine: {machine}", "", table.markdown()]
    lines += [f"\n{note}" for note in notes]
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--calls", type=int, default=10_000, help="calls per service")
    parser.add_argument("--completions", type=int, default=1_000)
    parser.add_argument(
        "--live-readings",
        type=int,
        default=LIVE_READINGS,
        help="thermometer readings at 1/min for the store-write count",
    )
    parser.add_argument("--calendar-rounds", type=int, default=5)
    parser.add_argument(
        "--restarts", type=int, default=3, help="set-ups after the first"
    )
    parser.add_argument(
        "--profile",
        choices=("setup", "writes", "reading", "chore", "calendar"),
        help="print a cProfile of one section (its numbers then include the profiler)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    result = asyncio.run(run(args), debug=False)
    print()
    print(result)
    print(f"\n(run took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
