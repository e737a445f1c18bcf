"""What the household card's subscription costs: snapshot size and build, delta latency.

Run with `scripts/bench --card`. The stress household of `scripts/bench` (10
members, 300 chores, two years of readings, one thermometer at 1/min) on a
real Home Assistant from the test harness, debug mode and DEBUG logging off.
Every member gets an open fever episode (member 1's with a reading every
minute for six hours), so the snapshot carries ten charts.
Measured server side: the bytes of the snapshot event as the websocket sends
it (and gzipped, as a proxy or the browser's permessage-deflate may send it),
the time to build it, and the time from a service call to its delta being
handed to the connection.
"""

import argparse
import asyncio
from datetime import timedelta
import gzip
from pathlib import Path
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_auto_home import (  # noqa: E402
    check,
    household_entry,
    ms,
    percentile,
    real_hass,
    us,
)
from bench_household import (  # noqa: E402
    member_name,
    utc_now,
    write_household,
)
from homeassistant.components.websocket_api.messages import (  # noqa: E402
    event_message,
)
from homeassistant.helpers.json import json_bytes  # noqa: E402
from homeassistant.util import dt as dt_util  # noqa: E402

from custom_components.auto_home.card_feed import CardFeed, chores_section  # noqa: E402
from custom_components.auto_home.const import DOMAIN  # noqa: E402
from custom_components.auto_home.views import HouseholdView  # noqa: E402


class Capture:
    """Stands for the connection: keeps each event's bytes and when it came."""

    def __init__(self) -> None:
        """Initialize with nothing received."""
        self.events: list[tuple[int, bytes]] = []
        self.arrived = asyncio.Event()

    def send(self, payload: dict[str, Any]) -> None:
        """Encode as the websocket does, and note the time."""
        self.events.append(
            (time.perf_counter_ns(), json_bytes(event_message(1, payload)))
        )
        self.arrived.set()


async def _fever(hass: Any, members: int) -> None:
    """Open an episode for every member; six hours at 1/min for member 1."""
    start = utc_now() - timedelta(hours=6)
    for minute in range(360):
        await hass.services.async_call(
            DOMAIN,
            "record_temperature",
            {
                "member": member_name(1),
                "temperature": 38.2 + (minute % 30) / 30,
                "measured_at": start + timedelta(minutes=minute),
            },
            blocking=True,
        )
    for index in range(2, members + 1):
        await hass.services.async_call(
            DOMAIN,
            "record_temperature",
            {"member": member_name(index), "temperature": 38.6},
            blocking=True,
        )
    await hass.async_block_till_done()


async def run(args: argparse.Namespace) -> str:
    """Measure in a temporary folder; return the Markdown report."""
    work = Path(tempfile.mkdtemp(prefix="auto_home_card_bench_"))
    try:
        return await _run_in(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


async def _run_in(args: argparse.Namespace, work: Path) -> str:
    print("writing the 2-year household's store files ...", flush=True)
    household = write_household(
        work, members=10, chores=300, years=2, now=utc_now(), thermometer=True
    )
    async with real_hass(work) as hass:
        entry = household_entry(household)
        entry.add_to_hass(hass)
        check(await hass.config_entries.async_setup(entry.entry_id))
        await hass.async_block_till_done()
        await _fever(hass, 10)
        coordinator = entry.runtime_data
        admin = await hass.auth.async_create_user("Bench", group_ids=["system-admin"])

        # Snapshots: the first loads the episode's months, later ones do not.
        builds: list[int] = []
        first = 0
        snapshot = b""
        for round_ in range(args.snapshots + 1):
            capture = Capture()
            feed = CardFeed(coordinator, admin, capture.send)
            start = time.perf_counter_ns()
            await feed.async_start()
            took = capture.events[0][0] - start
            if round_ == 0:
                first = took
                snapshot = capture.events[0][1]
            else:
                builds.append(took)
            feed.close()

        # Deltas: one feed open, chores completed and readings recorded.
        capture = Capture()
        feed = CardFeed(coordinator, admin, capture.send)
        await feed.async_start()
        latencies: dict[str, list[int]] = {"completion": [], "reading": []}
        sizes: dict[str, list[int]] = {"completion": [], "reading": []}
        # What the card lists (today's and overdue) is what a family ticks.
        listed = [
            chore_id
            for chore_id, chore in chores_section(
                HouseholdView(coordinator), dt_util.utcnow()
            )[0].items()
            if chore["status"] != "done"
        ]
        sections = []
        for _ in range(20):
            start = time.perf_counter_ns()
            chores_section(HouseholdView(coordinator), dt_util.utcnow())
            sections.append(time.perf_counter_ns() - start)
        services = []
        # When the household's state changed: the delta's own latency runs from there.
        changed_at: list[int] = []
        coordinator.async_add_change_listener(
            lambda keys: changed_at.append(time.perf_counter_ns()) if keys else None
        )
        own: dict[str, list[int]] = {"completion": [], "reading": []}
        for index in range(min(args.deltas, len(listed))):
            for kind, service, data in (
                ("completion", "complete_chore", {"chore": listed[index]}),
                (
                    "reading",
                    "record_temperature",
                    {"member": member_name(index % 9 + 2), "temperature": 38.7},
                ),
            ):
                capture.events.clear()
                capture.arrived.clear()
                changed_at.clear()
                start = time.perf_counter_ns()
                await hass.services.async_call(DOMAIN, service, data, blocking=True)
                if kind == "completion":
                    services.append(time.perf_counter_ns() - start)
                await asyncio.wait_for(capture.arrived.wait(), 5)
                latencies[kind].append(capture.events[0][0] - start)
                own[kind].append(capture.events[0][0] - changed_at[0])
                sizes[kind].append(len(capture.events[0][1]))
                await hass.async_block_till_done()
                check(len(capture.events) == 1, f"{kind}: {len(capture.events)} deltas")
        feed.close()

    rows = [
        ("snapshot size", f"{len(snapshot):,} bytes", "<= 64 KB"),
        ("snapshot size, gzipped", f"{len(gzip.compress(snapshot)):,} bytes", ""),
        (
            "snapshot build",
            f"{ms(statistics.median(builds))} median of {len(builds)} "
            f"(first, loading the episodes' months: {ms(first)})",
            "",
        ),
    ]
    rows.append(
        (
            "of a completion's: the service call itself",
            f"{us(statistics.median(services))} median",
            "",
        )
    )
    rows.append(
        (
            "of a completion's: rebuilding the 300 chores' section",
            f"{us(statistics.median(sections))} median",
            "",
        )
    )
    for kind, samples in own.items():
        rows.append(
            (
                f"{kind}: state changed -> its delta handed to the socket",
                f"{us(statistics.median(samples))} median, "
                f"{us(percentile(samples, 0.95))} p95 of {len(samples)}",
                "<= 50 ms" if kind == "completion" else "",
            )
        )
    for kind, samples in latencies.items():
        rows.append(
            (
                f"{kind}: service called -> its one delta handed to the socket",
                f"{us(statistics.median(samples))} median, "
                f"{us(percentile(samples, 0.95))} p95 of {len(samples)}; "
                f"{int(statistics.median(sizes[kind])):,} bytes",
                "",
            )
        )
    lines = ["| measure | result | target |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {target} |" for name, value, target in rows]
    return "\n".join(lines)


def main() -> None:
    """Run the card benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--snapshots", type=int, default=20)
    parser.add_argument("--deltas", type=int, default=100)
    print(asyncio.run(run(parser.parse_args())))


if __name__ == "__main__":
    main()
