"""Latency of live updates: publish → receive, in one process and between processes.

1. **Fan-out in one process** (in-process and Redis backends): 100 subscriptions listen
   to one channel on the event loop, as the SSE streams of a web process do; 1,000 events
   are published from another thread, as a request or a job publishes on commit, one
   every --interval seconds (the figure wanted is the delay of one event, not of a queue
   being drained). Each subscription notes when each event reaches it; the figures are
   over the 100,000 deliveries.

2. **Between processes, per topology** (what `goingsolo run` and a production instance
   do): a listening process, set up as a web process is (the backend the settings choose,
   --subscribers subscriptions on its event loop), and a publishing process, as the
   worker or another web process is. The publisher sends --across-events events, one
   every --across-interval seconds, each carrying the wall-clock time just before
   `publish` (the row, the commit, the notification included); the listener notes the
   wall-clock time each reaches a subscription. Topologies:
   - sqlite: the embedded default, a fresh SQLite file (no other server);
   - postgresql: PostgreSQL without Redis (a scratch database, dropped afterwards), at
     $BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres;
   - redis: Redis ($REDIS_URL or redis://127.0.0.1:6379/0) beside SQLite.
   A topology whose server does not answer is skipped, with the reason printed.

3. **Publications a second** in each topology: --rate-events events published as fast as
   possible by one process, from one thread and from four (as request threads publish
   on commit, each in its own transaction).

    .venv/bin/python bench/live.py [--events 1000] [--subscribers 100] [--interval 0.002]
        [--across-events 300] [--across-interval 0.02] [--rate-events 1000]
        [--only fanout|across]

A namespace (Redis) or a database (PostgreSQL) of its own keeps the benchmark away from
other users of the same servers.
"""

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

DEFAULT_REDIS = "redis://127.0.0.1:6379/0"
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def setup_django():
    import django

    django.setup()


# --- 1. Fan-out in one process ----------------------------------------------------------


async def measure(backend, events, subscribers, interval):
    channel = f"bench:{uuid.uuid4().hex}"
    latencies = []
    dropped = 0

    async def listen(subscription):
        nonlocal dropped
        async for _, event, data in subscription:
            if event == "resync":
                dropped += 1
                continue
            latencies.append(time.perf_counter() - data["sent"])
            if data["n"] == events - 1:
                return

    def publish():
        for n in range(events):
            backend.publish(channel, "bench", {"n": n, "sent": time.perf_counter()})
            time.sleep(interval)

    subscriptions = [backend.subscribe([channel], maxsize=events) for _ in range(subscribers)]
    for subscription in subscriptions:
        await subscription.__aenter__()
    try:
        listeners = [asyncio.create_task(listen(s)) for s in subscriptions]
        started = time.perf_counter()
        publisher = threading.Thread(target=publish)
        publisher.start()
        await asyncio.wait_for(asyncio.gather(*listeners), timeout=60)
        elapsed = time.perf_counter() - started
        publisher.join()
    finally:
        for subscription in subscriptions:
            await subscription.__aexit__(None, None, None)
        await backend.aclose()
    return latencies, dropped, elapsed


def report(name, latencies, dropped, elapsed, expected):
    quantiles = statistics.quantiles(latencies, n=100)
    print(
        f"{name:<10} {len(latencies):>8} / {expected:<8} "
        f"{statistics.median(latencies) * 1000:>8.2f} {quantiles[94] * 1000:>8.2f} "
        f"{max(latencies) * 1000:>8.2f} {dropped:>8} {elapsed:>7.2f}s",
        flush=True,
    )


def header():
    print(f"{'':<10} {'received':>19} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'resyncs':>8} {'time':>8}")  # fmt: skip


def fanout(args):
    setup_django()
    import redis

    from goingsolo.core.live import LocalBackend, RedisBackend

    url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
    expected = args.events * args.subscribers
    print(
        f"1. Fan-out in one process: {args.events} events, {args.subscribers} subscriptions, "
        f"one every {args.interval * 1000:g} ms\n"
    )
    header()
    backends = [("in-process", LocalBackend)]
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        backends.append(("redis", lambda: RedisBackend(url, namespace=f"bench:{uuid.uuid4().hex}")))
    except redis.RedisError:
        print(f"(no Redis at {url}: Redis skipped)")
    for name, make in backends:
        latencies, dropped, elapsed = asyncio.run(
            measure(make(), args.events, args.subscribers, args.interval)
        )
        report(name, latencies, dropped, elapsed, expected)


# --- 2. Between processes ---------------------------------------------------------------


def listen_process(channel, events, subscribers):
    """The listening process: prints "ready" once subscribed, then one JSON line: the
    delays (seconds) of every delivery, and the number of resyncs."""
    setup_django()
    from goingsolo.core import live

    async def main():
        delays = []
        resyncs = 0

        async def listen(subscription):
            nonlocal resyncs
            async for _, event, data in subscription:
                if event == "resync":
                    resyncs += 1
                    continue
                delays.append(time.time() - data["sent"])
                if data["n"] == events - 1:
                    return

        subscriptions = [live.subscribe([channel], maxsize=events) for _ in range(subscribers)]
        for subscription in subscriptions:
            await subscription.__aenter__()
        print("ready", flush=True)
        try:
            await asyncio.wait_for(asyncio.gather(*(listen(s) for s in subscriptions)), timeout=120)
        finally:
            for subscription in subscriptions:
                await subscription.__aexit__(None, None, None)
            await live.get_backend().aclose()
        print(json.dumps({"backend": type(live.get_backend()).__name__, "delays": delays,
                          "resyncs": resyncs}), flush=True)  # fmt: skip

    asyncio.run(main())


