"""Every prose fact of the bundled corpus, as the reviewed snapshot in tests/snapshots/ says."""

from __future__ import annotations

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _snapshot_module():
    spec = importlib.util.spec_from_file_location("prose_snapshot", REPO / "benchmarks" / "prose_snapshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_prose_facts_match_the_snapshot(bundled_text_db):
    snap = _snapshot_module()
    old, new = snap.stored(), snap.prose_facts(bundled_text_db)
    assert old, f"no snapshot at {snap.SNAPSHOT}; make one with: {snap.REGENERATE}"
    assert old == new, (
        f"prose facts differ from the snapshot ({len(old)} there, {len(new)} now):\n"
        f"{snap.diff(old, new)}\nIf every difference is an improvement, regenerate: {snap.REGENERATE}"
    )
