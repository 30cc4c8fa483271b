"""Latency of live updates: publish → receive, in process and through Redis.

100 subscriptions listen to one channel on the event loop, as the SSE streams of a web
process do; 1,000 events are published from another thread, as a request or a job
publishes on commit, one every --interval seconds (the figure wanted is the delay of
one event, not of a queue being drained). Each subscription notes when each event
reaches it; the figures are over the 100,000 deliveries.

    .venv/bin/python bench/live.py [--events 1000] [--subscribers 100] [--interval 0.002]

Redis is the one of REDIS_URL, or redis://127.0.0.1:6379/0; the run is skipped when it
does not answer. A namespace of its own keeps other users of that Redis out of it.
"""

import argparse
import asyncio
import os
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django

django.setup()

import redis  # noqa: E402

from goingsolo.core.live import LocalBackend, RedisBackend  # noqa: E402


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--subscribers", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.002, help="seconds between events")
    args = parser.parse_args()
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    expected = args.events * args.subscribers

    print(
        f"{args.events} events, {args.subscribers} subscriptions, one every "
        f"{args.interval * 1000:g} ms; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs\n"
    )
    print(f"{'backend':<10} {'received':>19} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
          f"{'resyncs':>8} {'time':>8}")  # fmt: skip
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


if __name__ == "__main__":
    main()
