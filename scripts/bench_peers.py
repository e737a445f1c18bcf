"""Auto Home beside Home Keeper, Chore Helper and ChoreOps, in one run.

Run with `scripts/bench --peers` (`--help` for the options). Each integration runs
in its own copy of the shared peer harness (`../shared/peers/`): the same pytest
harness and venv for all, debug mode off, logging at WARNING, Home Assistant's
`input_number.set_value` timed in the same run as the floor. One after the other:
Auto Home from this checkout's HEAD, then the peers from their git directories
(the public repositories, brought in with the search tool's fetch or `git clone`;
nothing of theirs is committed). Auto Home's copy gets `peer_chore_steps.py`, so
that its Add chore dialog is driven step by step. Prints one Markdown table, the
date and each one's commit, then the harness's raw PEER and FLOOR lines.
"""

# Only our own commands run here: git, tar and the venvs' python, on paths given.
# ruff: noqa: S603, S607

import argparse
from collections.abc import Callable
import dataclasses
from datetime import UTC, datetime
import os
from pathlib import Path
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
MIRROR = Path("/work/.mirror")
HARNESS_FILES = ("conftest.py", "pytest.ini", "test_peer_bench.py")
PLUGIN = Path(__file__).with_name("peer_chore_steps.py")
# What the peers' code needs beyond the project's venv (the shared README).
PEER_REQUIREMENTS = ("python-dateutil", "Babel")
ROWS = (
    ("setup", "cold set-up, 300 chores"),
    ("complete_1", "complete a chore, 1 chore, median"),
    ("complete_300", "complete a chore, 300 chores, median"),
    ("add_300", "add 300 chores the user's way"),
    ("floor", "floor `input_number.set_value`"),
    ("run", "harness run"),
)


@dataclasses.dataclass(frozen=True)
class Peer:
    """One integration in the harness: its folder there and where its code is."""

    key: str
    title: str
    git: Path | None  # None: this checkout


PEERS = (
    Peer("auto_home", "Auto Home", None),
    Peer("home_keeper", "Home Keeper", MIRROR / "prestomation+ha-home-keeper/repo"),
    Peer("chore_helper", "Chore Helper", MIRROR / "bmcclure+ha-chore-helper/repo"),
    Peer("choreops", "ChoreOps", MIRROR / "ccpk1+ChoreOps/repo"),
)


@dataclasses.dataclass
class Run:
    """One integration's harness run: how it ended and what it printed."""

    peer: Peer
    commit: str
    lines: list[str]
    seconds: float
    timed_out: bool = False
    returncode: int = 0
    log: Path | None = None


def duration(value_us: float) -> str:
    """Format microseconds the way the README's tables do."""
    if value_us < 1000:
        return f"{value_us:,.0f} µs"
    value_ms = value_us / 1000
    if value_ms < 10:
        return f"{value_ms:.2f} ms"
    if value_ms < 100:
        return f"{value_ms:.1f} ms"
    if value_ms < 10_000:
        return f"{value_ms:,.0f} ms"
    return f"{value_ms / 1000:,.1f} s"


def seconds(value_ms: float) -> str:
    """Format milliseconds as seconds, for the minutes-long figures."""
    value_s = value_ms / 1000
    return f"{value_s:.2f} s" if value_s < 10 else f"{value_s:,.1f} s"


class Figures:
    """The PEER and FLOOR lines of one run, looked up by pattern."""

    def __init__(self, lines: list[str]) -> None:
        """Keep the lines that carry figures."""
        self.lines = [line for line in lines if line.startswith(("PEER", "FLOOR"))]

    def find(self, pattern: str) -> re.Match[str] | None:
        """Return the first match of a pattern in the lines."""
        regex = re.compile(pattern)
        return next(
            (match for line in self.lines if (match := regex.search(line))), None
        )

    def number(self, pattern: str) -> float | None:
        """Return the first group of a pattern as a number, if it is there."""
        match = self.find(pattern)
        return float(match.group(1)) if match else None

    def flag(self, pattern: str) -> bool | None:
        """Return a `visible=True/False` a pattern ends on, if it is there."""
        match = self.find(pattern + r".*visible=(True|False)")
        return match.group(1) == "True" if match else None


