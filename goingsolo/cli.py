"""The `goingsolo` command.

goingsolo run       the whole instance: web, worker and mail listener (what `make run` uses)
goingsolo serve     the web server (ASGI)
goingsolo worker    the background job worker, which also runs the schedule (digests, reminders…)
goingsolo smtpd     the inbound mail listener
goingsolo demo      load the demo community
goingsolo <django command>   migrate, createsuperuser, check --deploy, …
"""

import argparse
import ctypes
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from functools import cache


def _django_setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django  # noqa: PLC0415 -- once the settings module is chosen

    django.setup()


def serve(argv):

    parser = argparse.ArgumentParser(prog="goingsolo serve")
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")))
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import uvicorn  # noqa: PLC0415 -- only the web process loads the server

    uvicorn.run(
        "config.asgi:application",
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level=os.environ.get("LOG_LEVEL", "info").lower(),
        lifespan="off",
        # Open live-update streams never end on their own; give them a few seconds.
        timeout_graceful_shutdown=5,
    )


def _wait_healthy(url, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return True
        except OSError:
            time.sleep(0.1)
    return False


def site_url_of_run(host, port, environ):
    """The SITE_URL of `goingsolo run --host HOST --port PORT`: ENVIRON's if set, else the
    address it serves (a loopback one when it listens on every interface)."""
    if environ.get("SITE_URL"):
        return environ["SITE_URL"]
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
    return f"http://{host}:{port}"


# prctl(2)'s PR_SET_PDEATHSIG: the signal a process gets when its parent dies (Linux).
_PR_SET_PDEATHSIG = 1


def _ended_with_supervisor():
    """A preexec_fn for run()'s children: each gets SIGTERM when the supervisor dies, even
    by SIGKILL (the out-of-memory killer, a test's teardown), which its own signal handler
    never sees. Without it the three would live on, orphans in sessions of their own,
    holding the port, the worker's lease and the listener. Elsewhere than on Linux, nothing."""
    libc = _libc()
    if libc is not None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


@cache
def _libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def run(argv):
    """Prepares the database and runs web, worker and mail listener until Ctrl-C.

    The three are child processes, each in a session of its own, so that Ctrl-C reaches
    this supervisor only: on SIGINT or SIGTERM it sends each child one SIGTERM (the
    worker's second signal would cut its current job short), and if one dies the others
    are stopped too, so nothing is orphaned. Should the supervisor itself be killed, the
    kernel sends each child SIGTERM (_ended_with_supervisor).
    """

    parser = argparse.ArgumentParser(prog="goingsolo run")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo community")
    args = parser.parse_args(argv)

    # Links in emails and posts point where this run serves, unless SITE_URL says otherwise
    # (children inherit the environment).
    os.environ["SITE_URL"] = site_url_of_run(args.host, args.port, os.environ)
    me = [sys.executable, "-m", "goingsolo.cli"]
    # Preparing runs in a child process so this supervisor never loads Django: it stays a
    # few megabytes while it waits.
    prepare = subprocess.run(
        [
            *me,
            "_prepare",
            f"--web={args.host}:{args.port}",
            *(["--no-demo"] if args.no_demo else []),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    output, _marker, logins = prepare.stdout.partition(LOGINS_MARKER)
    print(output, end="", flush=True)
    if prepare.returncode != 0:
        return prepare.returncode

    commands = {
        "web": [*me, "serve", "--host", args.host, "--port", str(args.port)],
        "worker": [*me, "worker"],
        "smtpd": [*me, "smtpd"],
    }
    _libc()  # loaded here, before the forks, so that each child only calls it
    children = {
        name: subprocess.Popen(cmd, start_new_session=True, preexec_fn=_ended_with_supervisor)
        for name, cmd in commands.items()
    }
    stopping = False

    def stop(signum=None, frame=None):
        nonlocal stopping
        if stopping:
            return
        stopping = True
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for child in children.values():
            try:
                child.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    address = f"http://{args.host}:{args.port}"
    if _wait_healthy(f"{address}/healthz", timeout=30):
        print(f"\ngoingsolo is running at {address}/", flush=True)
        print(logins.strip("\n"), flush=True)
        print("Press Ctrl-C to stop.\n", flush=True)

    exit_code = 0
    while not stopping:
        for name, child in children.items():
            code = child.poll()
            if code is not None and not stopping:
                print(
                    f"goingsolo: the {name} process stopped (exit {code}); stopping the rest.",
                    flush=True,
                )
                exit_code = code or 1
                stop()
                break
        time.sleep(0.3)
    stop()
    return exit_code


LOGINS_MARKER = "\n--- goingsolo logins ---\n"


def _port_in_use(host, port):
    """Whether HOST:PORT is taken, as a server would find it when it binds."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def _prepare(argv):
    """Checks the ports are free, migrates, collects static files and loads the demo into
    an empty database."""
    _django_setup()
    # Django's modules are imported once it is set up (in this process only).
    from django.conf import settings  # noqa: PLC0415 -- after django.setup()
    from django.contrib.auth import get_user_model  # noqa: PLC0415 -- after django.setup()
    from django.core.management import call_command  # noqa: PLC0415 -- after django.setup()

    # Before anything starts: a second `goingsolo run` would otherwise find the first
    # one's /healthz and announce an instance that is not its own.
    web = next((arg.split("=", 1)[1] for arg in argv if arg.startswith("--web=")), None)
    wanted = [
        (settings.GOINGSOLO_SMTPD_HOST, settings.GOINGSOLO_SMTPD_PORT, "GOINGSOLO_SMTPD_PORT")
    ]
    if web:
        host, _colon, port = web.rpartition(":")
        wanted.insert(0, (host, int(port), "--port"))
    for host, port, option in wanted:
        if _port_in_use(host, port):
            print(
                f"goingsolo run: {host}:{port} is already in use (is goingsolo already "
                f"running?). Stop what uses it, or choose another port with {option}.",
                file=sys.stderr,
            )
            return 1

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    # Here rather than in the first process that detects a language: reading py3langid's
    # whole model takes a second and 100 MB, which this short-lived process gives back.
    from goingsolo.core import language_model  # noqa: PLC0415 -- after django.setup()

    language_model.prepare(language_model.codes_of(settings.GOINGSOLO_LANGUAGES))
    if "--no-demo" not in argv and not get_user_model().objects.exists():
        call_command("demo")
    from goingsolo.demo.loader import login_lines  # noqa: PLC0415 -- after django.setup()

    print(LOGINS_MARKER, end="")
    print(
        f"Mail listener on {settings.GOINGSOLO_SMTPD_HOST}:{settings.GOINGSOLO_SMTPD_PORT}; "
        "emails sent are printed here."
    )
    for line in login_lines():
        print(line)
    return 0


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv else "help"
    if command in ("help", "-h", "--help"):
        print(__doc__.strip())
        return 0
    if command == "serve":
        return serve(argv[1:])
    if command == "run":
        return run(argv[1:])
    if command == "_prepare":
        return _prepare(argv[1:])
    django_argv = [command, *argv[1:]]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 -- settings first

    execute_from_command_line(["goingsolo", *django_argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
