"""`goingsolo run` (what `make run` starts): web, worker and mail listener in one command,
all stopped by one Ctrl-C or SIGTERM, none left behind."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from goingsolo.cli import site_url_of_run
from tests.support import environment_of_an_instance, free_port

ROOT = Path(__file__).resolve().parents[2]
GOINGSOLO = Path(sys.executable).parent / "goingsolo"


def children_of(pid):
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in text.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def smtp_greeting(port, timeout=30):
    """The mail listener starts beside the web server; wait for it to listen."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=5) as smtp:
                return smtp.recv(100)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/status").read_text() if Path(f"/proc/{pid}").exists() else ""
    return "State:\tZ" not in state


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_run_serves_and_stops_every_child(tmp_path, stop_signal):
    web_port, smtp_port = free_port(), free_port()
    env = environment_of_an_instance()
    env.update(
        GOINGSOLO_DATA_DIR=str(tmp_path),
        GOINGSOLO_SMTPD_PORT=str(smtp_port),
        SITE_URL=f"http://127.0.0.1:{web_port}",
    )
    process = subprocess.Popen(
        [str(GOINGSOLO), "run", "--port", str(web_port), "--no-demo"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        # A first start migrates a new database: about 15 s on a quiet machine, more than a
        # minute on a loaded one. The bound says "it comes up", not how fast.
        deadline = time.monotonic() + 240
        healthy = False
        while time.monotonic() < deadline and not healthy:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{web_port}/healthz", timeout=1
                ) as response:
                    healthy = response.status == 200
            except OSError:
                time.sleep(0.2)
        assert healthy, "the instance did not answer /healthz"
        children = children_of(process.pid)
        assert len(children) == 3, children  # web, worker, mail listener
        assert smtp_greeting(smtp_port).startswith(b"220")
        with sqlite3.connect(tmp_path / "goingsolo.sqlite3") as database:
            assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert (tmp_path / "secret_key").exists()
        process.send_signal(stop_signal)
        process.wait(timeout=30)
        time.sleep(0.5)
        assert [pid for pid in children if alive(pid)] == []
    finally:
        if process.poll() is None:
            # Its children too: killing the supervisor alone would leave them running.
            for pid in children_of(process.pid):
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)
            process.kill()
            process.wait()


def test_run_refuses_a_port_already_in_use_and_says_so(tmp_path):
    """A second `goingsolo run` beside a first must not announce the first one's pages as
    its own: it stops before starting anything, naming the port."""
    web_port, smtp_port = free_port(), free_port()
    env = environment_of_an_instance()
    env.update(GOINGSOLO_DATA_DIR=str(tmp_path), GOINGSOLO_SMTPD_PORT=str(smtp_port))
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", web_port))
        taken.listen()
        finished = subprocess.run(
            [str(GOINGSOLO), "run", "--port", str(web_port), "--no-demo"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert finished.returncode == 1
    assert f"127.0.0.1:{web_port} is already in use" in finished.stderr
    assert "--port" in finished.stderr
    assert "is running at" not in finished.stdout
    assert not (tmp_path / "goingsolo.sqlite3").exists(), "stopped before migrating"


@pytest.mark.parametrize(
    ("host", "port", "environ", "expected"),
    [
        ("127.0.0.1", 8011, {}, "http://127.0.0.1:8011"),
        ("0.0.0.0", 8000, {}, "http://127.0.0.1:8000"),
        ("127.0.0.1", 8011, {"SITE_URL": "https://solo.example"}, "https://solo.example"),
    ],
)
def test_run_links_to_the_port_it_serves_unless_site_url_is_set(host, port, environ, expected):
    """Links in emails and posts (the demo's too) point to `--port`, not to 8000."""
    assert site_url_of_run(host, port, environ) == expected
