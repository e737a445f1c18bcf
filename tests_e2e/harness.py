"""A throw-away Home Assistant and a headless Chromium for the end-to-end test.

Standard library, Selenium and Pillow (installed with Home Assistant). This runs
outside pytest: the unit suite's plugin (pytest-homeassistant-custom-component)
blocks sockets.
"""

from collections.abc import Callable
from contextlib import closing
import io
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.actions.action_builder import ActionBuilder
from selenium.webdriver.remote.webelement import WebElement

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"  # Debian's packages, as scripts/e2e installs them
CHROMEDRIVER = "/usr/bin/chromedriver"
USERNAME = "parent"
PASSWORD = "e2e-Password-1"  # noqa: S105 - a throw-away instance's owner


class StepError(Exception):
    """A step of the end-to-end test failed."""


def wait_for[T](
    what: str, probe: Callable[[], T | None], timeout: float = 30, every: float = 0.25
) -> T:
    """Poll `probe` until it returns something truthy; fail with `what` otherwise."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            if result := probe():
                return result
        except Exception as err:  # noqa: BLE001 - retried until the deadline
            last_error = err
        time.sleep(every)
    detail = f" (last error: {last_error!r})" if last_error else ""
    raise StepError(f"timed out after {timeout:.0f} s waiting for {what}{detail}")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class HomeAssistant:
    """`hass -c <tmpdir>` configured like scripts/develop, on a free port."""

    def __init__(self) -> None:
        """Pick a port and a temporary config folder."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.client_id = f"{self.url}/"
        self.config_dir = Path(tempfile.mkdtemp(prefix="auto_home_e2e_"))
        self.log_path = self.config_dir / "e2e-hass.log"
        self.token: str | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Write the config (scripts/develop's, with our port) and start hass."""
        shutil.copy(ROOT / "config" / "configuration.yaml", self.config_dir)
        # As scripts/develop: HTTP settings go to .storage/http, confirmed.
        subprocess.run(  # noqa: S603 - our own script on our own venv
            [
                sys.executable,
                ROOT / "scripts" / "http_store.py",
                self.config_dir,
                str(self.port),
            ],
            check=True,
        )
        (self.config_dir / "custom_components").symlink_to(ROOT / "custom_components")
        self.launch()

    def launch(self) -> None:
        """Start hass on the config folder as it is (again after `shut_down`)."""
        # As scripts/develop: requirements hass installs on first start may be
        # sdists that compile against this interpreter's headers (run.py runs
        # on .venv's python, so sys.base_prefix is the same).
        env = os.environ.copy()
        include = f"{sys.base_prefix}/include"
        env["CPATH"] = include + (f":{env['CPATH']}" if env.get("CPATH") else "")
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(  # noqa: S603 - our own venv's hass
                [ROOT / ".venv" / "bin" / "hass", "-c", self.config_dir],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )

    def shut_down(self) -> int | None:
        """Stop hass (SIGTERM, then SIGKILL); return its exit code.

        SIGTERM is a clean stop: hass writes every store before it exits.
        """
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        return process.returncode

    def stop(self) -> None:
        """Stop hass and remove its config folder."""
        self.shut_down()
        shutil.rmtree(self.config_dir, ignore_errors=True)

    def check_running(self) -> None:
        """Fail fast when hass has exited."""
        if self._process is not None and self._process.poll() is not None:
            raise StepError(
                f"Home Assistant exited with {self._process.returncode}; "
                f"log:\n{self.log_tail()}"
            )

    def log_tail(self, lines: int = 30) -> str:
        """Return the last warnings and errors hass logged."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        problems = [
            line
            for line in text.splitlines()
            if " ERROR " in line or " WARNING " in line
        ]
        return "\n".join(problems[-lines:]) or "(no warnings or errors)"

    def request(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        form: bool = False,
        auth: bool = True,
        token: str | None = None,
        timeout: float = 30,
    ) -> Any:
        """Call the REST API (as the owner, or as `token`'s user); return the JSON."""
        headers: dict[str, str] = {}
        data = None
        if body is not None:
            if form:
                data = urllib.parse.urlencode(body).encode()
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            else:
                data = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
        if auth and (token or self.token):
            headers["Authorization"] = f"Bearer {token or self.token}"
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                payload = answer.read()
        except urllib.error.HTTPError as err:
            raise StepError(
                f"{method} {path} answered {err.code}: {err.read()[:500]!r}"
            ) from err
        return json.loads(payload) if payload else None

    def wait_until_serving(self, timeout: float) -> None:
        """Wait until the onboarding API and the frontend answer."""

        def probe() -> bool:
            self.check_running()
            if self.token:  # a restart: onboarding is done, its API gone
                self.request("GET", "/api/", timeout=5)
            else:
                self.request("GET", "/api/onboarding", auth=False, timeout=5)
            with urllib.request.urlopen(self.url + "/", timeout=5) as answer:  # noqa: S310
                return b"<html" in answer.read(4096).lower()

        wait_for("Home Assistant to serve its frontend", probe, timeout, every=1)

    def onboard(self) -> None:
        """Create the owner, finish onboarding, keep an access token."""
        answer = self.request(
            "POST",
            "/api/onboarding/users",
            {
                "client_id": self.client_id,
                "name": "Parent",
                "username": USERNAME,
                "password": PASSWORD,
                "language": "en",
            },
            # Waits for `person`, which on a first start waits for the
            # requirements hass is installing.
            timeout=240,
        )
        tokens = self.request(
            "POST",
            "/auth/token",
            {
                "grant_type": "authorization_code",
                "code": answer["auth_code"],
                "client_id": self.client_id,
            },
            form=True,
        )
        self.token = tokens["access_token"]
        self.request("POST", "/api/onboarding/core_config", {})
        self.request("POST", "/api/onboarding/analytics", {})
        self.request(
            "POST",
            "/api/onboarding/integration",
            {
                "client_id": self.client_id,
                "redirect_uri": f"{self.url}/?auth_callback=1",
            },
        )
        steps = self.request("GET", "/api/onboarding", auth=False)
        if not all(step["done"] for step in steps):
            raise StepError(f"onboarding not finished: {steps}")

    def log_in_as(self, username: str, password: str) -> str:
        """Log a user in through the login flow, as the frontend does; return a token."""
        flow = self.request(
            "POST",
            "/auth/login_flow",
            {
                "client_id": self.client_id,
                "handler": ["homeassistant", None],
                "redirect_uri": f"{self.url}/?auth_callback=1",
            },
            auth=False,
        )
        answer = self.request(
            "POST",
            f"/auth/login_flow/{flow['flow_id']}",
            {"client_id": self.client_id, "username": username, "password": password},
            auth=False,
        )
        if answer.get("type") != "create_entry":
            raise StepError(f"{username} could not log in: {answer}")
        tokens = self.request(
            "POST",
            "/auth/token",
            {
                "grant_type": "authorization_code",
                "code": answer["result"],
                "client_id": self.client_id,
            },
            form=True,
            auth=False,
        )
        return tokens["access_token"]

    def wait_until_started(self, timeout: float) -> None:
        """Wait until start-up is over (no "starting" toasts in screenshots)."""
        wait_for(
            "Home Assistant to finish starting",
            lambda: self.request("GET", "/api/config")["state"] == "RUNNING",
            timeout,
            every=0.5,
        )

    def state(self, entity_id: str) -> dict[str, Any] | None:
        """Return the entity's state object, or None when it does not exist."""
        try:
            return self.request("GET", f"/api/states/{entity_id}")
        except StepError as err:
            if "answered 404" in str(err):
                return None
            raise

    def states(self) -> list[dict[str, Any]]:
        """Return every state."""
        return self.request("GET", "/api/states")


# Finds elements through every open shadow root below `arguments[3]` (or the
# document). `arguments[0]` is a CSS selector, `arguments[1]` an optional text
# the element's text must contain (case-insensitive, shadow content included),
# `arguments[2]` true to return only visible elements.
DEEP_QUERY = """
const [selector, text, visibleOnly, start] = arguments;
const found = [];
function visible(el) {
  const rect = el.getBoundingClientRect();
  if (rect.width === 0 || rect.height === 0) return false;
  const style = getComputedStyle(el);
  return style.visibility !== 'hidden' && style.display !== 'none';
}
function deepText(node) {
  let value = '';
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) value += child.textContent;
    else if (child.nodeType === Node.ELEMENT_NODE) value += ' ' + deepText(child);
  }
  if (node.shadowRoot) value += ' ' + deepText(node.shadowRoot);
  return value;
}
function walk(root) {
  for (const el of root.querySelectorAll(selector)) {
    if (text && !deepText(el).replace(/\\s+/g, ' ').toLowerCase()
        .includes(text.toLowerCase())) continue;
    if (visibleOnly && !visible(el)) continue;
    found.push(el);
  }
  for (const el of root.querySelectorAll('*')) {
    if (el.shadowRoot) walk(el.shadowRoot);
  }
}
walk(start ? (start.shadowRoot || start) : document);
return found;
"""

# All text below an element, shadow roots included, whitespace collapsed.
DEEP_TEXT = """
function deepText(node) {
  let value = '';
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) value += child.textContent;
    else if (child.nodeType === Node.ELEMENT_NODE) value += ' ' + deepText(child);
  }
  if (node.shadowRoot) value += ' ' + deepText(node.shadowRoot);
  return value;
}
return deepText(arguments[0] || document.body).replace(/\\s+/g, ' ').trim();
"""


class Browser:
    """Headless Chromium through chromedriver, with shadow-DOM helpers."""

    def __init__(self, shots: Path) -> None:
        """Start Chromium with a fresh profile; the page is 1280x800."""
        self.shots = shots
        self.profile = tempfile.mkdtemp(prefix="auto_home_e2e_chromium_")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            "--lang=en-US",
            "--window-size=1280,800",
            f"--user-data-dir={self.profile}",
        ):
            options.add_argument(argument)
        self.driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
        self.driver.set_page_load_timeout(60)
        # Make the page itself (the screenshot) 1280x800, not the window.
        inner = self.driver.execute_script("return [innerWidth, innerHeight]")
        self.driver.set_window_size(1280 + 1280 - inner[0], 800 + 800 - inner[1])

    def quit(self) -> None:
        """Close Chromium and remove its profile."""
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def find_all(
        self,
        selector: str,
        text: str | None = None,
        *,
        root: WebElement | None = None,
        visible: bool = True,
    ) -> list[WebElement]:
        """Elements matching `selector` (and containing `text`), in any shadow root."""
        return self.driver.execute_script(DEEP_QUERY, selector, text, visible, root)

    def find(
        self,
        selector: str,
        text: str | None = None,
        *,
        root: WebElement | None = None,
        timeout: float = 20,
        visible: bool = True,
    ) -> WebElement:
        """Wait for the first such element."""
        described = f"{selector!r}" + (f" with text {text!r}" if text else "")
        return wait_for(
            described,
            lambda: next(
                iter(self.find_all(selector, text, root=root, visible=visible)), None
            ),
            timeout,
        )

    def click(
        self,
        selector: str,
        text: str | None = None,
        *,
        root: WebElement | None = None,
        timeout: float = 20,
    ) -> None:
        """Wait for the element, scroll it into view and click it."""
        self.click_element(self.find(selector, text, root=root, timeout=timeout))

    def click_element(self, element: WebElement) -> None:
        """Scroll an element into view and click it like a user."""
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", element
        )
        element.click()

    def text(self, element: WebElement | None = None) -> str:
        """Return all text of the element (or the page), shadow roots included."""
        return self.driver.execute_script(DEEP_TEXT, element)

    def type_into(self, element: WebElement, text: str) -> None:
        """Type into the native input or textarea inside a (shadow-DOM) field."""
        if element.tag_name in ("input", "textarea"):
            field = element
        else:
            field = wait_for(
                f"an input inside <{element.tag_name}>",
                lambda: next(
                    iter(self.find_all("input, textarea", root=element)), None
                ),
                timeout=10,
            )
        self.driver.execute_script(
            "arguments[0].scrollIntoView({block: 'center'});", field
        )
        field.clear()
        field.send_keys(text)

    def screenshot(self, name: str) -> Path:
        """Save <shots>/<name>.png (palette PNG: a few tens of KB)."""
        self.shots.mkdir(parents=True, exist_ok=True)
        path = self.shots / f"{name}.png"
        # Park the mouse in the bottom-right corner: no hover highlight.
        actions = ActionBuilder(self.driver)
        actions.pointer_action.move_to_location(1275, 795)
        actions.perform()
        image = Image.open(io.BytesIO(self.driver.get_screenshot_as_png()))
        image.convert("RGB").quantize(colors=256, dither=Image.Dither.NONE).save(
            path, optimize=True
        )
        return path

    def failure_screenshot(self, path: Path) -> Path | None:
        """Save a screenshot of the page as it was when a step failed."""
        try:
            self.driver.save_screenshot(str(path))
        except Exception:  # noqa: BLE001 - best effort on a failure path
            return None
        return path
