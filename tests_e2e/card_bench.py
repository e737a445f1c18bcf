"""How fast the household card draws a large household, in headless Chromium.

Run by scripts/bench_card. The card gets a snapshot of 10 members (each with an
open fever episode and 90 days of weight) and 300 chores due today, as
`auto_home/subscribe` would send it, from a stand-in connection; then one
completion as a delta. Timed in the page from creating the element until its
layout is done (what the first frame waits for). Prints a Markdown table.
"""

import argparse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
import json
from pathlib import Path
import statistics
import sys
import tempfile
import threading
from typing import Any

from harness import ROOT, Browser

BUNDLE = ROOT / "custom_components/auto_home/frontend/auto-home-card.js"
NOW = 1_764_760_000
SITES = ["oral", "ear", "forehead", "axillary", "rectal"]

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<script type="module" src="/card.js"></script></head><body><script>
// A stand-in for the frontend's connection: the snapshot at once, deltas on demand.
window.fakeHass = (snapshot) => {
  const hass = {
    language: "en", locale: {language: "en", time_zone: "server"},
    config: {time_zone: "Europe/Berlin", unit_system: {temperature: "°C", mass: "kg"}},
    connection: {subscribeMessage: (callback) => {
      hass.send = callback; callback({snapshot}); return Promise.resolve(async () => {});
    }},
    callService: async () => {},
  };
  return hass;
};
window.layoutDone = (card) => card.shadowRoot.querySelector("ha-card").getBoundingClientRect();
</script></body></html>"""

FIRST_RENDER = """
const [snapshot, done] = arguments;
customElements.whenDefined("auto-home-card").then(async () => {
  const hass = fakeHass(snapshot);
  const started = performance.now();
  const card = document.createElement("auto-home-card");
  card.setConfig({type: "custom:auto-home-card"});
  card.hass = hass;
  document.body.appendChild(card);
  await card.updateComplete;
  layoutDone(card);
  const ms = performance.now() - started;
  const rows = card.shadowRoot.querySelectorAll(".member").length;  // members drawn
  const chores = card.shadowRoot.querySelectorAll(".chore").length;
  window.benchCard = card; window.benchHass = hass;
  done({ms, rows, chores});
});
"""

COMPLETION = """
const [delta, choreId, due, done] = arguments;
const card = window.benchCard;
const started = performance.now();
window.benchHass.send({delta});
card.updateComplete.then(() => {
  layoutDone(card);
  const ms = performance.now() - started;
  // Done moves it below the open chores (out of the first few shown).
  const row = card.shadowRoot.querySelector(`[data-chore="${choreId}"]`);
  const badge = card.shadowRoot.querySelector(".member .badge").textContent;
  done({ms, done: (!row || row.classList.contains("done")) && badge === String(due)});
});
"""


SHOW_ALL = """
const done = arguments[0];
const card = window.benchCard;
const started = performance.now();
card.shadowRoot.querySelector("button.more").click();
card.updateComplete.then(() => {
  layoutDone(card);
  done({ms: performance.now() - started,
        chores: card.shadowRoot.querySelectorAll(".chore").length});
});
"""


def household(members: int, chores: int) -> dict[str, Any]:
    """Return a snapshot as the server sends it (protocol v1), every chore listed."""
    ids = [f"01MEMBER{i:018d}" for i in range(members)]
    snapshot_members = {}
    for i, member_id in enumerate(ids):
        readings = [
            [NOW - 86_400 + hour * 3600, 37.6 + (hour % 7) * 0.25, 37.4, SITES[i % 5]]
            for hour in range(0, 24, 2)
        ]
        spark = [
            [NOW - (89 - day) * 86_400, 70 + i - day * 0.02] for day in range(0, 90, 2)
        ]
        snapshot_members[member_id] = {
            "name": f"Member {i + 1}",
            "person": None,
            "user": None,
            "device": None,
            "private": False,
            "away": False,
            "due": chores // members,
            "temp": {"at": NOW - 600, "c": 38.6, "site": SITES[i % 5], "core": 38.9,
                     "class": "fever", "urgent": False},
            "episode": {"start": NOW - 86_400, "peak": 39.3, "peak_at": NOW - 40_000,
                        "class": "high_fever", "ends": None, "check": NOW + 3000,
                        "readings": readings, "doses": []},
            "weight": {"at": NOW - 4000, "kg": 70.0 + i, "trend": 70.1 + i, "week": -0.2,
                       "spark": spark,
                       "forecast": {"at": NOW + 30 * 86_400, "kg": 69 + i, "low": 68 + i,
                                    "high": 70 + i},
                       "goal": 65.0, "goal_date": "2027-03-01", "goal_reason": None,
                       "bmi": 22.0},
        }  # fmt: skip
    listed = {
        f"01CHORE{j:019d}": {
            "name": f"Chore number {j + 1}",
            "assignee": ids[j % members] if j % 4 else None,
            "due": NOW - 3600 + j * 60,
            "all_day": j % 5 == 0,
            "status": "overdue" if j % 3 == 0 else "due",
            "overdue_days": 1 if j % 3 == 0 else 0,
            "snoozed": None,
            "last": None,
            "by": None,
        }
        for j in range(chores)
    }
    return {
        "v": 1, "entry_id": "01ENTRY", "title": "Stress household", "now": NOW,
        "viewer": {"admin": True, "member": None, "scope": "all", "discard": True},
        "thresholds": {"low_grade": 37.3, "fever": 38.0, "high_fever": 39.0,
                       "hyperpyrexia": 41.0, "hypothermia": 35.0},
        "order": ids, "members": snapshot_members, "chores": listed, "upcoming": 0,
        "held": [{"id": "a1b2c3d4", "kg": 64.2, "at": NOW - 7200, "source": None}],
    }  # fmt: skip


@contextmanager
def serve_page():
    """Serve the page and the committed bundle on 127.0.0.1 (modules need http)."""
    bundle = BUNDLE.read_bytes()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = (
                (bundle, "text/javascript")
                if self.path.startswith("/card.js")
                else (PAGE.encode(), "text/html; charset=utf-8")
            )
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def main() -> int:
    """Time first renders (each in a fresh page) and one delta each; print a table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--chores", type=int, default=300)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--shot", type=Path, help="save a screenshot of the card here")
    args = parser.parse_args()
    snapshot = household(args.members, args.chores)
    chore_id = next(iter(snapshot["chores"]))
    delta = {
        "now": NOW + 5,
        "chores": {chore_id: {**snapshot["chores"][chore_id], "status": "done",
                              "last": NOW + 5, "by": snapshot["order"][0]}},
        "members": {snapshot["order"][0]: {"due": args.chores // args.members - 1}},
    }  # fmt: skip
    browser = Browser(Path(tempfile.mkdtemp(prefix="auto_home_card_bench_")))
    first: list[float] = []
    deltas: list[float] = []
    show_all: list[float] = []
    try:
        with serve_page() as url:
            for run in range(args.runs):
                browser.driver.get(url)
                result = browser.driver.execute_async_script(FIRST_RENDER, snapshot)
                if result["rows"] != args.members or not result["chores"]:
                    sys.exit(f"the card drew {result}, not the household")
                first.append(result["ms"])
                answer = browser.driver.execute_async_script(
                    COMPLETION, delta, chore_id, args.chores // args.members - 1
                )
                if not answer["done"]:
                    sys.exit("the completion did not reach the card")
                deltas.append(answer["ms"])
                every = browser.driver.execute_async_script(SHOW_ALL)
                if every["chores"] != args.chores:
                    sys.exit(f"Show all drew {every['chores']} of {args.chores} chores")
                show_all.append(every["ms"])
                if run == 0 and args.shot:
                    browser.driver.save_screenshot(str(args.shot))
    finally:
        browser.quit()
    size = len(json.dumps(snapshot, separators=(",", ":")).encode())
    rows = [
        f"Card, {args.members} members and {args.chores} chores due (snapshot"
        f" {size / 1024:.0f} KB), {args.runs} fresh pages, headless Chromium:",
        "| what | median | worst |",
        "| --- | --- | --- |",
    ]
    for name, values in (
        ("first render (element created → layout done)", first),
        ("a completion delta → the row shows it", deltas),
        (f"Show all: the list grows to {args.chores} chores", show_all),
    ):
        rows.append(
            f"| {name} | {statistics.median(values):.1f} ms | {max(values):.1f} ms |"
        )
    sys.stdout.write("\n".join(rows) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