def visible(flag: bool | None, hidden: str) -> str:
    """Say whether a completion showed in the call that made it."""
    if flag is None:
        return ""
    return ", visible at once" if flag else f", {hidden}"


def setup_cell(figures: Figures, pattern: str, what: str) -> str:
    """Return '582 ms (929 entities...)' from a set-up line."""
    match = figures.find(pattern + r": ([\d.]+) ms, (?:entities|sensors)=(\d+)")
    if not match:
        return ""
    count = int(match.group(2))
    return f"{duration(float(match.group(1)) * 1000)} ({count:,} {what})"


def auto_home(f: Figures) -> dict[str, str]:
    """Auto Home's cells."""
    one = f.number(r"complete_chore back-to-back at 1 chore: median (\d+) us")
    many = f.number(r"auto_home complete_chore back-to-back: median (\d+) us")
    cells = {
        "setup": setup_cell(
            f, r"auto_home setup 300 chores[^:]*", "entities, a device per chore"
        ),
        "complete_1": duration(one) if one is not None else "",
        "complete_300": "",
        "add_300": "",
    }
    if many is not None:
        cells["complete_300"] = duration(many) + visible(
            f.flag(r"auto_home one complete_chore"), "not visible in the call"
        )
        if one:
            cells["complete_300"] += f" ({many / one:.2f}x the 1-chore cost)"
    if (add := f.number(r"300 x Add chore[^:]*: ([\d.]+) ms")) is not None:
        cells["add_300"] = f"{seconds(add)} (the Add chore dialog, one by one)"
    return cells


def home_keeper(f: Figures) -> dict[str, str]:
    """Home Keeper's cells: with tasks on 30 devices (entities), and without."""
    setup = setup_cell(
        f, r"home_keeper setup 300 tasks on 30 devices", "entities, 30 devices"
    )
    bare = setup_cell(f, r"home_keeper setup 300 tasks \(no device\)", "entities")
    if bare:
        setup = f"{setup}; {bare.replace(' (', ' without devices (', 1)}"
    complete = ""
    if (
        back := f.number(r"home_keeper complete_task back-to-back: median (\d+)")
    ) is not None:
        complete = f"{duration(back)} back to back" + visible(
            f.flag(r"home_keeper right after the last back-to-back call"),
            "not visible until its 10 s refresh cooldown",
        )
    if (spaced := f.number(r"complete_task spaced out[^:]*: median (\d+)")) is not None:
        complete += f"; {duration(spaced)} spaced out" + visible(
            f.flag(r"home_keeper one complete_task after an idle period"),
            "not visible in the call",
        )
    adds = [
        f"{seconds(value)} ({what})"
        for pattern, what in (
            (r"300 x add_task: ([\d.]+) ms", "no devices"),
            (r"300 x add_task on 30 devices: ([\d.]+) ms", "30 devices"),
        )
        if (value := f.number(pattern)) is not None
    ]
    return {
        "setup": setup,
        "complete_1": "",
        "complete_300": complete.removeprefix("; "),
        "add_300": " / ".join(adds) + (" (its add_task service)" if adds else ""),
    }


def chore_helper(f: Figures) -> dict[str, str]:
    """Chore Helper's cells (its harness builds the entries without the flow)."""
    complete = ""
    if (median := f.number(r"chore_helper complete: median (\d+) us")) is not None:
        changed = f.find(
            r"after complete \(no poll yet\): last_completed (.*) -> (.*)$"
        )
        complete = duration(median) + visible(
            None if changed is None else changed.group(1) != changed.group(2),
            "visible at its next poll",
        )
    return {
        "setup": setup_cell(f, r"chore_helper setup 300 chores", "sensors"),
        "complete_1": "",
        "complete_300": complete,
        "add_300": "",
    }


