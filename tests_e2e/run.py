"""End-to-end: Auto Home in Home Assistant's own frontend, in a real Chromium.

Run by scripts/e2e (which installs Chromium and Selenium first). Starts a
throw-away Home Assistant, onboards it through the REST API, then does what a
parent does in the UI: log in, add the integration, a member and a chore, check
the chore off in the To-do list, and look at the member's device page. REST
calls check the results; each step leaves a screenshot in a temporary folder
(`--shots docs/screenshots` to retake the README's).
"""

import argparse
from collections.abc import Callable
import json
from pathlib import Path
import shutil
import signal
import sys
import tempfile
import time
import traceback
from typing import Any

from harness import (
    PASSWORD,
    ROOT,
    USERNAME,
    Browser,
    HomeAssistant,
    StepError,
    wait_for,
)
from selenium.webdriver.remote.webelement import WebElement

HOUSEHOLD = "The Lins"
MEMBER = "Mia"
CHORE = "Water the plants"
MEMBER_TEMPERATURE = f"sensor.{MEMBER.lower()}_body_temperature"
CHORE_NEXT_DUE = "sensor.water_the_plants_next_due"
# The household card (issue 19): a dashboard of its own, the kid's member and chore.
DASHBOARD = "dashboard-household"
KID_MEMBER = "Sam"
KID_CHORE = "Feed the cat"
KID_CHORE_NEXT_DUE = "sensor.feed_the_cat_next_due"
SCALE = "sensor.bathroom_scale"


def say(message: str, *, error: bool = False) -> None:
    """Write one line of progress (or of a failure) for the log."""
    stream = sys.stderr if error else sys.stdout
    stream.write(f"[e2e] {message}\n")
    stream.flush()


