"""A goingsolo instance as it really runs, driven from outside by the tests.

An `Instance` has a data folder, a database (an SQLite file, or a PostgreSQL database
made for it and dropped afterwards), a Redis database when its topology has one, free
ports for the web and the mail listener, an SMTP sink (tests/support.py `SmtpSink`) as
its mail server and local DNS records (`LocalDNS`) for sender authentication. It starts
as `goingsolo run` does (`run()`), or process by process (`start("worker")`) for tests
that kill one of them. The test process never opens the instance's database through
Django: members are made by a seeding script run in the instance's environment, and the
tests read a few rows with plain SQL.

Migrating a database from nothing takes a while on a loaded machine, so each kind of
database is prepared once per test session (`Templates`) and each instance starts from a
copy (a copied data folder; `CREATE DATABASE … TEMPLATE …` on PostgreSQL).
"""

import email.utils
import json
import os
import re
import shutil
import signal
import smtplib
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import psycopg
import redis

from goingsolo.core.time_zones import canonical_names
from tests.support import LocalDNS, dkim_sign, dkim_test_key, free_port, missing_part

ROOT = Path(__file__).resolve().parents[2]
GOINGSOLO = Path(sys.executable).parent / "goingsolo"
# The servers the topologies use; each test session makes (and drops) databases of its own.
POSTGRES_URL = os.environ.get(
    "TOPOLOGY_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("TOPOLOGY_REDIS_URL", "redis://127.0.0.1:6379")
DATABASE_PREFIX = "goingsolo_topology_"
MAIL_DOMAIN = "lists.topology.test"
# The local hour of the daily digest, for the worker's schedule (GOINGSOLO_DIGEST_HOUR).
DIGEST_HOUR = 7
# The machine may be loaded: starting is given long; what the tests assert, seconds.
START_TIMEOUT = 120
# Settings an instance takes from the environment of the test process: none of these.
NOT_INHERITED = (
    "DATABASE_URL",
    "REDIS_URL",
    "GOINGSOLO_",
    "DJANGO_",
    "PYTEST",
    "EMAIL_",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "SECRET_KEY",
    "DEBUG",
)

# django-tasks-db's run_after of a job that may run at once.
NO_DELAY = datetime(9999, 1, 1, tzinfo=UTC)

TOPOLOGIES = {
    # name: (database, with Redis)
    "sqlite": ("sqlite", False),
    "postgres": ("postgres", False),
    "redis": ("postgres", True),
}


# --- Databases ------------------------------------------------------------------------------


class SqliteDatabase:
    """The instance's SQLite file, in its data folder."""

    kind = "sqlite"

    def __init__(self, data_dir):
        self.path = Path(data_dir) / "goingsolo.sqlite3"
        self.url = f"sqlite:///{self.path}"

    def query(self, sql, *params):
        with sqlite3.connect(self.path, timeout=30) as connection:
            rows = connection.execute(sql.replace("%s", "?"), [_sqlite_value(p) for p in params])
            return rows.fetchall()

    def drop(self):
        pass  # removed with its folder


def _sqlite_value(value):
    # Django stores times on SQLite as UTC text without the offset.
    if isinstance(value, datetime):
        return value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ")
    return value


class PostgresDatabase:
    """A database of its own on the PostgreSQL server, made from TEMPLATE when given."""

    kind = "postgres"

    def __init__(self, name):
        self.name = name
        server = urlparse(POSTGRES_URL)
        self.server = {
            "host": server.hostname or "127.0.0.1",
            "port": server.port or 5432,
            "user": server.username or "postgres",
            "password": server.password or None,
        }
        credentials = self.server["user"] + (f":{server.password}" if server.password else "")
        self.url = f"postgres://{credentials}@{self.server['host']}:{self.server['port']}/{name}"

    @staticmethod
    def available():
        try:
            _postgres_admin().close()
            return True
        except Exception:
            return False

    def create(self, template=None):
        with _postgres_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            if template is None:
                admin.execute(f'CREATE DATABASE "{self.name}"')
            else:
                admin.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{template.name}"')
        return self

    def query(self, sql, *params):
        with psycopg.connect(dbname=self.name, autocommit=True, **self.server) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def drop(self):
        _drop_postgres_database(self.name)


def _postgres_admin():
    server = urlparse(POSTGRES_URL)
    return psycopg.connect(
        host=server.hostname or "127.0.0.1",
        port=server.port or 5432,
        user=server.username or "postgres",
        password=server.password or None,
        dbname=server.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=5,
    )


def _drop_postgres_database(name):
    with _postgres_admin() as admin:
        # Processes killed by a test may have left sessions behind.
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def drop_databases_of_dead_sessions():
    """Drops the databases that sessions killed before their end left on the server (their
    names carry the pid of the session, which no longer runs)."""
    with _postgres_admin() as admin:
        names = [
            row[0]
            for row in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                [DATABASE_PREFIX.replace("_", r"\_") + "%"],
            )
        ]
    for name in names:
        found = re.match(rf"{DATABASE_PREFIX}(\d+)_", name)
        if found and not _alive(int(found.group(1))):
            _drop_postgres_database(name)


