"""Serving under gunicorn on loopback and driving the server with wrk.

wrk (Debian's package) keeps a fixed number of connections busy for a fixed time; the Lua
script below makes it print, at the end, one line with the counts and the latency
percentiles this module reads back (wrk's own --latency output has no 95th percentile).
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"

#: Printed by wrk once the run ends; read back by parse_wrk.
DONE_LUA = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d bytes=%d status_errors=%d socket_errors=%d " ..
    "p50_us=%d p95_us=%d p99_us=%d max_us=%d\n",
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


@dataclass(frozen=True)
class LoadResult:
    """What one wrk run measured."""

    requests: int
    seconds: float
    bytes: int
    status_errors: int  # answers 4xx or 5xx
    socket_errors: int  # connect, read, write errors and timeouts
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        return self.status_errors + self.socket_errors


_LINE = re.compile(r"^BENCH (.*)$", re.MULTILINE)


def parse_wrk(output: str) -> LoadResult:
    """The figures of wrk's output (the line DONE_LUA prints); ValueError if it is missing."""
    match = _LINE.search(output)
    if not match:
        raise ValueError("wrk printed no result line:\n" + output[-2000:])
    values = {key: int(value) for key, value in (pair.split("=", 1) for pair in match.group(1).split())}
    return LoadResult(
        requests=values["requests"], seconds=values["duration_us"] / 1e6, bytes=values["bytes"],
        status_errors=values["status_errors"], socket_errors=values["socket_errors"],
        p50_ms=values["p50_us"] / 1000, p95_ms=values["p95_us"] / 1000, p99_ms=values["p99_us"] / 1000,
        max_ms=values["max_us"] / 1000)


def lua_script(method: str = "GET", body: str | None = None, headers: dict[str, str] | None = None) -> str:
    """The script of one wrk run: the request to send (same for every request) and DONE_LUA."""
    lines = [f"wrk.method = {_lua_string(method)}"]
    if body is not None:
        lines.append(f"wrk.body = {_lua_string(body)}")
    for name, value in (headers or {}).items():
        lines.append(f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}")
    return "\n".join(lines) + "\n" + DONE_LUA


def _lua_string(text: str) -> str:
    """A Lua string literal: bytes other than plain ASCII written as three-digit escapes."""
    safe = set(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ._-:/=&%+;,()*!~@")
    return '"' + "".join(chr(b) if b in safe else f"\\{b:03d}" for b in text.encode()) + '"'


def run_wrk(url: str, *, seconds: int, connections: int, threads: int, method: str = "GET",
            body: str | None = None, headers: dict[str, str] | None = None) -> LoadResult:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-", delete=False) as script:
        script.write(lua_script(method, body, headers))
    try:
        result = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script.name, url],
            capture_output=True, text=True, timeout=seconds + 60)
    finally:
        os.unlink(script.name)
    return parse_wrk(result.stdout + result.stderr)


# --- gunicorn -----------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A gunicorn server on loopback, stopped on exit from the with-block."""

    def __init__(self, app: str, *, workers: int, env: dict[str, str], log: Path, probe: str = "/"):
        self.app, self.workers, self.env, self.log, self.probe = app, workers, env, log, probe
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [str(GUNICORN), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}",
                "--timeout", "120", "--log-level", "warning", self.app]

    def __enter__(self) -> Server:
        with self.log.open("a") as log:
            self.process = subprocess.Popen(self.command(), env=self.env, cwd=ROOT, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.app} stopped at once; see {self.log}")
            try:
                urllib.request.urlopen(self.base + self.probe, timeout=5).read()
                return self
            except urllib.error.HTTPError:
                return self  # it answers
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError(f"{self.app} did not answer within two minutes; see {self.log}")

    def __exit__(self, *exc) -> None:
        """Quick shutdown (SIGINT): requests in progress or queued are dropped."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def restart(self) -> None:
        """The same server anew, on the same port: what a slow run left queued is dropped."""
        self.__exit__()
        self.__enter__()