def choreops(f: Figures) -> dict[str, str]:
    """ChoreOps' cells: completion is a claim of an auto-approved chore."""
    cells = {
        "setup": setup_cell(f, r"choreops setup 300 chores[^:]*", "entities"),
        "add_300": "",
    }
    for n in (1, 300):
        median = f.number(rf"choreops {n} chores: claim_chore[^:]*: median (\d+) us")
        cells[f"complete_{n}"] = (
            ""
            if median is None
            else duration(median)
            + visible(
                f.flag(rf"choreops {n} chores: state right after one claim_chore"),
                "not visible in the call",
            )
        )
    if (
        last := f.number(r"config flow final step[^,]*, 300 chores: ([\d.]+) ms")
    ) is not None:
        cells["add_300"] = f"{seconds(last)} (one config flow: its last step)"
    return cells


CELLS: dict[str, Callable[[Figures], dict[str, str]]] = {
    "auto_home": auto_home,
    "home_keeper": home_keeper,
    "chore_helper": chore_helper,
    "choreops": choreops,
}


def outcome(run: Run) -> str:
    """Say how a harness run ended."""
    took = f"{run.seconds:,.0f} s"
    if run.timed_out:
        return f"**timed out** after {took}"
    summary = next(
        (
            line.strip("= ")
            for line in reversed(run.lines)
            if re.search(r"\d+ (passed|failed|error)", line)
        ),
        "",
    )
    if run.returncode == 0:
        return f"passed in {took}"
    return f"**failed** ({summary or f'exit {run.returncode}'})"


def cells(run: Run) -> dict[str, str]:
    """Return one column of the table."""
    figures = Figures(run.lines)
    column = CELLS[run.peer.key](figures)
    floor = figures.number(r"FLOOR input_number.set_value: median (\d+) us")
    column["floor"] = duration(floor) if floor is not None else ""
    column["run"] = outcome(run)
    return column


