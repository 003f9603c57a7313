"""The package's stages import only from earlier stages: data flows one way."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "extract"

#: Stages in pipeline order; a module may import from its own stage or any earlier one.
STAGES = [
    "errors",
    "stops",
    "model",
    "vocab",
    "corpus",
    "readers",
    "interpret",
    "checks",
    "store",
    "publish",
    "pipeline",
    "cluster",
    "cli",
]


def stage_of(module: str) -> str | None:
    """The stage of a dotted module name inside the package, or None for outside modules."""
    parts = module.split(".")
    if parts[0] != "extract":
        return None
    if len(parts) == 1:
        return "errors"  # the package root holds only the version
    return parts[1] if parts[1] in STAGES else None


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) for every import in a file, relative imports made absolute."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            name = node.module or ""
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([name] if name else []))
            found.append((node.lineno, name))
    return found


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)


def test_every_module_belongs_to_a_stage():
    loose = [str(p.relative_to(PACKAGE)) for p in MODULES if stage_of(_dotted(p)) is None and p.name != "__main__.py"]
    assert loose == []


def _dotted(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_stage_imports_a_later_one(path: Path):
    own = stage_of(_dotted(path)) or "cli"
    later = []
    for line, module in imports_of(path):
        stage = stage_of(module)
        if stage is not None and STAGES.index(stage) > STAGES.index(own):
            later.append(f"line {line}: {module} ({stage} comes after {own})")
    assert later == []


def test_the_walk_catches_a_backward_import(tmp_path: Path):
    """The check itself can fail: a reader importing the store is caught."""
    bad = PACKAGE / "readers" / "_probe_backward.py"
    bad.write_text("from extract.store.load import create\n")
    try:
        own = stage_of(_dotted(bad))
        stages = [stage_of(m) for _, m in imports_of(bad)]
        assert own == "readers" and stages == ["store"]
        assert STAGES.index("store") > STAGES.index(own)
    finally:
        bad.unlink()
