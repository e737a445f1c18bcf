"""The domain package is pure: none of its modules imports Home Assistant."""

import ast
from pathlib import Path
import sys

DOMAIN_DIR = Path(__file__).parent.parent / "custom_components" / "auto_home" / "domain"
# What a domain module may import besides the standard library and its siblings.
ALLOWED_PARENT = {"const"}


def _imports(path: Path) -> list[tuple[int, str]]:
    """Return (level, module) for each import of a module's source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend((0, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.append((node.level, node.module or ""))
    return found


def test_domain_modules_import_no_home_assistant() -> None:
    """Every import is the standard library, a sibling or the HA-free const."""
    modules = sorted(DOMAIN_DIR.glob("*.py"))
    assert len(modules) >= 7
    for path in modules:
        for level, module in _imports(path):
            top = module.split(".")[0]
            if level == 0:
                assert top in sys.stdlib_module_names, f"{path.name} imports {module}"
            elif level == 2:
                assert module in ALLOWED_PARENT, f"{path.name} imports ..{module}"
            else:
                assert level == 1, f"{path.name} imports {'.' * level}{module}"


def test_const_imports_no_home_assistant() -> None:
    """The one parent module the domain may use stays free of Home Assistant."""
    const = DOMAIN_DIR.parent / "const.py"
    for level, module in _imports(const):
        assert level == 0
        assert module.split(".")[0] in sys.stdlib_module_names