def table(runs: list[Run]) -> str:
    """Return the side-by-side Markdown table of the runs."""
    columns = [cells(run) for run in runs]
    out = [
        "| figure | " + " | ".join(run.peer.title for run in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    out.extend(
        f"| {label} | " + " | ".join(column[key] for column in columns) + " |"
        for key, label in ROWS
    )
    return "\n".join(out)


def report(runs: list[Run], when: datetime, calls: int, choreops_calls: int) -> str:
    """Return the table with its date and commits, then the raw lines."""
    commits = ", ".join(f"{run.peer.title} at {run.commit[:7]}" for run in runs)
    out = [
        f"Side by side, one run, {when:%Y-%m-%d %H:%M} UTC ({calls:,} timed calls; "
        f"ChoreOps {choreops_calls:,}). {commits}.",
        "",
        table(runs),
    ]
    for run in runs:
        out.extend(("", f"== {run.peer.key} {run.commit} (log: {run.log})"))
        out.extend(
            line
            for line in run.lines
            if line.startswith(("PEER", "FLOOR", "FAILED", "ERROR"))
        )
    return "\n".join(out)


def ensure_venv(venv: Path) -> None:
    """Make the peers' venv as the shared README says, if it is not there yet."""
    python = venv / "bin" / "python"
    if python.exists():
        return
    project_python = ROOT / ".venv" / "bin" / "python"
    print(f"making {venv} (the project's venv plus the peers' needs)", file=sys.stderr)
    subprocess.run([project_python, "-m", "venv", "--without-pip", venv], check=True)
    site = subprocess.run(
        [
            project_python,
            "-c",
            "import sysconfig; print(sysconfig.get_path('purelib'))",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    peer_site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(peer_site, "_project.pth").write_text(site + "\n", encoding="utf-8")
    subprocess.run(
        [
            project_python,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            *PEER_REQUIREMENTS,
        ],
        check=True,
    )


def git(git_dir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run git on a git directory (bare mirror or clone)."""
    return subprocess.run(
        ["git", "-C", str(git_dir), *args], check=True, capture_output=True
    )


def run_peer(
    peer: Peer,
    *,
    git_dir: Path,
    harness: Path,
    venv: Path,
    calls: int,
    timeout: float,
    logs: Path,
) -> Run:
    """Run one integration's harness from its git HEAD, in a temp dir."""
    commit = git(git_dir, "rev-parse", "HEAD").stdout.decode().strip()
    log = logs / f"{peer.key}.log"
    with tempfile.TemporaryDirectory(prefix=f"peer-{peer.key}-") as tmp:
        archive = git(git_dir, "archive", "HEAD", "custom_components").stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        for name in HARNESS_FILES:
            shutil.copy(harness / peer.key / name, tmp)
        args = ["-m", "pytest", "-q", "-s", "-p", "no:cacheprovider"]
        if peer.git is None:
            shutil.copy(PLUGIN, tmp)
            args += ["-p", PLUGIN.stem]
        env = os.environ | {"PEER_CALLS": str(calls), "PYTHONUNBUFFERED": "1"}
        start = time.monotonic()
        with log.open("w", encoding="utf-8") as out:
            # Its own session, so that a timeout ends the run and all it started.
            proc = subprocess.Popen(
                [venv / "bin" / "python", *args, "test_peer_bench.py"],
                cwd=tmp,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            timed_out = False
            try:
                returncode = proc.wait(timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    returncode = proc.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    returncode = proc.wait()
        took = time.monotonic() - start
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    return Run(peer, commit, lines, took, timed_out, returncode, log)


def main() -> None:
    """Run the harness for each integration, one after the other."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--harness", type=Path, default=ROOT.parent / "shared" / "peers"
    )
    parser.add_argument("--venv", type=Path, default=ROOT.parent / "peervenv")
    for peer in PEERS[1:]:
        parser.add_argument(
            f"--{peer.key.replace('_', '-')}",
            type=Path,
            default=peer.git,
            metavar="GIT_DIR",
            help=f"{peer.title}'s git directory (default {peer.git})",
        )
    parser.add_argument(
        "--calls", type=int, default=2000, help="timed calls (PEER_CALLS)"
    )
    parser.add_argument(
        "--choreops-calls", type=int, default=200, help="ChoreOps' timed calls (slow)"
    )
    parser.add_argument(
        "--timeout", type=float, default=2400, help="seconds allowed for each one's run"
    )
    parser.add_argument(
        "--only", help="comma-separated subset, e.g. auto_home,chore_helper"
    )
    parser.add_argument("--logs", type=Path, help="keep each run's full log here")
    args = parser.parse_args()
    chosen = set(args.only.split(",")) if args.only else {peer.key for peer in PEERS}
    if unknown := chosen - {peer.key for peer in PEERS}:
        parser.error(f"unknown in --only: {', '.join(sorted(unknown))}")
    peers = [peer for peer in PEERS if peer.key in chosen]
    git_dirs = {
        peer.key: getattr(args, peer.key) if peer.git else ROOT for peer in peers
    }
    if missing := [str(path) for path in git_dirs.values() if not path.exists()]:
        parser.error(
            f"no git directory at {', '.join(missing)}: bring the public repositories in "
            "with the search tool's fetch or `git clone` (see the README)"
        )
    if not (args.harness / "auto_home" / "test_peer_bench.py").exists():
        parser.error(f"no peer harness at {args.harness}")
    ensure_venv(args.venv)
    logs = args.logs or Path(tempfile.mkdtemp(prefix="bench-peers-"))
    logs.mkdir(parents=True, exist_ok=True)
    when = datetime.now(UTC)
    runs = []
    for peer in peers:
        calls = args.choreops_calls if peer.key == "choreops" else args.calls
        print(
            f"{peer.key}: running ({calls} calls, up to {args.timeout:,.0f} s)",
            file=sys.stderr,
        )
        run = run_peer(
            peer,
            git_dir=git_dirs[peer.key],
            harness=args.harness,
            venv=args.venv,
            calls=calls,
            timeout=args.timeout,
            logs=logs,
        )
        print(f"{peer.key}: {outcome(run)}", file=sys.stderr)
        runs.append(run)
    print(report(runs, when, args.calls, args.choreops_calls))


if __name__ == "__main__":
    main()