def publish_process(channel, events, interval):
    """The publishing process: EVENTS events, one every INTERVAL seconds."""
    setup_django()
    from goingsolo.core import live

    failed = 0
    for n in range(events):
        if live.publish(channel, "bench", {"n": n, "sent": time.time()}) is None:
            failed += 1
        time.sleep(interval)
    if failed:
        print(f"{failed} publications failed", file=sys.stderr)


def rate_process(events, threads):
    """Publications a second, from THREADS threads of one process (as request threads
    publish on commit); prints one JSON line."""
    setup_django()
    from django.db import connections

    from goingsolo.core import live

    channel = f"bench:{uuid.uuid4().hex}"
    live.publish(channel, "bench", {})  # connects, and prunes once, before the clock runs

    def publish_some():
        for n in range(events // threads):
            live.publish(channel, "bench", {"n": n, "sent": time.time()})
        connections.close_all()

    workers = [threading.Thread(target=publish_some) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"rate": (events // threads * threads) / (time.perf_counter() - started)}))


def environment(**variables):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_URL", "REDIS_URL", "GOINGSOLO_", "DJANGO_"))
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings",
               LOG_LEVEL="WARNING", **variables)  # fmt: skip
    return env


def run_child(env, *arguments, **options):
    return subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        cwd=ROOT, env=env, text=True, **options,
    )  # fmt: skip


def across_one(name, env, args):
    """Runs a listener and a publisher in ENV; prints the line of figures of NAME, and
    measures the publication rate (printed at the end)."""
    channel = f"bench:{uuid.uuid4().hex}"
    listener = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "_listen", channel,
         str(args.across_events), str(args.subscribers)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        if listener.stdout.readline().strip() != "ready":
            print(f"{name:<10} the listening process did not start")
            return
        started = time.perf_counter()
        run_child(env, "_publish", channel, str(args.across_events), str(args.across_interval),
                  check=True)  # fmt: skip
        result = json.loads(listener.stdout.readline())
        elapsed = time.perf_counter() - started
        listener.wait(timeout=60)
    finally:
        if listener.poll() is None:
            listener.kill()
    report(name, result["delays"], result["resyncs"], elapsed,
           args.across_events * args.subscribers)  # fmt: skip
    rates = {}
    for threads in (1, 4):
        output = run_child(env, "_rate", str(args.rate_events), str(threads),
                           check=True, stdout=subprocess.PIPE).stdout  # fmt: skip
        rates[threads] = json.loads(output.strip().splitlines()[-1])["rate"]
    RATES.append((name, rates))


RATES = []


def migrate_core(env):
    # The live-update table is core's; nothing else is needed to publish and listen.
    subprocess.run(
        [sys.executable, "-m", "goingsolo.cli", "migrate", "core", "-v", "0"],
        cwd=ROOT, env=env, check=True,
    )  # fmt: skip


def across(args):
    print(
        f"\n2. Between processes: {args.across_events} events published by one process, "
        f"one every {args.across_interval * 1000:g} ms, heard by {args.subscribers} "
        "subscriptions in another\n"
    )
    header()
    with tempfile.TemporaryDirectory(prefix="bench-live-") as folder:
        sqlite_env = environment(GOINGSOLO_DATA_DIR=folder)
        migrate_core(sqlite_env)
        across_one("sqlite", sqlite_env, args)

        postgres = os.environ.get("BENCH_POSTGRES_URL") or DEFAULT_POSTGRES
        scratch = postgres_scratch(postgres)
        if scratch is None:
            print(f"(no PostgreSQL at {postgres}: PostgreSQL skipped)")
        else:
            try:
                postgres_env = environment(GOINGSOLO_DATA_DIR=folder, DATABASE_URL=scratch)
                migrate_core(postgres_env)
                across_one("postgresql", postgres_env, args)
            finally:
                postgres_drop(postgres, scratch)

        url = os.environ.get("REDIS_URL") or DEFAULT_REDIS
        if not redis_answers(url):
            print(f"(no Redis at {url}: Redis skipped)")
        else:
            across_one("redis", environment(GOINGSOLO_DATA_DIR=folder, REDIS_URL=url), args)

    print(f"\n3. Publications a second ({args.rate_events} events, from one process)\n")
    print(f"{'':<10} {'1 thread':>10} {'4 threads':>10}")
    for name, rates in RATES:
        print(f"{name:<10} {rates[1]:>10.0f} {rates[4]:>10.0f}", flush=True)


def postgres_scratch(url):
    """Creates a scratch database beside URL's; returns its URL, or None."""
    import psycopg

    name = f"bench_live_{uuid.uuid4().hex[:12]}"
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=3) as admin:
            admin.execute(f"CREATE DATABASE {name}")
    except psycopg.Error:
        return None
    return f"{url.rsplit('/', 1)[0]}/{name}"


def postgres_drop(url, scratch):
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {scratch.rsplit('/', 1)[1]} WITH (FORCE)")


def redis_answers(url):
    import redis

    try:
        return redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def main():
    if sys.argv[1:2] == ["_listen"]:
        return listen_process(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    if sys.argv[1:2] == ["_publish"]:
        return publish_process(sys.argv[2], int(sys.argv[3]), float(sys.argv[4]))
    if sys.argv[1:2] == ["_rate"]:
        return rate_process(int(sys.argv[2]), int(sys.argv[3]))
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.002, help="seconds between events")
    parser.add_argument("--across-events", type=int, default=300)
    parser.add_argument("--across-interval", type=float, default=0.02)
    parser.add_argument("--rate-events", type=int, default=1000)
    parser.add_argument("--only", choices=["fanout", "across"])
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n")
    if args.only != "across":
        fanout(args)
    if args.only != "fanout":
        across(args)


if __name__ == "__main__":
    main()
