"""The package's shape (docs/architecture.md): no import cycles, short files, family modules apart."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "energymodel"
MAX_LINES = 500
SHARED = {"frame", "linear", "registers", "spec", "levels", "caps", "hook", "objective"}  # what model modules may import


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Modules of the package that a file imports (at any level: lazy imports count too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            if target.startswith("energymodel"):
                found.add(target)
                found.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("energymodel"))
    return found


def graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {t for t in imports(path) if t in files and t != name} for name, path in files.items()}


def test_no_import_cycles():
    edges = graph()
    # a package's __init__ re-exporting its own submodules is not a cycle through the package
    edges = {a: {b for b in bs if not (a.startswith(b + ".") and b in edges)} for a, bs in edges.items()}
    state: dict[str, int] = {}
    cycle: list[str] = []

    def visit(node, path):
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycle.extend(path[path.index(nxt) :] + [node, nxt] if nxt in path else [node, nxt])
                return True
            if state.get(nxt) is None and visit(nxt, path + [node]):
                return True
        state[node] = 2
        return False

    for node in sorted(edges):
        if state.get(node) is None and visit(node, []):
            break
    assert not cycle, f"import cycle: {' -> '.join(cycle)}"


def test_no_package_file_over_500_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, long


def test_family_modules_import_only_the_shared_model_pieces():
    for path in (PACKAGE / "model").glob("*.py"):
        if path.stem in SHARED or path.stem == "__init__":
            continue
        model_imports = {t.split(".")[2] for t in imports(path) if t.startswith("energymodel.model.") and t.count(".") >= 2}
        assert model_imports <= SHARED - {"objective"}, f"{path.name} imports {sorted(model_imports - SHARED)}"


def test_no_private_names_imported_across_modules():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("energymodel")):
                private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
                assert not private, f"{path.relative_to(ROOT)} imports private {private} from {node.module}"