class Scenario:
    """The steps, in order; each names itself when it fails."""

    def __init__(self, ha: HomeAssistant, browser: Browser) -> None:
        """Drive `browser` against `ha`."""
        self.ha = ha
        self.b = browser
        self.kid_user_id = ""
        self.timings: dict[str, float] = {}

    # Helpers for Home Assistant's dialogs -----------------------------------

    def flow_dialog(self) -> WebElement:
        """Return the open data-entry-flow dialog (config or subentry flow)."""
        return self.b.find("dialog-data-entry-flow", visible=False)

    def wait_for_form(self, title: str) -> WebElement:
        """Wait until the flow dialog shows the form titled `title`; check it."""
        dialog = self.flow_dialog()
        wait_for(
            f"the form {title!r}",
            lambda: title in self.b.text(dialog) and self.fields(dialog),
            timeout=30,
        )
        self.check_translated(dialog, title)
        return dialog

    def check_translated(self, dialog: WebElement, title: str) -> None:
        """Every field has a translated label; no translation errors are shown."""
        text = self.b.text(dialog)
        if "Translation error" in text:
            raise StepError(f"{title!r} shows a translation error: {text[:800]}")
        labels = self.b.driver.execute_script(
            "return arguments[0].map(field => [field.schema.name, field.label || ''])",
            self.fields(dialog),
        )
        untranslated = [name for name, label in labels if not label or label == name]
        if untranslated:
            raise StepError(f"{title!r}: fields without a label: {untranslated}")

    def fields(self, dialog: WebElement) -> list[WebElement]:
        """Return the fields of the dialog's form (ha-selector, ha-form-string...)."""
        return self.b.driver.execute_script(
            """
            return arguments[0].flatMap(form => [...form.shadowRoot.querySelectorAll('*')]
              .filter(el => el.schema !== undefined));
            """,
            self.b.find_all("ha-form", root=dialog, visible=False),
        )

    def field(self, dialog: WebElement, name: str) -> WebElement:
        """Return the form field for the schema key `name`."""
        for field in self.fields(dialog):
            if (
                self.b.driver.execute_script("return arguments[0].schema.name", field)
                == name
            ):
                return field
        raise StepError(f"the form has no field {name!r}")

    def choose(self, dialog: WebElement, name: str, option: str) -> None:
        """Open a dropdown field and pick the option shown as `option`."""
        field = self.field(dialog, name)
        self.b.click_element(self.b.find("ha-select", root=field))
        self.b.click("ha-dropdown-item", option, root=field)
        wait_for(
            f"{name} to show {option!r}",
            lambda: option in self.b.text(field),
            timeout=5,
        )

    def scroll_to_top(self, dialog: WebElement) -> None:
        """Scroll the form back to its first field (for the screenshot)."""
        first = self.fields(dialog)[0]
        self.b.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", first
        )

    def submit(self, dialog: WebElement, created: str) -> None:
        """Submit the form; expect the success step; close it with Finish."""
        self.b.click("ha-button", "Submit", root=dialog)
        expected = f"Created configuration for {created}"
        try:
            wait_for(expected, lambda: expected in self.b.text(dialog), timeout=20)
        except StepError as err:
            raise StepError(
                f"{err}; the dialog shows: {self.b.text(dialog)[:800]}"
            ) from err
        self.b.click("ha-button", "Finish", root=dialog)
        wait_for(
            "the dialog to close",
            lambda: not self.b.find_all("dialog", root=dialog),
            timeout=10,
        )

    def sidebar(self, element_id: str, item: str) -> None:
        """Click the sidebar's entry `item` (its element id)."""
        self.b.click(f"ha-list-item-button#{element_id}", item)

    def state(self, entity_id: str) -> dict[str, Any]:
        """Return the entity's state; fail when it does not exist."""
        if (state := self.ha.state(entity_id)) is None:
            raise StepError(f"{entity_id} does not exist")
        return state

    def ws(self, message: dict[str, Any]) -> Any:
        """Send a websocket command through the frontend's connection."""
        answer = self.b.driver.execute_async_script(
            """
            const [message, done] = arguments;
            document.querySelector('home-assistant').hass.callWS(message)
              .then(result => done({result}), error => done({error}));
            """,
            message,
        )
        if "error" in answer:
            raise StepError(f"websocket {message['type']}: {answer['error']}")
        return answer["result"]

    def our_issues(self) -> list[dict[str, Any]]:
        """Return Auto Home's repair issues."""
        issues = self.ws({"type": "repairs/list_issues"})["issues"]
        return [issue for issue in issues if issue["domain"] == "auto_home"]

    def open_page(self, path: str) -> None:
        """Load a frontend page afresh; log in again if the frontend asks."""
        self.b.driver.get(self.ha.url + path)

        def probe() -> bool:
            if self.b.find_all("input[name=username]"):
                self.log_in(path)
            return path in self.b.driver.current_url and bool(
                self.b.driver.execute_script(
                    "const ha = document.querySelector('home-assistant');"
                    "return !!(ha && ha.hass && ha.hass.connected"
                    " && ha.hass.localize('ui.panel.config.repairs.caption'));"
                )
            )

        wait_for(f"the frontend page {path}", probe, timeout=60)

    def set_language(self, language: str) -> None:
        """Set the user's language as the profile page does, then reload."""
        self.ws(
            {
                "type": "frontend/set_user_data",
                "key": "language",
                "value": {"language": language, "number_format": "language"},
            }
        )

    def close_dialog(self, dialog: WebElement, shown: str) -> None:
        """Close the flow dialog (its flow is left unfinished); wait for it."""
        self.b.driver.execute_script("arguments[0].closeDialog();", dialog)
        wait_for(
            "the dialog to close",
            lambda: shown not in self.b.text(dialog),
            timeout=10,
        )

    # The steps ----------------------------------------------------------------

    def log_in(self, path: str | None = None, username: str = USERNAME) -> None:
        """Log in: type into the login page's shadow-DOM inputs, press Log in.

        With `path`, on the login page the frontend already shows for it.
        """
        if path is None:
            self.b.driver.get(self.ha.url + "/")
        self.b.type_into(self.b.find("input[name=username]", timeout=60), username)
        self.b.type_into(self.b.find("input[name=password]"), PASSWORD)
        self.b.click("ha-button", "Log in")
        wait_for(
            "the frontend after logging in",
            lambda: (
                "/auth/" not in self.b.driver.current_url
                # Settings is in the sidebar of administrators only.
                and self.b.find_all(
                    "ha-list-item-button#sidebar-config"
                    if username == USERNAME
                    else "ha-list-item-button"
                )
            ),
            timeout=60,
        )

    def http_config_is_confirmed(self) -> None:
        """Check Home Assistant stays on 127.0.0.1 without a trial to confirm.

        The harness wrote `.storage/http` as scripts/develop does.
        """
        data = json.loads((self.ha.config_dir / ".storage" / "http").read_text())
        if data["data"]["pending"] is not None:
            raise StepError(f"HTTP config is a pending trial: {data['data']}")
        if data["data"]["stable"]["server_host"] != ["127.0.0.1"]:
            raise StepError(f"HTTP server host changed: {data['data']['stable']}")
        if self.b.find_all("*", "Confirm new HTTP server configuration"):
            raise StepError("Home Assistant asks to confirm its HTTP configuration")

    def add_integration(self) -> None:
        """Add it: Settings → Devices & services → Add integration → Auto Home."""
        self.sidebar("sidebar-config", "Settings")
        self.b.click("ha-list-item-button", "Devices & services")
        self.b.click("ha-button", "Add integration")
        picker = self.b.find("dialog-add-integration", visible=False)
        self.b.type_into(self.b.find("ha-input-search", root=picker), "Auto Home")
        self.b.click("ha-integration-list-item", "Auto Home", root=picker)
        dialog = self.wait_for_form("Set up your household")
        self.b.type_into(self.field(dialog, "name"), HOUSEHOLD)
        self.b.screenshot("01-config-flow")
        self.submit(dialog, HOUSEHOLD)
        wait_for(
            "the Auto Home integration page",
            lambda: (
                "/config/integrations/integration/auto_home"
                in self.b.driver.current_url
            ),
        )

    def add_member(self) -> None:
        """Use Add member on the integration page: name, age group, Submit."""
        self.b.click("ha-button", "Add member")
        dialog = self.wait_for_form("Add a member")
        self.b.type_into(self.field(dialog, "name"), MEMBER)
        self.choose(dialog, "age_group", "Child")
        self.scroll_to_top(dialog)
        self.b.screenshot("02-member-dialog")
        self.submit(dialog, MEMBER)
        wait_for(
            f"{MEMBER_TEMPERATURE} to exist", lambda: self.ha.state(MEMBER_TEMPERATURE)
        )

    def add_chore(self) -> None:
        """Use Add chore on the integration page: a daily chore for the member.

        What, when and who first; then the daily rule on a step of its own.
        """
        self.b.click("ha-button", "Add chore")
        dialog = self.wait_for_form("Add a chore")
        self.b.type_into(self.field(dialog, "name"), CHORE)
        self.choose(dialog, "recurrence", "Every N days")
        assignees = self.field(dialog, "assignees")
        self.b.click("ha-checkbox", MEMBER, root=assignees)
        wait_for(
            "the member to be assigned",
            lambda: assignees.get_property("value"),
            timeout=5,
        )
        self.scroll_to_top(dialog)
        self.b.screenshot("03-chore-dialog")
        # The rule of the chosen kind only, on a second step ("Every … days").
        self.b.click("ha-button", "Submit", root=dialog)
        dialog = self.wait_for_form("How often")
        self.b.type_into(self.field(dialog, "interval"), "1")
        self.b.screenshot("03-chore-repeat")
        self.submit(dialog, CHORE)
        state = wait_for(
            f"{CHORE_NEXT_DUE} to exist", lambda: self.ha.state(CHORE_NEXT_DUE)
        )
        if state["attributes"].get("assignee") != MEMBER:
            raise StepError(f"the chore is not assigned to {MEMBER}: {state}")
        wait_for(
            "the integration page to list the member and the chore",
            lambda: (
                self.b.find_all("ha-list-item-button", MEMBER)
                and self.b.find_all("ha-list-item-button", CHORE)
            ),
        )
        self.b.screenshot("04-integration-page")

    def check_chore_off(self) -> None:
        """Tick the chore on the member's own list, To-do lists → "Mia Chores".

        Its next due moves on, credited to the member.
        """
        before = self.state(CHORE_NEXT_DUE)["state"]
        self.sidebar("sidebar-panel-todo", "To-do lists")
        self.b.click("ha-dropdown-item", f"{MEMBER} Chores")
        item = self.b.find("ha-check-list-item", CHORE, timeout=30)
        self.b.screenshot("05-todo-list")
        self.b.click("ha-checkbox", root=item)
        after = wait_for(
            f"{CHORE_NEXT_DUE} to move on from {before}",
            lambda: (state := self.state(CHORE_NEXT_DUE)["state"]) != before and state,
            timeout=15,
        )
        if not after > before:
            raise StepError(f"next due went from {before} back to {after}")
        by = self.state(CHORE_NEXT_DUE)["attributes"].get("last_completed_by")
        if by != MEMBER:
            raise StepError(f"the completion was credited to {by!r}, not {MEMBER}")
        say(f"{CHORE!r} next due: {before} -> {after}, done by {by}")

    def record_temperature(self) -> None:
        """Call auto_home.record_temperature through REST; the sensor shows it."""
        self.ha.request(
            "POST",
            "/api/services/auto_home/record_temperature",
            {"member": MEMBER, "temperature": 38.4, "site": "oral"},
        )
        state = wait_for(
            f"{MEMBER_TEMPERATURE} to show 38.4",
            lambda: (s := self.state(MEMBER_TEMPERATURE))["state"] == "38.4" and s,
            timeout=10,
        )
        say(f"{MEMBER_TEMPERATURE} = {state['state']} {state['attributes']}")

    def member_device_page(self) -> None:
        """Open Settings → Devices & services → Auto Home → the member's device."""
        self.sidebar("sidebar-config", "Settings")
        self.b.click("ha-list-item-button", "Devices & services")
        self.b.click('a[href="/config/integrations/integration/auto_home"]')
        self.b.click("ha-list-item-button", MEMBER)
        wait_for(
            "the member's device page with its sensors",
            lambda: (
                "/config/devices/device/" in self.b.driver.current_url
                and all(
                    text in self.b.text()
                    for text in ("Body temperature", "38.4", "Fever status")
                )
            ),
            timeout=20,
        )
        self.b.screenshot("06-member-device")

    def brand_icon(self) -> None:
        """Check that the integration's own brand/icon.png is served (no CDN)."""
        expected = (ROOT / "custom_components/auto_home/brand/icon.png").read_bytes()
        served = self.b.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            const hass = document.querySelector('home-assistant').hass;
            fetch('/api/brands/integration/auto_home/icon.png?placeholder=no',
                  {headers: {Authorization: 'Bearer ' + hass.auth.accessToken}})
              .then(r => r.ok ? r.arrayBuffer() : null)
              .then(b => done(b ? b.byteLength : null), () => done(null));
            """
        )
        if served != len(expected):
            raise StepError(
                f"brand icon: served {served} bytes, file has {len(expected)}"
            )

    def no_repairs_of_ours(self) -> None:
        """Check that Auto Home raised no repair issue during all this."""
        issues = self.b.driver.execute_async_script(
            """
            const done = arguments[arguments.length - 1];
            document.querySelector('home-assistant').hass
              .callWS({type: 'repairs/list_issues'})
              .then(r => done(r.issues.map(i => i.domain + '.' + i.issue_id)),
                    e => done(['error: ' + JSON.stringify(e)]));
            """
        )
        say(f"repair issues: {issues or 'none'}")
        ours = [issue for issue in issues if issue.startswith(("auto_home.", "error"))]
        if ours:
            raise StepError(f"Auto Home repair issues: {ours}")

    def damage_chore_state(self) -> None:
        """Stop hass cleanly, give the chore's saved streak a wrong type, start it.

        As a file damaged on disk: the household store still fits, only the
        chore's own section cannot be used (tests/test_isolation.py).
        """
        if (code := self.ha.shut_down()) != 0:
            raise StepError(f"Home Assistant stopped with exit code {code}")
        storage = self.ha.config_dir / ".storage"
        entries = json.loads((storage / "core.config_entries").read_text())
        entry = next(
            e for e in entries["data"]["entries"] if e["domain"] == "auto_home"
        )
        chore_id = next(
            sub["subentry_id"] for sub in entry["subentries"] if sub["title"] == CHORE
        )
        path = storage / f"auto_home.{entry['entry_id']}"
        stored = json.loads(path.read_text())
        section = stored["data"]["chores"][chore_id]
        section["streak"] = "x"
        path.write_text(json.dumps(stored, indent=2))
        self.ha.launch()
        self.ha.wait_until_serving(timeout=120)
        self.ha.wait_until_started(timeout=120)
        wait_for(
            f"{CHORE_NEXT_DUE} to be unavailable",
            lambda: self.state(CHORE_NEXT_DUE)["state"] == "unavailable",
            timeout=30,
        )
        if self.state(MEMBER_TEMPERATURE)["state"] != "38.4":
            raise StepError(f"{MEMBER_TEMPERATURE} lost its reading after the restart")

    def repair_issue(self, language: str, title: str, confirm_title: str) -> None:
        """Show the repair in Settings → System → Repairs, open its confirm step."""
        self.open_page("/config/repairs")
        self.set_language(language)
        self.open_page("/config/repairs")
        item = self.b.find("ha-list-item-button", title, timeout=30)
        self.b.screenshot(
            f"07-repair-issue{'' if language == 'en' else '-' + language}"
        )
        self.b.click_element(item)
        dialog = self.flow_dialog()
        wait_for(
            f"the confirm step {confirm_title!r}",
            lambda: confirm_title in self.b.text(dialog),
            timeout=30,
        )
        text = self.b.text(dialog)
        if "Translation error" in text or "component.auto_home" in text:
            raise StepError(f"the confirm step is not translated: {text[:800]}")
        self.b.screenshot(
            f"08-repair-confirm{'' if language == 'en' else '-' + language}"
        )

    def repair_in_chinese(self) -> None:
        """Show the repair and its confirm step in the user's language zh-Hans."""
        confirm_title = f"重置家务“{CHORE}”"
        self.repair_issue("zh-Hans", f"家务“{CHORE}”保存的状态已损坏", confirm_title)
        self.close_dialog(self.flow_dialog(), confirm_title)

    def repair_and_reset(self) -> None:
        """In English: open the repair, submit the reset; the chore is back."""
        self.repair_issue(
            "en",
            f"The saved state of chore “{CHORE}” is damaged",
            f"Reset chore “{CHORE}”",
        )
        dialog = self.flow_dialog()
        self.b.click("ha-button", "Submit", root=dialog)
        done = "The issue is repaired"
        wait_for(done, lambda: done in self.b.text(dialog), timeout=30)
        self.b.screenshot("09-repair-done")
        self.b.click("ha-button", "Finish", root=dialog)
        wait_for(
            "the dialog to close",
            lambda: done not in self.b.text(dialog),
            timeout=10,
        )
        state = wait_for(
            f"{CHORE_NEXT_DUE} to be available again",
            lambda: (s := self.state(CHORE_NEXT_DUE))["state"] != "unavailable" and s,
            timeout=30,
        )
        say(f"{CHORE_NEXT_DUE} after the reset: {state['state']}")
        wait_for(
            "the repair issue to be gone", lambda: not self.our_issues(), timeout=15
        )

    def add_member_while_running(self) -> None:
        """Add a member to the running household: nobody else's entity blinks."""
        watched = [MEMBER_TEMPERATURE, f"binary_sensor.{MEMBER.lower()}_fever"]
        watched.append(CHORE_NEXT_DUE)
        before = {entity_id: self.state(entity_id) for entity_id in watched}
        entry = self.ha.request(
            "GET", "/api/config/config_entries/entry?domain=auto_home"
        )[0]
        flows = "/api/config/config_entries/subentries/flow"
        flow = self.ha.request(
            "POST", flows, {"handler": [entry["entry_id"], "member"]}
        )
        done = self.ha.request("POST", f"{flows}/{flow['flow_id']}", {"name": "Leo"})
        if done.get("type") != "create_entry":
            raise StepError(f"the member was not added: {done}")
        wait_for(
            "Leo's sensors to exist",
            lambda: self.ha.state("sensor.leo_body_temperature"),
            timeout=15,
        )
        for entity_id, state in before.items():
            now = self.state(entity_id)
            if (now["state"], now["last_updated"]) != (
                state["state"],
                state["last_updated"],
            ):
                raise StepError(f"{entity_id} changed: {state} -> {now}")
        say(f"Leo added; {', '.join(watched)} untouched")

    def options_in_one_visit(self) -> None:
        """Configure: the menu of sections, Reminders with durations, back, Save."""
        self.open_page("/config/integrations/integration/auto_home")
        # The household's gear comes first; its members' and chores' follow.
        # Its icon covers the button, so the click goes to the button itself.
        gear = self.b.find('[aria-label="Configure"]')
        self.b.driver.execute_script("arguments[0].click();", gear)
        dialog = self.flow_dialog()
        wait_for(
            "the options menu",
            lambda: "Household options" in self.b.text(dialog),
            timeout=20,
        )
        self.b.screenshot("10-options-menu")
        self.b.click("ha-list-item", "Reminders:", root=dialog)
        dialog = self.wait_for_form("Reminders")
        self.b.screenshot("11-options-reminders")
        self.b.click("ha-button", "Submit", root=dialog)
        wait_for(
            "the menu again",
            lambda: "Household options" in self.b.text(self.flow_dialog()),
            timeout=20,
        )
        self.b.click("ha-list-item", "Save", root=self.flow_dialog())
        wait_for(
            "the options to be saved",
            lambda: "Household options" not in self.b.text(),
            timeout=20,
        )

    def refusal_for_another_member(self) -> None:
        """With "own member only", a non-admin user is refused another member."""
        entry = self.ha.request(
            "GET", "/api/config/config_entries/entry?domain=auto_home"
        )[0]
        flows = "/api/config/config_entries/options/flow"
        flow = self.ha.request("POST", flows, {"handler": entry["entry_id"]})
        self.ha.request("POST", f"{flows}/{flow['flow_id']}", {"next_step_id": "voice"})
        self.ha.request(
            "POST",
            f"{flows}/{flow['flow_id']}",
            {"share_health_with_agents": False, "voice_member_scope": "own"},
        )
        # The menu comes back after each section; Save stores them all.
        done = self.ha.request(
            "POST", f"{flows}/{flow['flow_id']}", {"next_step_id": "save"}
        )
        if done.get("type") != "create_entry":
            raise StepError(f"the privacy options were not saved: {done}")
        user = self.ws(
            {"type": "config/auth/create", "name": "Kid", "group_ids": ["system-users"]}
        )["user"]
        self.ws(
            {
                "type": "config/auth_provider/homeassistant/create",
                "user_id": user["id"],
                "username": "kid",
                "password": PASSWORD,
            }
        )
        self.kid_user_id = user["id"]
        token = self.ha.log_in_as("kid", PASSWORD)
        before = self.state(MEMBER_TEMPERATURE)["state"]
        try:
            self.ha.request(
                "POST",
                "/api/services/auto_home/record_temperature",
                {"member": MEMBER, "temperature": 39.1},
                token=token,
            )
        except StepError as err:
            refusal = str(err)
        else:
            raise StepError("a non-admin user recorded for another member")
        expected = f"The health data of {MEMBER} is private"
        if "answered 400" not in refusal or expected not in refusal:
            raise StepError(f"not the translated refusal: {refusal}")
        if (after := self.state(MEMBER_TEMPERATURE)["state"]) != before:
            raise StepError(f"{MEMBER_TEMPERATURE} changed: {before} -> {after}")
        say(f"refused: {refusal}")

    # The household card (custom:auto-home-card) --------------------------------

    def open_dashboard(self, query: str = "") -> None:
        """Load the household dashboard afresh; wait for its view."""
        self.b.driver.get(f"{self.ha.url}/{DASHBOARD}/0{query}")
        self.b.find("hui-view", timeout=60, visible=False)

    def card(self) -> WebElement:
        """Return the household card on the open dashboard."""
        return self.b.find("auto-home-card", timeout=30)

    def subentry_flow(self, kind: str, *steps: dict[str, Any]) -> None:
        """Add a member or chore through its subentry flow (REST), step by step."""
        entry = self.ha.request(
            "GET", "/api/config/config_entries/entry?domain=auto_home"
        )[0]
        flows = "/api/config/config_entries/subentries/flow"
        flow = self.ha.request("POST", flows, {"handler": [entry["entry_id"], kind]})
        for data in steps:
            flow = self.ha.request("POST", f"{flows}/{flow['flow_id']}", data)
        if flow.get("type") != "create_entry":
            raise StepError(f"the {kind} was not added: {flow}")

    def add_card_through_the_picker(self) -> None:
        """Edit a new dashboard: Add card → By card → search → Auto Home household → Save."""
        self.ws(
            {
                "type": "lovelace/dashboards/create",
                "url_path": DASHBOARD,
                "title": "Household",
                "mode": "storage",
            }
        )
        self.ws(
            {
                "type": "lovelace/config/save",
                "url_path": DASHBOARD,
                "config": {"views": [{"title": "Home", "cards": []}]},
            }
        )
        # Edit dashboard, as its pencil does.
        self.open_dashboard("?edit=1")
        self.b.click("ha-button", "Add card")
        picker = self.b.find("hui-dialog-create-card", visible=False)
        self.b.click_element(
            self.b.find_all("ha-tab-group-tab", "By card", root=picker)[-1]
        )
        self.b.type_into(self.b.find("ha-input-search", root=picker), "Auto Home")
        choice = self.b.find("div.card", "Auto Home household", root=picker)
        # The preview is the card itself, already showing the household.
        wait_for(
            "the preview to show the household",
            lambda: MEMBER in self.b.text(choice),
            timeout=20,
        )
        self.b.screenshot("12-card-picker")
        self.b.click_element(choice)
        editor = self.b.find("hui-dialog-edit-card", visible=False)
        self.b.find("auto-home-card-editor", root=editor)
        wait_for(
            "the editor to list the members",
            lambda: (
                MEMBER in self.b.text(self.b.find("auto-home-card-editor", root=editor))
            ),
            timeout=20,
        )
        self.b.screenshot("13-card-editor")
        self.b.click("ha-button", "Save", root=editor)
        wait_for(
            "the editor to close",
            lambda: not self.b.find_all("hui-dialog-edit-card"),
            timeout=20,
        )
        self.b.click("ha-button", "Done")
        config = self.ws({"type": "lovelace/config", "url_path": DASHBOARD})
        cards = config["views"][0]["cards"]
        if [card["type"] for card in cards] != ["custom:auto-home-card"]:
            raise StepError(f"the dashboard has {cards}")

    def kids_member_and_chore(self) -> None:
        """Give the non-admin user a member (through a person), a chore and a scale (REST)."""
        person = self.ws(
            {"type": "person/create", "name": "Kid", "user_id": self.kid_user_id}
        )
        self.subentry_flow(
            "member",
            {
                "name": KID_MEMBER,
                "person": f"person.{person['id']}",
                "weight_source": SCALE,
                "weight_source_shared": True,
            },
        )
        entry = self.ha.request(
            "GET", "/api/config/config_entries/entry?domain=auto_home"
        )[0]
        subentries = self.ws(
            {"type": "config_entries/subentries/list", "entry_id": entry["entry_id"]}
        )
        sam = next(
            sub["subentry_id"] for sub in subentries if sub["title"] == KID_MEMBER
        )
        self.subentry_flow(
            "chore",
            {"name": KID_CHORE, "recurrence": "daily", "assignees": [sam]},
            {"interval": 1},
        )
        wait_for(
            f"{KID_CHORE_NEXT_DUE} to exist", lambda: self.ha.state(KID_CHORE_NEXT_DUE)
        )

    def log_in_as_kid(self) -> None:
        """Log out, log in as the non-admin user, open the household dashboard."""
        self.b.driver.execute_script("localStorage.clear(); sessionStorage.clear();")
        self.b.driver.delete_all_cookies()
        self.log_in(username="kid")
        self.open_dashboard()
        wait_for(
            "the card to show the household",
            lambda: KID_MEMBER in self.b.text(self.card()),
            timeout=30,
        )

    def member_row(self, name: str) -> WebElement:
        """Return the card's row of the member called `name`."""
        return self.b.find("div.member", name, root=self.card())

    def log_temperature_on_the_card(self) -> None:
        """As the kid: open Sam's row, Log temperature, 38.6 °C oral: the fever chart appears."""
        row = self.member_row(KID_MEMBER)
        self.b.click("button.row", root=row)
        self.b.click("ha-button", "Log temperature", root=row)
        dialog = self.b.find("auto-home-log-dialog", root=self.card(), visible=False)
        self.b.type_into(self.b.find("input[name=value]", root=dialog), "38.6")
        self.b.screenshot("14-card-log-temperature")
        self.b.click("ha-button", "Save", root=dialog)
        wait_for(
            "the fever chart on the card",
            lambda: self.b.find_all(
                "svg.chart.fever", root=self.member_row(KID_MEMBER)
            ),
            timeout=20,
        )
        fever = self.state(f"binary_sensor.{KID_MEMBER.lower()}_fever")
        if fever["state"] != "on":
            raise StepError(f"no fever episode after 38.6 °C: {fever}")
        if "Private" not in self.b.text(self.member_row(MEMBER)):
            raise StepError(f"{MEMBER}'s health shows to the kid with own-member scope")

    def tick_chore_on_the_card(self) -> None:
        """As the kid: one tap on Done; time until the card shows it; credited to Sam."""
        chore = self.b.find("div.chore", KID_CHORE, root=self.card())
        chore_id = chore.get_attribute("data-chore")
        # Timed in the page: the tap, the service call, the server's delta, the render.
        elapsed = self.b.driver.execute_async_script(
            """
            const [card, id, done] = arguments;
            const root = card.shadowRoot;
            const started = performance.now();
            root.querySelector(`[data-chore="${id}"] button.done`).click();
            (function check() {
              const row = root.querySelector(`[data-chore="${id}"]`);
              if (!row || row.classList.contains("done")) done(performance.now() - started);
              else requestAnimationFrame(check);
            })();
            """,
            self.card(),
            chore_id,
        )
        self.timings["completion reaches the open card"] = elapsed
        by = wait_for(
            f"{KID_CHORE} to be credited",
            lambda: self.state(KID_CHORE_NEXT_DUE)["attributes"].get(
                "last_completed_by"
            ),
            timeout=15,
        )
        if by != KID_MEMBER:
            raise StepError(f"the card's Done was credited to {by!r}, not {KID_MEMBER}")
        say(
            f"{KID_CHORE!r} done on the card by {by}: on the card {elapsed:.0f} ms after the tap"
        )

    def assign_held_weight_on_the_card(self) -> None:
        """Read 31.4 kg on the shared scale (held for its owner); tap Sam on the card."""
        self.ha.request(
            "POST",
            f"/api/states/{SCALE}",
            {"state": "31.4", "attributes": {"unit_of_measurement": "kg"}},
        )
        held = self.b.find("div.held", timeout=30, root=self.card())
        self.b.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", held
        )
        self.b.screenshot("15-card-held-weight")
        self.b.click("button.name-button", KID_MEMBER, root=held)
        wait_for(
            "the held reading to leave the card",
            lambda: not self.b.find_all("div.held", root=self.card()),
            timeout=20,
        )
        weight = self.state(f"sensor.{KID_MEMBER.lower()}_weight")
        if weight["state"] != "31.4":
            raise StepError(f"{KID_MEMBER}'s weight is {weight['state']}, not 31.4")

    def card_screenshots(self) -> None:
        """Take the card in light and dark, English and Simplified Chinese."""
        for language in ("en", "zh-Hans"):
            self.set_language(language)
            for dark in (False, True):
                self.b.driver.execute_script(
                    "localStorage.setItem('selectedTheme', JSON.stringify("
                    "{theme: 'default', dark: arguments[0]}));",
                    dark,
                )
                self.open_dashboard()
                row = self.member_row(KID_MEMBER)
                self.b.click("button.row", root=row)
                self.b.find("svg.chart.fever", root=row)
                suffix = ("" if language == "en" else "-zh-Hans") + (
                    "-dark" if dark else ""
                )
                self.b.screenshot(f"16-card{suffix}")
        self.set_language("en")