# --- Redis ----------------------------------------------------------------------------------


class RedisDatabase:
    """A Redis database number nobody else uses: the first empty one, claimed with a key
    (two test sessions at once take different ones), flushed when given back. One whose
    key names a session that no longer runs on this machine (killed before its end) is
    taken over."""

    OWNER_KEY = "goingsolo:topology:owner"

    def __init__(self):
        self.number = None
        for number in range(1, 16):
            client = redis.Redis.from_url(f"{REDIS_URL}/{number}")
            self._forget_dead_owner(client)
            if client.dbsize() == 0 and client.set(self.OWNER_KEY, os.getpid(), nx=True):
                self.number, self.client = number, client
                break
            client.close()
        if self.number is None:
            raise RuntimeError("No empty Redis database among 1–15 for the topology tests.")
        self.url = f"{REDIS_URL}/{self.number}"

    @staticmethod
    def available():
        try:
            return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
        except Exception:
            return False

    def _forget_dead_owner(self, client):
        """Empties CLIENT's database if a session that no longer runs claimed it; watched,
        so that a session claiming it meanwhile keeps it."""
        with client.pipeline() as pipe:
            try:
                pipe.watch(self.OWNER_KEY)
                owner = pipe.get(self.OWNER_KEY)
                if owner is None or not owner.isdigit() or _alive(int(owner)):
                    return
                pipe.multi()
                pipe.flushdb()
                pipe.execute()
            except redis.WatchError:
                pass

    def release(self):
        self.client.flushdb()
        self.client.close()


# --- Prepared databases ---------------------------------------------------------------------


class Templates:
    """A data folder (and database) per kind of database, migrated, with its static files
    collected and the members, groups and posts of every test made (seed.py), once per
    session; instances start from copies. The kinds a session needs are prepared side by
    side (`start`): on a loaded machine two at once finish well before two in a row."""

    def __init__(self, folder):
        self.folder = Path(folder)
        self.preparing = {}
        self.pool = ThreadPoolExecutor(max_workers=len(TOPOLOGIES))
        self.postgres_databases = []
        self.redis = None
        self.count = 0

    def require(self, topology):
        kind, with_redis = TOPOLOGIES[topology]
        if kind == "postgres" and not PostgresDatabase.available():
            missing_part(f"PostgreSQL does not answer at {POSTGRES_URL}; topology tests skipped.")
        if with_redis and not RedisDatabase.available():
            missing_part(f"Redis does not answer at {REDIS_URL}; topology tests skipped.")
        if with_redis and self.redis is None:
            self.redis = RedisDatabase()

    def start(self, topologies):
        """Starts preparing the databases of TOPOLOGIES (those whose server answers)."""
        for topology in topologies:
            kind = TOPOLOGIES[topology][0]
            if kind in self.preparing:
                continue
            if kind == "postgres" and not PostgresDatabase.available():
                continue
            self.preparing[kind] = self.pool.submit(self._prepare, kind)

    def prepared(self, kind):
        """(data folder, database, what seed.py made) of KIND, once ready."""
        for topology, (topology_kind, _redis) in TOPOLOGIES.items():
            if topology_kind == kind:
                self.start([topology])
        return self.preparing[kind].result()

    def new_database(self, kind, data_dir):
        """A fresh database for an instance whose data folder is DATA_DIR."""
        template_dir, template, _seeded = self.prepared(kind)
        shutil.copytree(template_dir, data_dir)
        if kind == "sqlite":
            return SqliteDatabase(data_dir)
        self.count += 1
        database = PostgresDatabase(f"{DATABASE_PREFIX}{os.getpid()}_{self.count}")
        self.postgres_databases.append(database)
        return database.create(template=template)

    def _prepare(self, kind):
        data_dir = self.folder / kind
        data_dir.mkdir(parents=True)
        if kind == "sqlite":
            database = SqliteDatabase(data_dir)
        else:
            drop_databases_of_dead_sessions()
            database = PostgresDatabase(f"{DATABASE_PREFIX}{os.getpid()}_template").create()
            self.postgres_databases.append(database)
        environment = base_environment(data_dir, database)
        subprocess.run(
            [str(GOINGSOLO), "_prepare", "--no-demo"],
            cwd=ROOT,
            env=environment,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=START_TIMEOUT * 2,
        )
        # The digests' readers live where their morning is hours away, until a test moves
        # them.
        before_their_morning = {"digest_time_zone": zone_where_it_is((DIGEST_HOUR - 4) % 24)}
        seeded = seed(environment, live={}, mail=before_their_morning, jobs=before_their_morning)
        return data_dir, database, seeded

    def close(self):
        self.pool.shutdown(wait=True)
        for database in self.postgres_databases:
            database.drop()
        if self.redis is not None:
            self.redis.release()


