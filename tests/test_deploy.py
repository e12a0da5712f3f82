"""More than one server: replicas behind HAProxy, sticky sessions, one shared cache that nobody writes to."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from malimap.ops.deploy import COOKIE, HAPROXY, haproxy_config, prepare
from malimap.testing.browser import ROOT, require_browser


def test_the_balancer_is_sticky_and_checks_each_replica():
    cfg = haproxy_config(8500, [8501, 8502, 8503], 8504)
    assert "bind 127.0.0.1:8500" in cfg and "balance roundrobin" in cfg
    assert f"cookie {COOKIE} insert indirect nocache" in cfg  # a browser stays on the replica that holds its session
    for i, port in enumerate((8501, 8502, 8503), start=1):
        assert f"server r{i} 127.0.0.1:{port} check cookie r{i}" in cfg
    assert "option httpchk GET /_stcore/health" in cfg and "timeout tunnel 1h" in cfg  # websockets stay open


def _state(*folders: Path) -> dict[str, tuple[int, int]]:
    """Every file under the folders, with its size and modification time."""
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for folder in folders for p in folder.rglob("*") if p.is_file()}


@pytest.mark.browser
def test_sessions_and_uploads_spread_over_two_replicas_without_errors(tmp_path):
    require_browser()
    if not Path(HAPROXY).exists():
        if os.environ.get("MALIMAP_REQUIRE_BROWSER"):
            pytest.fail(f"{HAPROXY} not found (apt-get install haproxy)")
        pytest.skip(f"{HAPROXY} not found (apt-get install haproxy)")
    from benchmarks.load_test import balanced

    data, cache = ROOT / "data", tmp_path / "shared-cache"
    env = {"MALIMAP_CACHE_DIR": str(cache), "MALIMAP_DATA_DIR": str(data), "MALIMAP_SEEDS_DIR": str(tmp_path / "no-seeds")}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        prepare(data, cache)  # what the deployment builds before any replica starts
    finally:
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
    before = _state(cache, data)
    result = balanced(4, 8, replicas=2, uploads=2, env=env)  # every port a free one
    assert result["errors"] == [] and result["foreign_requests"] == []
    assert result["uploads"] == 2  # an upload's request reached the replica holding its session (or it fails)
    assert result["changes"] >= 4
    assert len(result["session_replica"]) == 4 and set(result["session_replica"]) == {"r1", "r2"}  # spread, each pinned
    assert all(n > 0 for n in result["balancer_sessions"].values()) and len(result["balancer_sessions"]) == 2
    assert _state(cache, data) == before  # the shared cache and the data package were only read