def main() -> int:
    """Run every step; on failure say which, keep a screenshot, exit 1."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--shots",
        type=Path,
        help="where to write the screenshots (docs/screenshots to retake the"
        " README's); default: a new temporary folder, so a run leaves the"
        " working tree as it was",
    )
    args = parser.parse_args()
    if args.shots is None:
        args.shots = Path(tempfile.mkdtemp(prefix="auto_home_e2e_shots_"))
    started = time.monotonic()
    # A CI timeout's SIGTERM still stops Home Assistant (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    ha = HomeAssistant()
    browser: Browser | None = None
    step = "start Home Assistant"
    try:
        say(f"Home Assistant on {ha.url}, config {ha.config_dir}")
        ha.start()
        step = "wait for Home Assistant to serve (first start installs the frontend)"
        ha.wait_until_serving(timeout=210)
        say(f"serving after {time.monotonic() - started:.0f} s")
        step = "onboarding through the REST API"
        ha.onboard()
        step = "wait for Home Assistant to finish starting"
        ha.wait_until_started(timeout=180)
        say(f"started after {time.monotonic() - started:.0f} s")
        step = "start Chromium"
        browser = Browser(args.shots)
        scenario = Scenario(ha, browser)
        steps: list[tuple[str, Callable[[], None]]] = [
            ("log in", scenario.log_in),
            (
                "HTTP settings confirmed, no trial dialog",
                scenario.http_config_is_confirmed,
            ),
            ("add the integration (config flow)", scenario.add_integration),
            ("add a member (Add member dialog)", scenario.add_member),
            ("add a chore (Add chore dialog)", scenario.add_chore),
            (
                "check the chore off on the member's own To-do list",
                scenario.check_chore_off,
            ),
            ("record a temperature (REST)", scenario.record_temperature),
            ("the member's device page", scenario.member_device_page),
            ("the brand icon", scenario.brand_icon),
            ("repair issues", scenario.no_repairs_of_ours),
            ("damage the chore's saved state, restart", scenario.damage_chore_state),
            ("the repair in Chinese (zh-Hans)", scenario.repair_in_chinese),
            ("the repair in English, reset the chore", scenario.repair_and_reset),
            (
                "the options, several sections in one visit",
                scenario.options_in_one_visit,
            ),
            (
                "a member added while running, nobody else changes (REST)",
                scenario.add_member_while_running,
            ),
            (
                "a non-admin user is refused another member (REST)",
                scenario.refusal_for_another_member,
            ),
            ("the card, through the card picker", scenario.add_card_through_the_picker),
            (
                "the non-admin user's member and chore (REST)",
                scenario.kids_member_and_chore,
            ),
            ("the card as the non-admin user", scenario.log_in_as_kid),
            ("log a temperature on the card", scenario.log_temperature_on_the_card),
            ("tick a chore on the card", scenario.tick_chore_on_the_card),
            (
                "assign a held weight on the card",
                scenario.assign_held_weight_on_the_card,
            ),
            ("the card in light, dark, en, zh-Hans", scenario.card_screenshots),
        ]
        for step, run in steps:
            ha.check_running()
            began = time.monotonic()
            run()
            say(f"ok: {step} ({time.monotonic() - began:.1f} s)")
    except Exception as err:  # noqa: BLE001 - every failure is reported the same way
        say(f"FAILED at step: {step}", error=True)
        say(f"{type(err).__name__}: {err}", error=True)
        if not isinstance(err, StepError):
            traceback.print_exc()
        failures = Path(tempfile.mkdtemp(prefix="auto_home_e2e_failure_"))
        if browser is not None and (
            shot := browser.failure_screenshot(failures / "failure.png")
        ):
            say(f"screenshot of the failure: {shot}", error=True)
        say(f"Home Assistant log (end):\n{ha.log_tail()}", error=True)
        if ha.log_path.exists():
            shutil.copy(ha.log_path, failures / "home-assistant.log")
            say(f"full log: {failures / 'home-assistant.log'}", error=True)
        return 1
    finally:
        if browser is not None:
            browser.quit()
        ha.stop()
    for name, ms in scenario.timings.items():
        say(f"measured: {name}: {ms:.0f} ms")
    say(f"passed in {time.monotonic() - started:.0f} s; screenshots in {args.shots}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
