"""``serve`` for real: uvicorn in a subprocess on a free loopback port, called like the README."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from candidate_cards.auth import hash_key

ROOT = Path(__file__).resolve().parents[1]
KEY = "ck_live_readme_example_key"
SERVE = (
    "import sys; from candidate_cards.service import serve; "
    "serve(port=int(sys.argv[1]), workers=int(sys.argv[2]), api_keys_file=sys.argv[3])"
)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(params=[1, 2], ids=["1-worker", "2-workers"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({hash_key(KEY): ["enrich:write"]}), encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port), str(request.param), str(keys)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        if process.poll() is not None:
            pytest.fail(f"serve exited early: {process.stderr.read() if process.stderr else ''}")
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("serve did not answer /healthz within 30 s")
        time.sleep(0.1)
    yield Server(url, process)
    if process.poll() is None:
        process.terminate()
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate(timeout=10)


def test_readme_request_renders_cards_then_shuts_down_gracefully(server: Server):
    response = httpx.post(
        f"{server.url}/sourcing/render-html",
        headers={"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"},
        content=(ROOT / "examples" / "render-request.json").read_bytes(),
        timeout=10,
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["theme"], body["count"]) == ("light", 3)
    assert response.headers["x-request-id"] == body["requestId"]
    assert "server" not in response.headers

    server.process.send_signal(signal.SIGTERM)
    stdout, stderr = server.process.communicate(timeout=30)
    assert server.process.returncode in {0, -signal.SIGTERM}, stderr
    assert "Finished server process" in stderr
    access = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    assert body["requestId"] in {line["requestId"] for line in access}
    assert "Traceback" not in stderr


def test_huge_body_over_the_wire_is_refused(server: Server):
    chunk = b" " * 65536
    sent = 0

    def body() -> Iterator[bytes]:
        nonlocal sent
        for _ in range(50 * 1024 * 1024 // len(chunk)):
            sent += len(chunk)
            yield chunk

    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    try:
        response = httpx.post(
            f"{server.url}/sourcing/render-html", headers=headers, content=body(), timeout=10
        )
    except httpx.TransportError:
        response = None
    if response is not None:
        assert response.status_code == 413
        assert response.json()["error"] == "PAYLOAD_TOO_LARGE"
        assert response.headers["connection"] == "close"
    assert sent < 50 * 1024 * 1024
    assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