def inherited_environment():
    return {k: v for k, v in os.environ.items() if not k.startswith(NOT_INHERITED)}


def base_environment(data_dir, database):
    """What every process of an instance (and of its preparation) runs with."""
    return {
        **inherited_environment(),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "GOINGSOLO_DATA_DIR": str(data_dir),
        "DATABASE_URL": database.url,
        "GOINGSOLO_MAIL_DOMAIN": MAIL_DOMAIN,
        "LOG_LEVEL": "WARNING",
    }


def seed(environment, **scenarios):
    """Runs seed.py's SCENARIOS (name → options) in ENVIRONMENT; returns what it made."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.topology.seed", json.dumps(scenarios)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- The instance ---------------------------------------------------------------------------


class Instance:
    def __init__(self, topology, *, templates, folder, sink, environment=None):
        templates.require(topology)
        kind, with_redis = TOPOLOGIES[topology]
        self.topology = topology
        self.folder = Path(folder)
        self.data_dir = self.folder / "data"
        self.database = templates.new_database(kind, self.data_dir)
        # What seed.py made in the database, by scenario.
        self.seeded = templates.prepared(kind)[2]
        self.redis_url = templates.redis.url if with_redis else None
        self.sink = sink
        self.dns = LocalDNS(self.folder / "dns-records.json")
        self.web_port, self.smtp_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.web_port}"
        self.extra_environment = dict(environment or {})
        self.processes = []

    def environment(self):
        environment = {
            **base_environment(self.data_dir, self.database),
            **self.dns.environment(),
            "SITE_URL": self.url,
            "GOINGSOLO_SMTPD_PORT": str(self.smtp_port),
            "EMAIL_URL": f"smtp://127.0.0.1:{self.sink.port}",
            # Retries and leases in seconds rather than minutes, so that tests see them.
            "GOINGSOLO_MAIL_RETRY_BASE_SECONDS": "1",
            "GOINGSOLO_MAIL_LEASE_SECONDS": "2",
            "GOINGSOLO_WORKER_LEASE_SECONDS": "2",
            # A browser driven by a test posts the moment the form is filled, which the
            # spam signals take for a robot's and hold (docs/moderation.md).
            "GOINGSOLO_WIKI_MIN_SECONDS_TO_SUBMIT": "0",
        }
        if self.redis_url:
            environment["REDIS_URL"] = self.redis_url
        environment.update(self.extra_environment)
        return environment

    # Processes

    def run(self):
        """`goingsolo run`: web, worker and mail listener; returns once all three answer."""
        process = self._spawn(
            "run", [str(GOINGSOLO), "run", "--port", str(self.web_port), "--no-demo"]
        )
        self.wait_for_web(process)
        self.wait_for_listener(process)
        self.wait_for_worker(process)
        return process

    def start(self, command, *arguments):
        """One process (`worker`, `smtpd`, `serve` …); returns once it answers."""
        process = self._spawn(command, [str(GOINGSOLO), command, *arguments])
        if command == "worker":
            self.wait_for_worker(process)
        elif command == "smtpd":
            self.wait_for_listener(process)
        return process

    def _spawn(self, name, command):
        log = self.folder / f"{name}-{len(self.processes) + 1}.log"
        with open(log, "wb") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.environment(),
                stdout=output,
                stderr=subprocess.STDOUT,
                # A group of its own: whatever it starts is stopped with it.
                start_new_session=True,
            )
        process.log = log
        self.processes.append(process)
        return process

    def _waiting(self, process, what):
        """Yields until the deadline; fails at once, with its output, if PROCESS died."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"{what}: the process ended.\n{self.output(process)}")
            yield
            time.sleep(0.2)
        raise AssertionError(f"{what}: not within {START_TIMEOUT} s.\n{self.output(process)}")

    def wait_for_web(self, process):
        for _ in self._waiting(process, "the web server answering /healthz"):
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass

    def wait_for_listener(self, process):
        for _ in self._waiting(process, "the mail listener greeting"):
            try:
                with socket.create_connection(("127.0.0.1", self.smtp_port), timeout=5) as smtp:
                    if smtp.recv(100).startswith(b"220"):
                        return
            except OSError:
                pass

    def wait_for_worker(self, process):
        """A worker has started when it holds its lease (goingsolo/core/jobs.py)."""
        for _ in self._waiting(process, "the worker taking its lease"):
            pids = {process.pid, *_descendants(process.pid)}
            held = {row[0] for row in self.query("SELECT pid FROM core_workerlease")}
            if pids & held:
                return

    def kill(self, process):
        """SIGKILL, as the out-of-memory killer or a failing machine would (to the process
        and what it started, in its group or in sessions of its own as `goingsolo run`'s)."""
        started = _descendants(process.pid)
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for pid in started:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=30)

    def stop(self, process):
        if process.poll() is None:
            try:
                os.kill(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of its group
        except ProcessLookupError:
            pass
        process.wait(timeout=30)

    def close(self):
        # Nothing to keep: killed rather than stopped, which takes the web server seconds.
        for process in self.processes:
            self.kill(process)
        self.database.drop()

    def output(self, process):
        text = Path(process.log).read_text(errors="replace")
        return text[-6000:]

    def outputs(self):
        return "\n".join(f"--- {p.args[1:3]}\n{self.output(p)}" for p in self.processes)

    # Data

    def query(self, sql, *params):
        """Rows of SQL (placeholders %s) on the instance's database."""
        return self.database.query(sql, *params)

    def wait_until_idle(self, timeout=60):
        """Until no job is due or running and no email waits: what the seed set off is done."""
        deadline = time.monotonic() + timeout
        while True:
            now = datetime.now(UTC)
            jobs = self.query(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult"
                " WHERE status IN ('READY', 'RUNNING') AND (run_after <= %s OR run_after >= %s)",
                now,
                NO_DELAY,
            )[0][0]
            emails = self.query(
                "SELECT COUNT(*) FROM mail_outboundemail WHERE status IN ('queued', 'sending')"
            )[0][0]
            if not jobs and not emails:
                return
            assert time.monotonic() < deadline, f"{jobs} jobs, {emails} emails still waiting"
            time.sleep(0.2)

    # Mail, as another mail server would send it

    def publish_dkim_key(self, domain, selector="mail"):
        _private, public = dkim_test_key()
        self.dns.set(f"{selector}._domainkey.{domain}", "TXT", [f"v=DKIM1; k=rsa; p={public}"])

    def send_mail(self, raw, *, to, mail_from=None):
        """Hands RAW (bytes) to the instance's mail listener over SMTP."""
        sender = (
            mail_from or email.utils.parseaddr(email.message_from_bytes(raw).get("From", ""))[1]
        )
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=60) as smtp:
            smtp.sendmail(sender, [to], raw)

    def group_address(self, slug, tag=""):
        return f"{slug}{'+' + tag if tag else ''}@{MAIL_DOMAIN}"

    def mail_to_group(self, slug, *, sender, subject, body, in_reply_to=None):
        """A message from SENDER to the group SLUG's address, signed by the mail provider of
        SENDER's domain (DKIM), whose key the instance's DNS serves (bytes)."""
        raw = message(
            sender=sender,
            to=self.group_address(slug),
            subject=subject,
            body=body,
            in_reply_to=in_reply_to,
        )
        return signed(raw, domain=sender.rpartition("@")[2], instance=self)

    def send_to_group(self, slug, **mail):
        """Hands the listener `mail_to_group(SLUG, **MAIL)`."""
        self.send_mail(self.mail_to_group(slug, **mail), to=self.group_address(slug))


