"""More than one server: N Streamlit replicas behind HAProxy on one machine, sharing one data package and one cache.

    python -m malimap serve --replicas 2 --port 8500

A Streamlit session lives in one process (its widgets, its upload), so the balancer is sticky: the first response
sets a cookie naming the replica, and every later request of that browser, the websocket and uploads included, goes
to the same one. The caches are built once, before any replica starts (`prepare`); the replicas then only read them
and the data package, so both can be mounted read-only and shared (DEPLOY.md).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from malimap import config

HAPROXY = "/usr/sbin/haproxy"
COOKIE = "MALIMAP_REPLICA"


def streamlit_command(port: int, script: Path, address: str = "127.0.0.1") -> list[str]:
    """How every server of ours is started: headless, no usage statistics, on one address and port."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]


def prepare(data: Path, cache: Path, public: bool = False) -> None:
    """Everything the replicas read, built once with their settings (data, seeds, boundaries, public mode): validated
    tables, the catalogue, file digests and the map's files."""
    os.environ["MALIMAP_CACHE_DIR"] = str(cache)
    from malimap.catalogue.cache import served_catalogue
    from malimap.dataset import load_dataset_cached
    from malimap.dataset.cache import wait_for_writes
    from malimap.geo.boundaries import active_boundaries
    from malimap.outputs.geometry import publish_geometry, publish_web

    b = active_boundaries()
    served_catalogue(data, public)
    load_dataset_cached(data, units=b.units)  # an upload joins these tables
    wait_for_writes()
    web = config.web_dir()
    publish_web(web)
    for level, layer in b.layers.items():
        publish_geometry(web, layer, level)


def haproxy_config(port: int, replicas: list[int], stats_port: int, address: str = "127.0.0.1") -> str:
    """Round robin for new browsers, a cookie for the rest; websockets pass through (Streamlit keeps them open)."""
    servers = "\n".join(f"    server r{i} 127.0.0.1:{p} check cookie r{i}" for i, p in enumerate(replicas, start=1))
    return f"""global
    maxconn 4096

defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel 1h
    option forwardfor

frontend malimap
    bind {address}:{port}
    default_backend replicas

backend replicas
    balance roundrobin
    option httpchk GET /_stcore/health
    http-check expect status 200
    cookie {COOKIE} insert indirect nocache httponly
{servers}

frontend stats
    bind 127.0.0.1:{stats_port}
    stats enable
    stats uri /stats
"""


@dataclass
class Deployment:
    url: str
    stats_url: str
    replicas: list[subprocess.Popen]
    balancer: subprocess.Popen
    logs: list[Path] = field(default_factory=list)

    def sessions_per_replica(self) -> dict[str, int]:
        """Sessions HAProxy has sent to each replica since it started (its own count, from the stats CSV)."""
        text = urllib.request.urlopen(f"{self.stats_url};csv", timeout=5).read().decode()
        header, *rows = [line.split(",") for line in text.splitlines() if line]
        col = {name.lstrip("# "): i for i, name in enumerate(header)}
        return {r[col["svname"]]: int(r[col["stot"]] or 0) for r in rows if r[col["pxname"]] == "replicas" and r[1][:1] == "r"}


def wait_healthy(url: str, watched: list[tuple[str, subprocess.Popen, Path]], timeout: float) -> None:
    """Until `url` answers "ok"; a watched process that dies fails at once, with the end of its log."""
    deadline = time.time() + timeout
    while True:
        for name, proc, log in watched:
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if urllib.request.urlopen(url, timeout=2).read() == b"ok":
                return
        except OSError:
            if time.time() > deadline:
                tail = "\n".join(log.read_text()[-3000:] for _, _, log in watched[-1:])
                raise RuntimeError(f"{url} did not answer in {timeout}s:\n{tail}") from None
            time.sleep(0.3)


@contextlib.contextmanager
def run(
    replicas: int = 2,
    port: int = 8500,
    data: Path | None = None,
    cache: Path | None = None,
    env: dict[str, str] | None = None,
    logs: Path | None = None,
    timeout: float = 120,
    replica_ports: list[int] | None = None,
    stats_port: int | None = None,
) -> Iterator[Deployment]:
    """Prepare the shared cache, start the replicas (on the ports after `port` unless given), then HAProxy on `port`.

    Long because start-up and shutdown must be read together: every process started is stopped in the same `finally`."""
    if not Path(HAPROXY).exists():
        raise RuntimeError(f"{HAPROXY} not found: apt-get install haproxy")
    data = Path(data or config.data_dir()).resolve()
    cache = Path(cache or config.cache_dir()).resolve()
    base_env = {**os.environ, **(env or {}), "MALIMAP_DATA_DIR": str(data), "MALIMAP_CACHE_DIR": str(cache)}
    saved = os.environ.copy()
    os.environ.update(base_env)
    try:
        prepare(data, cache, public=config.public_setting())
    finally:
        os.environ.clear()
        os.environ.update(saved)
    folder = Path(logs or tempfile.mkdtemp(prefix="malimap-deploy-"))
    folder.mkdir(parents=True, exist_ok=True)
    ports = replica_ports or [port + i for i in range(1, replicas + 1)]
    stats_port = stats_port or port + replicas + 1
    (folder / "haproxy.cfg").write_text(haproxy_config(port, ports, stats_port))
    procs: list[subprocess.Popen] = []
    paths: list[Path] = []
    handles = []
    try:
        for i, p in enumerate(ports, start=1):
            paths.append(folder / f"replica-{i}.log")
            handles.append(open(paths[-1], "w"))
            procs.append(
                subprocess.Popen(
                    streamlit_command(p, config.REPO_ROOT / "app.py"),
                    cwd=config.REPO_ROOT,
                    env=base_env,
                    stdout=handles[-1],
                    stderr=subprocess.STDOUT,
                )
            )
        watched = [(f"streamlit replica r{i}", proc, log) for i, (proc, log) in enumerate(zip(procs, paths), start=1)]
        for p in ports:
            wait_healthy(f"http://127.0.0.1:{p}/_stcore/health", watched, timeout)
        paths.append(folder / "haproxy.log")
        handles.append(open(paths[-1], "w"))
        balancer = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(folder / "haproxy.cfg")], stdout=handles[-1], stderr=subprocess.STDOUT
        )
        procs.append(balancer)
        url = f"http://127.0.0.1:{port}"
        wait_healthy(f"{url}/_stcore/health", [*watched, ("haproxy", balancer, paths[-1])], timeout)
        yield Deployment(url, f"http://127.0.0.1:{stats_port}/stats", procs[:-1], balancer, paths)
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for h in handles:
            h.close()
        if logs is None:
            shutil.rmtree(folder, ignore_errors=True)


def serve_forever(replicas: int, port: int) -> int:
    """The command line's `serve`: run until interrupted, saying where to connect."""
    with run(replicas=replicas, port=port, logs=config.cache_dir() / "deploy") as d:
        print(f"malimap on {d.url} ({replicas} replicas behind HAProxy; statistics on {d.stats_url}); Ctrl-C stops it")
        with contextlib.suppress(KeyboardInterrupt):
            while all(p.poll() is None for p in [*d.replicas, d.balancer]):
                time.sleep(1)
    return 0
