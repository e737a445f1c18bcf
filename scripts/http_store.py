"""Write a development instance's HTTP settings where Home Assistant keeps them.

Home Assistant 2026.10 no longer reads `http:` from YAML for long: it moves it to
`.storage/http` as a trial that reverts after 5 minutes unless confirmed in the
UI, then restarts on its default (all interfaces). A development instance gets
its settings as a confirmed ("stable") store instead: 127.0.0.1 only.

Usage: http_store.py CONFIG_DIR PORT  (an existing store is left alone unless
its port differs).
"""

from datetime import UTC, datetime
import json
from pathlib import Path
import sys

from homeassistant.components.http.config import (
    HTTP_STORAGE_SCHEMA,
    KEY_PENDING,
    KEY_STABLE,
    KEY_YAML_MIGRATION_DONE,
    STORAGE_KEY,
    STORAGE_MINOR_VERSION,
    STORAGE_VERSION,
)

HOST = "127.0.0.1"


def write_http_store(config_dir: Path, port: int) -> bool:
    """Write `.storage/http` bound to 127.0.0.1:`port`; return whether it changed."""
    path = config_dir / ".storage" / STORAGE_KEY
    if path.exists():
        data = json.loads(path.read_text())["data"]
        stable = data[KEY_STABLE]
        if (
            stable.get("server_port") == port
            and stable.get("server_host") == [HOST]
            and data[KEY_PENDING] is None
        ):
            return False
    stable = HTTP_STORAGE_SCHEMA({"server_host": [HOST], "server_port": port})
    store = {
        "version": STORAGE_VERSION,
        "minor_version": STORAGE_MINOR_VERSION,
        "key": STORAGE_KEY,
        "data": {
            KEY_STABLE: {
                **stable,
                "created_at": datetime.now(UTC).isoformat(),
                "error": None,
                "error_message": None,
            },
            KEY_PENDING: None,
            KEY_YAML_MIGRATION_DONE: True,
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(store, indent=2))
    return True


if __name__ == "__main__":
    write_http_store(Path(sys.argv[1]), int(sys.argv[2]))
