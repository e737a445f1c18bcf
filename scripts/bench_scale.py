"""Household scale: does a chore's change cost the same with 1 chore or 300?

Run with `scripts/bench --scale` (`--help` for the options). Two members and
1 or 300 chores (the benchmark household's mix of rules, a month behind them),
each in a fresh Home Assistant from the test harness with asyncio debug mode
off and logging at WARNING. Prints one Markdown table: set-up as on a restart,
a completion (median, the entities it writes), `calendar.get_events` over 365
days beside Home Assistant's own cost for the same number of events, and
`input_number.set_value` as the floor, all measured in the same run.
"""

import argparse
import asyncio
from collections import Counter
import dataclasses
from pathlib import Path
import statistics
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_auto_home import (  # noqa: E402
    ENTRY_ID,
    call_service,
    check,
    entity_id,
    household_entry,
    ms,
    per_call,
    profiled,
    real_hass,
    setup_times,
    us,
    year_of_events,
)
from bench_household import chore_id, chore_name, utc_now, write_household  # noqa: E402
from homeassistant.components.calendar import CalendarEvent  # noqa: E402
from homeassistant.components.calendar.const import (  # noqa: E402
    LIST_EVENT_FIELDS,
)
from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED  # noqa: E402
from homeassistant.core import Event, HomeAssistant, callback  # noqa: E402
from homeassistant.helpers import entity_registry as er  # noqa: E402
from homeassistant.util import dt as dt_util  # noqa: E402

from custom_components.auto_home.const import DOMAIN  # noqa: E402
from custom_components.auto_home.domain.chore import ChoreStatus  # noqa: E402


def list_events_dict_factory(obj):  # type: ignore[no-untyped-def]
    """What the calendar's get_events service makes of each event."""
    return {k: v for k, v in obj if k in LIST_EVENT_FIELDS and v is not None}


def events_floor(count: int) -> int:
    """Return Home Assistant's own nanoseconds for `count` events of get_events.

    Building each CalendarEvent (it validates itself) and turning it into the
    service's answer, as calendar.get_events does; no integration code.
    """
    start = dt_util.now().replace(microsecond=0)
    began = time.perf_counter_ns()
    events = [
        CalendarEvent(
            start=start,
            end=start,
            summary="Chore 001",
            description="Mia is on.\n\nBenchmark chore 1",
            uid=f"chore_001_{index}",
        )
        for index in range(count)
    ]
    [
        dataclasses.asdict(event, dict_factory=list_events_dict_factory)
        for event in events
    ]
    return time.perf_counter_ns() - began


async def completions(
    hass: HomeAssistant, chores: int, count: int, profile: str | None
) -> tuple[list[int], Counter[str]]:
    """Time `count` completions; return them and the entities each wrote."""
    written: Counter[str] = Counter()
    timing = [False]

    @callback
    def _written(event: Event) -> None:
        if timing[0]:
            written[event.data["entity_id"]] += 1

    @callback
    def _every(_: object) -> bool:
        return True

    # A write with nothing new is reported, not changed: both count.
    hass.bus.async_listen(EVENT_STATE_CHANGED, _written)
    hass.bus.async_listen(EVENT_STATE_REPORTED, _written, event_filter=_every)
    feature = hass.config_entries.async_get_entry(ENTRY_ID).runtime_data.chores
    samples: list[int] = []
    with profiled("chore", profile):
        for index in range(count):
            number = index % chores + 1
            # A done chore is not counted twice: skip to its next occurrence first.
            if feature.chores[chore_id(number)].status(dt_util.utcnow()) is (
                ChoreStatus.DONE
            ):
                await hass.services.async_call(
                    DOMAIN, "skip_chore", {"chore": chore_name(number)}, blocking=True
                )
            await hass.async_block_till_done()
            timing[0] = True
            start = time.perf_counter_ns()
            await hass.services.async_call(
                DOMAIN, "complete_chore", {"chore": chore_name(number)}, blocking=True
            )
            samples.append(time.perf_counter_ns() - start)
            await hass.async_block_till_done()
            timing[0] = False
    return samples, written


