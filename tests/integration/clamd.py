"""A real ClamAV daemon (clamd) for tests, with a signature database the test makes itself.

No signatures are downloaded (freshclam never runs): the database is one ``.ndb`` hex
signature that matches ``MARKER``, a string of our own inside an otherwise valid file (not
the EICAR test string, which would trip virus scanners on the repository itself). clamd
listens on a unix socket in a short temporary directory and is stopped after the test.

The root ``conftest.py`` loads this module as a plugin, so every test may ask for it::

    def test_it_refuses(clamd): ...

``clamd`` points ``CLAMD_ADDRESS`` at the daemon. The project installs clamd
(``scripts/install-system-deps``); without it the fixture fails, it does not skip.
"""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

# Split so that this file does not itself carry the marker in one piece.
MARKER = b"GT-PORTAL-TEST-" + b"MALWARE-MARKER-3c9e"
SIGNATURE_NAME = "Portal.Test.Marker"
FOUND_NAME = f"{SIGNATURE_NAME}.UNOFFICIAL"  # how clamd names a signature of a local database
STREAM_MAX = 512 * 1024  # clamd's own limit in the test configuration
STARTUP_TIMEOUT = 60.0


def clamd_binary() -> str:
    path = shutil.which("clamd") or next(
        (p for p in ("/usr/sbin/clamd", "/usr/local/sbin/clamd") if Path(p).exists()), None
    )
    if path is None:
        pytest.fail("clamd is not installed: run scripts/install-system-deps (clamav-daemon)")
    return path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Clamd:
    """clamd on a unix socket (``address``) and on TCP at 127.0.0.1 (``tcp_address``)."""

    directory: Path
    process: subprocess.Popen | None = None
    tcp_port: int = 0

    @property
    def socket(self) -> Path:
        return self.directory / "clamd.sock"

    @property
    def address(self) -> str:
        return f"unix://{self.socket}"

    @property
    def tcp_address(self) -> str:
        return f"tcp://127.0.0.1:{self.tcp_port}"

    def start(self) -> None:
        database = self.directory / "db"
        database.mkdir(exist_ok=True)
        (database / "portal-test.ndb").write_text(f"{SIGNATURE_NAME}:0:*:{MARKER.hex()}\n")
        config = self.directory / "clamd.conf"
        self.tcp_port = free_port()
        config.write_text(
            f"LocalSocket {self.socket}\n"
            f"TCPSocket {self.tcp_port}\n"
            "TCPAddr 127.0.0.1\n"
            f"DatabaseDirectory {database}\n"
            f"TemporaryDirectory {self.directory}\n"
            f"LogFile {self.directory / 'clamd.log'}\n"
            "Foreground yes\n"
            f"StreamMaxLength {STREAM_MAX}\n"
            "MaxThreads 2\n"
            "SelfCheck 0\n"
        )
        self.process = subprocess.Popen(
            [clamd_binary(), f"--config-file={config}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not self.socket.exists():
            if self.process.poll() is not None or time.monotonic() > deadline:
                log = self.directory / "clamd.log"
                self.stop()
                pytest.fail(
                    "clamd did not start: " + (log.read_text()[-2000:] if log.exists() else "")
                )
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        self.socket.unlink(missing_ok=True)


@pytest.fixture
def clamd(settings) -> Iterator[Clamd]:
    # A unix socket path may hold about 100 characters: pytest's tmp_path is too long.
    daemon = Clamd(Path(tempfile.mkdtemp(prefix="clamd-")))
    daemon.start()
    settings.CLAMD_ADDRESS = daemon.address
    try:
        yield daemon
    finally:
        daemon.stop()
        shutil.rmtree(daemon.directory, ignore_errors=True)