def message(*, sender, to, subject, body, in_reply_to=None):
    """An email as a member's mail program writes it (bytes, CRLF)."""
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = to
    mail["Subject"] = subject
    mail["Date"] = email.utils.formatdate(localtime=True)
    domain = email.utils.parseaddr(sender)[1].rpartition("@")[2]
    mail["Message-ID"] = f"<{uuid.uuid4().hex}@{domain}>"
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = in_reply_to
    mail.set_content(body)
    return mail.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def signed(raw, *, domain, instance):
    """RAW signed by DOMAIN's mail provider, whose key the instance's DNS serves."""
    instance.publish_dkim_key(domain)
    return dkim_sign(raw, domain=domain, publish=False)


def wait_for(condition, what, timeout):
    """Until CONDITION() is true; fails with WHAT after TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def zone_where_it_is(hour):
    """A time zone members choose from where it is now HOUR o'clock (HOUR:00 to HOUR:59):
    the clock is real, the zone is chosen. Every hour is somewhere (offsets run from −11
    to +14 hours)."""
    now = datetime.now(UTC)
    for name in sorted(canonical_names()):
        if now.astimezone(ZoneInfo(name)).hour == hour:
            return name
    raise AssertionError(f"No time zone where it is {hour} o'clock now ({now:%H:%M} UTC).")


def _descendants(pid):
    children = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
