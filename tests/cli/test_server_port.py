"""A server is not started on a port another process listens on.

Granian binds with SO_REUSEPORT, so without this check a second ``keten demo`` on a taken port
started silently and the kernel split the connections between two servers and two databases."""

from __future__ import annotations

import socket
import subprocess
import sys


def _keten(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keten", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_a_taken_port_is_refused_naming_it() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as other:
        # Bound as Granian binds, so the refusal is tested against the case that slipped by.
        other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        for command in (("server", "run"), ("demo",)):
            proc = _keten(*command, "--port", str(port))
            assert proc.returncode == 2, proc.stdout + proc.stderr
            assert f"127.0.0.1:{port} is already in use" in proc.stderr
            assert "Demo-accounts" not in proc.stdout  # refused before any setup