async def household(
    args: argparse.Namespace, work: Path, chores: int
) -> dict[str, object]:
    """Measure one household of 2 members and `chores` chores."""
    config = work / f"chores_{chores}"
    written = write_household(
        config, members=2, chores=chores, years=1 / 12, now=utc_now(), thermometer=False
    )
    async with real_hass(config) as hass:
        entry = household_entry(written)
        with profiled("setup", args.profile):
            first, again = await setup_times(hass, entry, args.restarts)
        entities = len(er.async_entries_for_config_entry(er.async_get(hass), ENTRY_ID))
        floor = statistics.median(
            (
                await per_call(
                    hass,
                    args.calls,
                    {
                        "floor": call_service(
                            hass,
                            "input_number",
                            "set_value",
                            lambda i: {"entity_id": "input_number.bench", "value": i},
                        )
                    },
                )
            )["floor"]
        )
        samples, wrote = await completions(hass, chores, args.completions, args.profile)
        result: dict[str, object] = {
            "setup": statistics.median(again),
            "first": first,
            "entities": entities,
            "floor": floor,
            "complete": statistics.median(samples),
            "writes": sum(wrote.values()) / len(samples),
            "written": wrote,
        }
        if chores > 1:
            calendar = entity_id(hass, "calendar", f"{ENTRY_ID}_chores")
            with profiled("calendar", args.profile):
                rounds, events = await year_of_events(
                    hass, calendar, args.calendar_rounds
                )
            result["calendar"] = statistics.median(rounds)
            result["events"] = events
            result["events_floor"] = statistics.median(
                events_floor(events) for _ in range(args.calendar_rounds)
            )
    return result


async def run(args: argparse.Namespace) -> str:
    """Measure the households; return the table."""
    with tempfile.TemporaryDirectory(prefix="auto_home_scale_") as folder:
        one = await household(args, Path(folder), 1)
        many = await household(args, Path(folder), args.chores)
    check(one["writes"] and many["writes"], "a completion wrote nothing")
    growth = many["complete"] / one["complete"]
    per_domain: Counter[str] = Counter()
    for entity, times in many["written"].items():  # type: ignore[attr-defined]
        per_domain[entity.split(".")[0]] += times
    kinds = ", ".join(
        f"{domain} {times / args.completions:.1f}"
        for domain, times in sorted(per_domain.items())
    )
    lines = [
        f"| what | 1 chore | {args.chores} chores | target |",
        "|---|---|---|---|",
        f"| set-up as on a restart (median of {args.restarts}) | {ms(one['setup'])} | "
        f"{ms(many['setup'])}, {many['entities']:,} entities (first ever "
        f"{ms(many['first'])}) | ≤ 100 ms |",
        f"| `complete_chore`, median of {args.completions}, visible in the call | "
        f"{ms(one['complete'])} | {ms(many['complete'])} ({growth:.2f}x) | "
        "≤ 1.0 ms, ≤ 1.5x |",
        f"| entities written per completion | {one['writes']:.1f} | "
        f"{many['writes']:.1f} ({kinds}) | only what changed |",
        f"| `input_number.set_value` (floor) | {us(one['floor'])} | "
        f"{us(many['floor'])} | |",
    ]
    if "calendar" in many:  # a one-chore run (`--chores 1`) has no calendar row
        lines.insert(
            -1,
            f"| `calendar.get_events`, 365 days | | {ms(many['calendar'])} for "
            f"{many['events']:,} events; Home Assistant's own cost for as many "
            f"{ms(many['events_floor'])} | ≤ 300 ms |",
        )
    return "\n".join(lines)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chores", type=int, default=300)
    parser.add_argument("--completions", type=int, default=600)
    parser.add_argument("--calls", type=int, default=2000, help="floor calls")
    parser.add_argument("--restarts", type=int, default=5)
    parser.add_argument("--calendar-rounds", type=int, default=3)
    parser.add_argument(
        "--profile",
        choices=("setup", "chore", "calendar"),
        help="print a cProfile of one section (its numbers then include the profiler)",
    )
    args = parser.parse_args()
    print(asyncio.run(run(args), debug=False))


if __name__ == "__main__":
    main()
