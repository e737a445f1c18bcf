"""The side-by-side report: figures read from the peer harness's lines."""

from importlib.util import module_from_spec, spec_from_file_location
from pathlib import Path
import sys

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "bench_peers.py"
_spec = spec_from_file_location("bench_peers", SCRIPT)
assert _spec
assert _spec.loader
bench_peers = module_from_spec(_spec)
sys.modules["bench_peers"] = bench_peers
_spec.loader.exec_module(bench_peers)

AUTO_HOME = [
    "PEER auto_home config flow (create entry + first set-up): 20.1 ms; 300 x Add chore"
    " (subentry flow, each reloads the household): 2180.0 ms; entities=931",
    "PEER auto_home setup 300 chores (2 members, a device per chore): 582.3 ms,"
    " entities=929 {'sensor': 320}",
    "PEER auto_home complete_chore back-to-back at 1 chore: median 2630 us, p99 4000 us",
    "PEER auto_home one complete_chore (4100 us), no poll: sensor a -> b; visible=True",
    "PEER auto_home complete_chore back-to-back: median 3830 us, p99 6000 us over 2000",
    "FLOOR input_number.set_value: median 111 us, p99 300 us; ratio 34.5x",
    "5 passed in 95.20s",
]
HOME_KEEPER = [
    "PEER home_keeper config flow (create entry + first set-up): 9.0 ms; 300 x add_task:"
    " 690.0 ms; entities=4",
    "PEER home_keeper config flow (create entry + first set-up): 9.0 ms; 300 x add_task"
    " on 30 devices: 40800.0 ms; entities=904",
    "PEER home_keeper setup 300 tasks (no device): 36.0 ms, entities=2 {'todo': 1}",
    "PEER home_keeper setup 300 tasks on 30 devices: 313.0 ms, entities=902 {}",
    "PEER home_keeper one complete_task after an idle period, no poll: x; visible=True",
    "PEER home_keeper complete_task spaced out (immediate refresh), 50 calls: median"
    " 39200 us, max 50000 us",
    "PEER home_keeper (no device) complete_task back-to-back: median 999 us, p99 1 us",
    "PEER home_keeper complete_task back-to-back: median 6150 us, p99 9000 us over 2000",
    "PEER home_keeper right after the last back-to-back call, no poll: {}; visible=False",
    "FLOOR input_number.set_value: median 107 us, p99 300 us; ratio 57.5x",
]
CHORE_HELPER = [
    "PEER chore_helper setup 300 chores: 289.0 ms, sensors=300",
    "PEER chore_helper state after complete (no poll yet): last_completed None -> None",
    "PEER chore_helper complete: median 26 us, p99 40 us",
]
CHOREOPS = [
    "PEER choreops config flow final step (create entry + first set-up), 300 chores:"
    " 1330.0 ms, entities=1253",
    "PEER choreops setup 300 chores (3 assignees + 1 approver): 2000.0 ms, entities=1253",
    "PEER choreops 1 chores: state right after one claim_chore, no poll: a -> b;"
    " visible=True",
    "PEER choreops 1 chores: claim_chore (auto-approve = completion): median 24000 us,"
    " p99 30000 us over 200 calls after 100 warm-up (9 s wall)",
]


def _run(key: str, lines: list[str], **kwargs: object) -> object:
    peer = next(peer for peer in bench_peers.PEERS if peer.key == key)
    return bench_peers.Run(peer, "0123456789abcdef", lines, 95.2, **kwargs)


def test_each_peer_column() -> None:
    columns = [
        bench_peers.cells(_run("auto_home", AUTO_HOME)),
        bench_peers.cells(_run("home_keeper", HOME_KEEPER)),
        bench_peers.cells(_run("chore_helper", CHORE_HELPER, returncode=1)),
        bench_peers.cells(_run("choreops", CHOREOPS, timed_out=True, returncode=-15)),
    ]
    auto_home, home_keeper, chore_helper, choreops = columns
    assert auto_home == {
        "setup": "582 ms (929 entities, a device per chore)",
        "complete_1": "2.63 ms",
        "complete_300": "3.83 ms, visible at once (1.46x the 1-chore cost)",
        "add_300": "2.18 s (the Add chore dialog, one by one)",
        "floor": "111 µs",
        "run": "passed in 95 s",
    }
    assert home_keeper["setup"] == (
        "313 ms (902 entities, 30 devices); 36.0 ms without devices (2 entities)"
    )
    assert home_keeper["complete_300"] == (
        "6.15 ms back to back, not visible until its 10 s refresh cooldown;"
        " 39.2 ms spaced out, visible at once"
    )
    assert home_keeper["add_300"] == (
        "0.69 s (no devices) / 40.8 s (30 devices) (its add_task service)"
    )
    assert chore_helper["complete_300"] == "26 µs, visible at its next poll"
    assert chore_helper["run"] == "**failed** (exit 1)"
    # A run cut short keeps what it printed and says so.
    assert choreops["complete_1"] == "24.0 ms, visible at once"
    assert choreops["complete_300"] == ""
    assert choreops["setup"] == "2,000 ms (1,253 entities)"
    assert choreops["add_300"] == "1.33 s (one config flow: its last step)"
    assert choreops["run"] == "**timed out** after 95 s"


def test_report_has_the_table_then_the_raw_lines() -> None:
    runs = [_run("auto_home", AUTO_HOME), _run("chore_helper", CHORE_HELPER)]
    text = bench_peers.report(runs, bench_peers.datetime(2026, 12, 3, 15, 0), 2000, 200)
    lines = text.splitlines()
    assert lines[0].startswith("Side by side, one run, 2026-12-03 15:00 UTC")
    assert "Auto Home at 0123456, Chore Helper at 0123456." in lines[0]
    assert lines[2] == "| figure | Auto Home | Chore Helper |"
    assert "| complete a chore, 300 chores, median | 3.83 ms" in text
    assert lines.index("== chore_helper 0123456789abcdef (log: None)") > lines.index(
        "| harness run | passed in 95 s | passed in 95 s |"
    )
    assert "5 passed in 95.20s" not in text
    assert lines[-1] == "PEER chore_helper complete: median 26 us, p99 40 us"
