"""The test support itself: a server that dies says so at once, with its log kept."""

from __future__ import annotations

import time

import pytest

from malimap.testing.browser import ARTIFACTS, serve


def test_dead_server_fails_fast_with_its_log(tmp_path):
    missing = tmp_path / "no_such_app.py"  # streamlit refuses to start and exits
    started = time.monotonic()
    with pytest.raises(RuntimeError) as err, serve(timeout=60, script=str(missing)):
        pass
    assert time.monotonic() - started < 30  # not the 60 s health-check timeout
    message = str(err.value)
    assert "streamlit exited with" in message
    logs = [p.read_text() for p in ARTIFACTS.glob("streamlit-*.log") if str(missing) in p.read_text()]
    assert len(logs) == 1 and logs[0][-3000:] in message  # the log stays in test-artifacts/ for reading
