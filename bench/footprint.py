"""Footprint of the embedded instance: start-up time, pages served, resident memory.

Starts the instance exactly as `make run` does (`goingsolo run`: migrations, the demo
community, then web + worker + mail listener as child processes) in a temporary data
directory, on free ports:

1. a first start on the empty directory (installs, migrates, loads the demo), then a stop;
2. a second start on the same directory, timed until /healthz answers 200 (the figure
   compared to the target: what someone waits for on every `make run` after the first);
3. logs in as a demo member through the allauth form and requests every page it can find
   from / (same-site links, up to --pages), skipping logout and the POST-only addresses,
   then posts a reply in a thread (its language detected, its jobs run by the worker);
4. sums the resident memory (VmRSS) of `goingsolo run` and all its descendants;
5. stops the instance with SIGINT, as Ctrl-C would, and checks no process is left.

    .venv/bin/python bench/footprint.py [--pages 150] [--member marco@goingsolo.example]

Targets: start-up under 5 s, under 300 MB resident in total. Exit status: 0 when both are
met, 1 when a target is missed, 2 when the instance did not run properly (it did not
start, stopped on its own, or left a process behind). Standard library only.
"""

import argparse
import collections
import html.parser
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

TARGET_START_SECONDS = 5.0
TARGET_TOTAL_MB = 300.0
MB = 1024 * 1024
DEMO_MEMBER = "marco@goingsolo.example"
DEMO_PASSWORD = "goingsolo-demo"
THREAD = re.compile(r"^/g/[^/]+/t/\d+/$")

# Addresses a crawler must not follow: they act (POST only) or end the session.
SKIP = re.compile(
    r"""^/(
        accounts/logout/ | language/ | static/ | media/ | admin/
        | g/[^/]+/leave/ | g/[^/]+/members/\d+/(role|remove)/ | g/[^/]+/requests/\d+/
    )""",
    re.VERBOSE,
)


def say(*parts):
    print(*parts, flush=True)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Processes, from /proc.


def proc_stat(pid):
    """(parent pid, start time in clock ticks, state) of PID, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name, in parentheses, may hold spaces: split after the last ')'.
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[19]), fields[0]


def descendants(root):
    """PID's descendants, children before grandchildren."""
    children = collections.defaultdict(list)
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = proc_stat(int(entry.name))
            if stat:
                children[stat[0]].append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in sorted(children.get(todo.pop(0), [])):
            found.append(child)
            todo.append(child)
    return found


