"""The test support itself: a server that dies says so at once, with its log kept."""

from __future__ import annotations

import pytest

from malimap.testing.browser import ARTIFACTS, serve


def test_dead_server_fails_fast_with_its_log(tmp_path):
    missing = tmp_path / "no_such_app.py"  # streamlit refuses to start and exits
    with pytest.raises(RuntimeError) as err, serve(timeout=600, script=str(missing)):
        pass
    message = str(err.value)
    assert "streamlit exited with" in message  # seen dead, not given up on after the health check's 600 s
    logs = [p.read_text() for p in ARTIFACTS.glob("streamlit-*.log") if str(missing) in p.read_text()]
    assert len(logs) == 1 and logs[0][-3000:] in message  # the log stays in test-artifacts/ for reading
