"""The shape of the code, checked: the import graph runs one way with no circles (import-linter's
contracts in pyproject.toml), no import of the portal's own modules hides inside a function, and
package __init__ files hold no code."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("companies", "missions", "agreements", "releases", "partners", "config")


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_import_contracts_hold():
    """companies ← missions ← agreements ← releases | partners ← config, and no circle inside any of them."""
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _function_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.ImportFrom):
                module = "." * node.level + (node.module or "")
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            if node.level or module.split(".")[0] in PACKAGES:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {module}")
    return found


def test_no_import_of_the_portals_modules_hides_inside_a_function():
    """Such an import is how a circle between modules hides; AppConfig.ready() is where Django wants
    signal handlers and checks registered, so apps.py may."""
    found = [hit for path in _sources() if path.name != "apps.py" for hit in _function_level_imports(path)]

    assert found == []


@pytest.mark.parametrize("path", [p for p in _sources() if p.name == "__init__.py"], ids=lambda p: str(p))
def test_package_init_files_hold_no_code(path):
    """Docstrings, and the re-exports of a models package, at most."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    code = [
        node
        for node in body
        if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant))  # a docstring
        and not isinstance(node, ast.Import | ast.ImportFrom)
        and not (
            isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
        )
    ]
    assert [f"line {node.lineno}: {type(node).__name__}" for node in code] == []