def status_kb(pid, key):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pss_kb(pid):
    """Proportional set size: shared pages divided among the processes sharing them."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def label(pid):
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return "?"
    argv = [arg for arg in argv if arg]
    for known in ("run", "serve", "worker", "smtpd"):
        if known in argv:
            return f"goingsolo {known}"
    return " ".join(Path(arg).name if i == 0 else arg for i, arg in enumerate(argv))[:60]


class Instance:
    """One `goingsolo run` on DATA_DIR, its output in a log file there."""

    def __init__(self, goingsolo, data_dir, port, smtpd_port, name):
        self.goingsolo = goingsolo
        self.port = port
        self.base = f"http://127.0.0.1:{port}"
        self.log_path = Path(data_dir) / f"{name}.log"
        self.env = dict(os.environ)
        # The embedded instance, whatever the calling shell says.
        for variable in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL", "EMAIL_HOST", "DEBUG"):
            self.env.pop(variable, None)
        self.env.update(
            GOINGSOLO_DATA_DIR=str(data_dir),
            GOINGSOLO_SMTPD_PORT=str(smtpd_port),
            SITE_URL=self.base,
            PYTHONUNBUFFERED="1",
        )
        self.process = None
        self.seen = {}  # pid → (start time, label): every process of the instance seen

    def start(self):
        self.log = open(self.log_path, "w")
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [str(self.goingsolo), "run", "--port", str(self.port)],
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C on the bench does not reach it; stop() does.
            start_new_session=True,
        )

    def wait_healthy(self, timeout):
        """Seconds from start to the first 200 on /healthz, or None."""
        deadline = self.started + timeout
        last_note = self.started
        while time.monotonic() < deadline:
            self.remember()
            if self.process.poll() is not None:
                return None
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return time.monotonic() - self.started
            except (OSError, urllib.error.URLError):
                pass
            if time.monotonic() - last_note >= 5:
                last_note = time.monotonic()
                say(f"  … still waiting for /healthz ({last_note - self.started:.0f} s)")
            time.sleep(0.05)
        return None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def pids(self):
        return [self.process.pid, *descendants(self.process.pid)] if self.alive() else []

    def remember(self):
        for pid in self.pids():
            stat = proc_stat(pid)
            if stat and pid not in self.seen:
                self.seen[pid] = (stat[1], label(pid))

    def memory(self):
        """[(pid, label, rss kB, pss kB)] for the run process and its descendants."""
        self.remember()
        return [(pid, label(pid), status_kb(pid, "VmRSS"), pss_kb(pid)) for pid in self.pids()]

    def stop(self, timeout=20):
        """SIGINT, as Ctrl-C; returns (exit status, [(pid, label)] of processes left)."""
        self.remember()
        code = None
        if self.alive():
            self.process.send_signal(signal.SIGINT)
            try:
                code = self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                say(f"  `goingsolo run` did not stop within {timeout} s of SIGINT: killing it")
        else:
            code = self.process.returncode if self.process else None
        left = self.left_over(grace=3)
        for pid, _name in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.log.close()
        return code, left

    def left_over(self, grace):
        """Processes of the instance still running after GRACE seconds (pid reuse aside)."""
        deadline = time.monotonic() + grace
        while True:
            left = []
            for pid, (started, name) in self.seen.items():
                stat = proc_stat(pid)
                if stat and stat[1] == started and stat[2] not in ("Z", "X"):
                    left.append((pid, name))
            if not left or time.monotonic() >= deadline:
                return left
            time.sleep(0.1)

    def log_tail(self, lines=25):
        try:
            return self.log_path.read_text(errors="replace").splitlines()[-lines:]
        except OSError:
            return []


# The web client.


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect comes back as its 3xx, and the crawler follows it itself


class _Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


class Client:
    def __init__(self, base):
        self.base = base
        self.host = urllib.parse.urlsplit(base).netloc
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect()
        )

    def request(self, path, form=None):
        """(status, headers, body text, seconds) of one request to PATH."""
        url = urllib.parse.urljoin(self.base, path)
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        started = time.monotonic()
        try:
            with self.opener.open(request, timeout=30) as response:
                status, headers, body = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, body = error.code, error.headers, error.read()
        seconds = time.monotonic() - started
        charset = headers.get_content_charset() or "utf-8"
        return status, headers, body.decode(charset, errors="replace"), seconds

    def cookie(self, name):
        return next((cookie.value for cookie in self.jar if cookie.name == name), None)

    def log_in(self, email, password):
        """Logs in through the allauth form; returns an error message or None."""
        status, _headers, body, _seconds = self.request("/accounts/login/")
        if status != 200:
            return f"GET /accounts/login/ answered {status}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if not token:
            return "no CSRF token in the login form"
        form = {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1)}
        status, _headers, _body, _seconds = self.request("/accounts/login/", form)
        if status not in (301, 302, 303) or not self.cookie("sessionid"):
            return f"the login form answered {status} without a session (wrong password?)"
        return None

    def reply(self, pages, body):
        """Replies BODY in the first thread among PAGES (crawled paths) that has a reply
        form; returns an error message or None."""
        for path, status, _seconds in pages:
            if status != 200 or not THREAD.match(path):
                continue
            _status, _headers, page, _seconds = self.request(path)
            form = re.search(r'<form[^>]+action="([^"]+/reply/)"', page)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if form and token:
                fields = {"body": body, "csrfmiddlewaretoken": token.group(1)}
                status, _headers, _body, _seconds = self.request(form.group(1), fields)
                return None if status in (302, 303) else f"the reply answered {status}"
        return "no thread with a reply form among the pages crawled"

    def same_site_path(self, href, page):
        """The path (and query) HREF on PAGE points to, when it is on this site."""
        url = urllib.parse.urljoin(urllib.parse.urljoin(self.base, page), href)
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != self.host:
            return None
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return None if SKIP.match(parts.path) else path

    def crawl(self, start, limit, alive):
        """Requests every page reachable from START once; returns [(path, status, s)]."""
        queue, queued, done = collections.deque([start]), {start}, []
        while queue and len(done) < limit:
            if not alive():
                say("  the instance stopped during the crawl")
                break
            path = queue.popleft()
            try:
                status, headers, body, seconds = self.request(path)
            except OSError as error:
                done.append((path, f"error: {error}", 0.0))
                say(f"  [{len(done):>3}/{limit}] ERR  {path}  {error}")
                continue
            done.append((path, status, seconds))
            say(f"  [{len(done):>3}/{limit}] {status}  {path}  {seconds * 1000:.0f} ms")
            if status in (301, 302, 303, 307, 308):
                hrefs = [headers.get("Location", "")]
            elif status == 200 and "html" in (headers.get_content_type() or ""):
                parser = _Links()
                parser.feed(body)
                hrefs = parser.links
            else:
                hrefs = []
            for href in hrefs:
                found = self.same_site_path(href, path)
                if found and found not in queued:
                    queued.add(found)
                    queue.append(found)
        return done


def print_memory(title, rows):
    say(f"\n{title}")
    say(f"  {'pid':>7}  {'process':<20} {'RSS MB':>8} {'PSS MB':>8}")
    for pid, name, rss, pss in rows:
        say(f"  {pid:>7}  {name:<20} {rss / 1024:>8.1f} {pss / 1024:>8.1f}")
    rss_total = sum(row[2] for row in rows) / 1024
    pss_total = sum(row[3] for row in rows) / 1024
    say(f"  {'':>7}  {'total':<20} {rss_total:>8.1f} {pss_total:>8.1f}")
    return rss_total


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = Path(sys.executable).with_name("goingsolo")
    parser.add_argument("--goingsolo", type=Path, default=default, help=f"default: {default}")
    parser.add_argument("--pages", type=int, default=150, help="most pages to request")
    parser.add_argument("--member", default=DEMO_MEMBER, help="demo login to crawl as")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--timeout", type=float, default=120, help="seconds to wait for a start")
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args(argv)

    if not args.goingsolo.exists():
        say(f"No {args.goingsolo}: run `make install` or pass --goingsolo.")
        return 2
    data_dir = Path(tempfile.mkdtemp(prefix="goingsolo-footprint-"))
    port, smtpd_port = free_port(), free_port()
    say(f"Data directory {data_dir}; web on 127.0.0.1:{port}, mail on 127.0.0.1:{smtpd_port}")
    instances = []
    problems = []

    def new_instance(name):
        instance = Instance(args.goingsolo, data_dir, port, smtpd_port, name)
        instances.append(instance)
        return instance

    def failed(instance, what):
        problems.append(what)
        say(f"\n{what}. Last lines of {instance.log_path}:")
        for line in instance.log_tail():
            say(f"  | {line}")

    def stop(instance):
        code, left = instance.stop()
        say(f"  stopped (exit status {code}); processes left: {len(left)}")
        for pid, name in left:
            say(f"    LEFT RUNNING: {pid} {name} (killed now)")
        if left:
            problems.append(f"{len(left)} process(es) left after SIGINT")
        return code

    try:
        say("\n1. First start: install the database, migrate, load the demo…")
        first = new_instance("first-start")
        first.start()
        first_seconds = first.wait_healthy(args.timeout)
        if first_seconds is None:
            failed(first, "The first start did not answer /healthz")
            stop(first)
            return report(problems)
        say(f"  /healthz answered 200 after {first_seconds:.2f} s; stopping (SIGINT)")
        stop(first)

        say("\n2. Second start on the same data directory (what every `make run` costs)…")
        instance = new_instance("second-start")
        instance.start()
        start_seconds = instance.wait_healthy(args.timeout)
        if start_seconds is None:
            failed(instance, "The second start did not answer /healthz")
            stop(instance)
            return report(problems)
        say(f"  /healthz answered 200 after {start_seconds:.2f} s")
        time.sleep(1)  # the worker and the mail listener finish starting
        if not instance.alive():
            failed(instance, "`goingsolo run` stopped on its own just after starting")
            stop(instance)
            return report(problems)
        idle_rows = instance.memory()

        say(f"\n3. Log in as {args.member} and request every page found from /…")
        client = Client(instance.base)
        error = client.log_in(args.member, args.password)
        if error:
            problems.append(f"login failed: {error}")
            say(f"  LOGIN FAILED: {error}; crawling anonymously")
        else:
            say("  logged in")
        pages = client.crawl("/", args.pages, instance.alive)
        # A post is saved with its language detected (the web process maps the model),
        # then indexed and announced by the worker.
        error = client.reply(pages, "Merci pour ces conseils, je note tout pour samedi !")
        if error:
            problems.append(f"reply failed: {error}")
            say(f"  REPLY FAILED: {error}")
        else:
            say("  posted a reply in a thread")
            time.sleep(2)  # the worker runs the jobs the reply queued
        busy_rows = instance.memory()
        if not instance.alive():
            failed(instance, "`goingsolo run` stopped during the crawl")

        say("\n4. Stop with SIGINT…")
        stop(instance)
    except KeyboardInterrupt:
        say("\nInterrupted: stopping the instance.")
        for instance in instances:
            if instance.alive():
                stop(instance)
        return 2
    finally:
        for instance in instances:
            if instance.alive():
                instance.stop()
        if args.keep or problems:
            say(f"\nData directory and logs kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)

    # The summary.
    print_memory("Memory after start-up (1 s settled):", idle_rows)
    total_mb = print_memory(f"Memory after {len(pages)} pages:", busy_rows)
    statuses = collections.Counter(status for _path, status, _s in pages)
    say(
        f"\nPages requested: {len(pages)} ({', '.join(f'{k}: {n}' for k, n in sorted(statuses.items(), key=str))})"
    )
    odd = [(path, status) for path, status, _s in pages if status != 200]
    for path, status in odd:
        say(f"  {status}  {path}")
    if pages:
        times = sorted(seconds for _path, _status, seconds in pages)
        say(
            f"Response times: median {times[len(times) // 2] * 1000:.0f} ms, "
            f"slowest {times[-1] * 1000:.0f} ms"
        )
    say(f"\nFirst start (migrate + demo): {first_seconds:.2f} s")
    met_start = start_seconds < TARGET_START_SECONDS
    met_memory = total_mb < TARGET_TOTAL_MB
    say(
        f"Start-up:        {start_seconds:6.2f} s   target < {TARGET_START_SECONDS:.0f} s    "
        f"{'OK' if met_start else 'MISSED'}"
    )
    say(
        f"Resident memory: {total_mb:6.1f} MB  target < {TARGET_TOTAL_MB:.0f} MB  "
        f"{'OK' if met_memory else 'MISSED'}  ({len(busy_rows)} processes, RSS summed)"
    )
    if problems:
        return report(problems)
    return 0 if met_start and met_memory else 1


def report(problems):
    say("\nProblems:")
    for problem in problems:
        say(f"  - {problem}")
    return 2


if __name__ == "__main__":
    sys.exit(main())
