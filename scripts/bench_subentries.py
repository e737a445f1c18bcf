"""What adding, changing and deleting members and chores costs a running household.

Run with `scripts/bench --subentries`. Every chore goes through the chore
subentry flow as a user adds it in Settings (both steps), in a real hass of the
test harness with debug mode off (see bench_auto_home.py). Prints a Markdown table.
"""

import argparse
import asyncio
import gc
from pathlib import Path
import statistics
import tempfile
import time
from typing import Any

from bench_auto_home import Table, check, ms, real_hass, report, verdict
from homeassistant.config_entries import SOURCE_USER
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.auto_home.const import DOMAIN

ENTRY_ID = "01BENCHSUBENTRIES000000000"


async def add_chore(hass: HomeAssistant, entry_id: str, name: str) -> None:
    """Add a daily chore through the subentry flow, as the form does."""
    result = await hass.config_entries.subentries.async_init(
        (entry_id, "chore"), context={"source": SOURCE_USER}
    )
    result = await hass.config_entries.subentries.async_configure(
        result["flow_id"],
        {
            "name": name,
            "recurrence": "daily",
            "start_date": "2026-11-23",
            "assignees": ["member_mia"],
        },
    )
    if result["type"] is FlowResultType.FORM:
        # The rule's own step (0.2); 0.1 asked everything on one form.
        result = await hass.config_entries.subentries.async_configure(
            result["flow_id"], {"interval": 1}
        )
    check(result["type"] is FlowResultType.CREATE_ENTRY, result)
    await hass.async_block_till_done()


async def timed(coro: Any) -> int:
    gc.collect()
    start = time.perf_counter_ns()
    await coro
    return time.perf_counter_ns() - start


async def run(args: argparse.Namespace) -> str:
    table = Table()
    with tempfile.TemporaryDirectory() as work:
        async with real_hass(Path(work)) as hass:
            entry = MockConfigEntry(
                domain=DOMAIN,
                title="Home",
                data={},
                entry_id=ENTRY_ID,
                subentries_data=[
                    {
                        "subentry_type": "member",
                        "title": "Mia",
                        "data": {},
                        "subentry_id": "member_mia",
                        "unique_id": None,
                    }
                ],
            )
            entry.add_to_hass(hass)
            check(await hass.config_entries.async_setup(entry.entry_id))
            await hass.async_block_till_done()

            start = time.perf_counter_ns()
            for number in range(1, args.chores + 1):
                await add_chore(hass, entry.entry_id, f"Chore {number}")
            total = time.perf_counter_ns() - start
            check(len(entry.subentries) == args.chores + 1)
            table.add(
                f"S1 {args.chores} chores added through the chore flow, one by one",
                f"{total / 1e9:.2f} s ({ms(total / args.chores)} each)",
                "<= 5 s",
                verdict(total <= 5e9),
            )

            samples = [
                await timed(add_chore(hass, entry.entry_id, f"Extra {number}"))
                for number in range(args.rounds)
            ]
            table.add(
                f"S2 adding chore {args.chores + 1} to a {args.chores}-chore household",
                f"median {ms(statistics.median(samples))} of {args.rounds} "
                f"(first {ms(samples[0])})",
                "<= 30 ms",
                verdict(statistics.median(samples) <= 30e6),
            )

            chore_id = next(
                subentry_id
                for subentry_id, subentry in entry.subentries.items()
                if subentry.title == "Chore 1"
            )

            async def _change(hour: int) -> None:
                subentry = entry.subentries[chore_id]
                hass.config_entries.async_update_subentry(
                    entry,
                    subentry,
                    data=dict(subentry.data) | {"due_time": f"{hour:02}:00:00"},
                )
                await hass.async_block_till_done()

            samples = [
                await timed(_change(8 + number % 10)) for number in range(args.rounds)
            ]
            table.add(
                "S3 changing one chore's due time",
                f"median {ms(statistics.median(samples))} of {args.rounds}",
            )

            async def _remove(number: int) -> None:
                subentry_id = next(
                    subentry_id
                    for subentry_id, subentry in entry.subentries.items()
                    if subentry.title == f"Extra {number}"
                )
                hass.config_entries.async_remove_subentry(entry, subentry_id)
                await hass.async_block_till_done()

            samples = [await timed(_remove(number)) for number in range(args.rounds)]
            table.add(
                "S4 deleting one chore",
                f"median {ms(statistics.median(samples))} of {args.rounds}",
            )
            entities = len(
                er.async_entries_for_config_entry(er.async_get(hass), ENTRY_ID)
            )
            reload = await timed(hass.config_entries.async_reload(entry.entry_id))
            table.add(
                "S5 for comparison: one reload of that household (what 0.1 did per edit)",
                f"{ms(reload)} ({entities:,} entities)",
            )
    return report(table, [])


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chores", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    started = time.perf_counter()
    result = asyncio.run(run(args), debug=False)
    print()
    print(result)
    print(f"\n(run took {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
