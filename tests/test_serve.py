"""``serve`` for real: uvicorn in a subprocess on a free loopback port, called like the README."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from candidate_cards.auth import hash_key

ROOT = Path(__file__).resolve().parents[1]
KEY = "ck_live_readme_example_key"
SERVE = (
    "import json, sys; from candidate_cards.service import serve; "
    "serve(port=int(sys.argv[1]), workers=int(sys.argv[2]), api_keys_file=sys.argv[3], "
    "**json.loads(sys.argv[4]))"
)


@dataclass
class Server:
    url: str
    port: int
    process: subprocess.Popen[str]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(tmp_path: Path, workers: int = 1, **options: Any) -> Iterator[Server]:
    """``serve`` in a subprocess on a free loopback port, up once /healthz answers."""
    keys = tmp_path / "keys.json"
    keys.write_text(json.dumps({hash_key(KEY): ["enrich:write"]}), encoding="utf-8")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), *sys.path])}
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(port), str(workers), str(keys), json.dumps(options)],
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
    try:
        yield Server(url, port, process)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.communicate(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.communicate(timeout=10)


@pytest.fixture(params=[1, 2], ids=["1-worker", "2-workers"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    with running_server(tmp_path, request.param) as server:
        yield server


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


TRIES = 20
THREE_MB = b'{"profiles": [' + b" " * (3 * 1024 * 1024) + b"]}"


def post_with_urllib(url: str) -> tuple[int, dict[str, Any]]:
    """POST as urllib (and requests) do: the whole body is sent before the answer is read."""
    request = urllib.request.Request(
        url, data=THREE_MB, method="POST", headers={"Content-Type": "application/json"}
    )
    request.add_header("Authorization", f"Bearer {KEY}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def post_with_httpx(url: str) -> tuple[int, dict[str, Any]]:
    """POST with httpx, which also writes the whole body first."""
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    response = httpx.post(url, headers=headers, content=THREE_MB, timeout=30)
    return response.status_code, response.json()


@pytest.mark.parametrize("post", [post_with_urllib, post_with_httpx], ids=["urllib", "httpx"])
def test_a_too_large_body_reaches_clients_as_the_413_envelope(tmp_path: Path, post):
    """Never a connection reset: the server reads the rest of the body before it closes."""
    outcomes: list[str] = []
    with running_server(tmp_path) as server:
        for _ in range(TRIES):
            try:
                status, body = post(f"{server.url}/sourcing/render-html")
            except (OSError, urllib.error.URLError, httpx.TransportError) as exc:
                outcomes.append(f"{type(exc).__name__}: {exc}")
                continue
            outcomes.append(f"{status} {body['error']}")
    assert outcomes == ["413 PAYLOAD_TOO_LARGE"] * TRIES


def test_a_client_expecting_100_continue_gets_the_413_without_sending_the_body(tmp_path: Path):
    """curl's way: the answer comes before any of the body, and no 100 Continue invites it."""
    with (
        running_server(tmp_path) as server,
        socket.create_connection(("127.0.0.1", server.port), timeout=10) as client,
    ):
        client.sendall(
            b"POST /sourcing/render-html HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + f"Authorization: Bearer {KEY}\r\n".encode()
            + b"Content-Type: application/json\r\nContent-Length: 3145728\r\n"
            + b"Expect: 100-continue\r\n\r\n"
        )
        answer = b"".join(iter(lambda: client.recv(65536), b""))  # until the server closes
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"PAYLOAD_TOO_LARGE" in answer


def stalled_request(server: Server, body: bytes, declared: int) -> socket.socket:
    """A render request whose headers promise ``declared`` bytes but that sends only ``body``."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    head = (
        "POST /sourcing/render-html HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\n"
        f"Authorization: Bearer {KEY}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    )
    sock.sendall(head.encode() + body)
    return sock


def read_until_closed(sock: socket.socket, limit: float) -> bytes:
    """Everything the server sends until it closes the connection, failing after ``limit`` s."""
    received = b""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    pytest.fail(f"the server neither answered nor closed within {limit} s: {received[:200]!r}")


def assert_timed_out(response: bytes) -> None:
    """A 408 envelope, after which the server closed the connection: never a 5xx or a hang."""
    head, _, body = response.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 "), response[:300]
    assert b"connection: close" in head.lower()
    envelope = json.loads(body)
    assert (envelope["statusCode"], envelope["error"]) == (408, "REQUEST_TIMEOUT")
    assert list(envelope) == ["statusCode", "error", "message", "details"]


def test_stalled_bodies_time_out_and_the_server_keeps_serving(tmp_path: Path):
    """Clients that stop mid-body get a 408 after the read timeout; others are served meanwhile
    and afterwards."""
    payload = (ROOT / "examples" / "render-request.json").read_bytes()
    headers = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    with running_server(tmp_path, body_timeout=1.0) as server:
        stalled = [stalled_request(server, payload[:100], len(payload)) for _ in range(3)]
        stalled.append(stalled_request(server, b"", len(payload)))
        try:
            during = httpx.post(
                f"{server.url}/sourcing/render-html", headers=headers, content=payload, timeout=10
            )
            assert during.status_code == 200
            for sock in stalled:
                assert_timed_out(read_until_closed(sock, limit=20))
        finally:
            for sock in stalled:
                sock.close()
        after = httpx.post(
            f"{server.url}/sourcing/render-html", headers=headers, content=payload, timeout=10
        )
        assert after.status_code == 200
        assert after.json()["count"] == 3
        server.process.terminate()
        _, stderr = server.process.communicate(timeout=30)
    assert "Traceback" not in stderr


def test_a_body_dripped_too_slowly_times_out(tmp_path: Path):
    """The timeout bounds the whole body, so a byte every little while cannot hold a worker."""
    with running_server(tmp_path, body_timeout=1.0) as server:
        sock = stalled_request(server, b"{", 1000)
        try:
            for _ in range(40):
                time.sleep(0.1)
                try:
                    sock.sendall(b" ")
                except OSError:
                    break
            assert_timed_out(read_until_closed(sock, limit=20))
        finally:
            sock.close()
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200


def test_garbage_on_the_wire_is_refused_and_the_server_survives(tmp_path: Path):
    """Bytes that are not HTTP never reach the app as a fault, and the server lives on.

    What the HTTP parser answers them (httptools: 400; h11: 400 or 505; or a close) is the
    parser's business, not ours, so it is not asserted."""
    with running_server(tmp_path) as server:
        for garbage in [
            b"\x00\xff" * 100 + b"\r\n\r\n",
            b"GET / HTTP/9.9\r\n\r\n",
            b"POST\r\n\r\n",
        ]:
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(garbage)
                response = read_until_closed(sock, limit=20)
            assert b"INTERNAL_ERROR" not in response, response[:200]
        assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200
