"""`goingsolo run` killed outright takes its three processes with it (goingsolo/cli.py):
its children run in sessions of their own, so without the kernel's help they would live on
as orphans, holding the port, the worker's lease and the mail listener."""

import os
import signal
import socket
import time
from pathlib import Path

import pytest

from .conftest import instance_of
from .instances import _descendants

pytestmark = pytest.mark.topology


def alive(pid):
    """PID runs (a zombie waiting for its parent to collect it does not)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def test_the_children_stop_when_the_supervisor_is_killed(templates, tmp_path_factory):
    with instance_of("sqlite", templates, tmp_path_factory) as instance:
        supervisor = instance.run()
        children = _descendants(supervisor.pid)
        assert len(children) >= 3  # web (and its workers), worker, mail listener
        os.kill(supervisor.pid, signal.SIGKILL)  # the supervisor alone, as the OOM killer would
        supervisor.wait(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(alive(pid) for pid in children):
            time.sleep(0.2)
        assert [pid for pid in children if alive(pid)] == []
        for port in (instance.web_port, instance.smtp_port):
            with pytest.raises(OSError):
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
