"""Serving benchmark: latency and throughput of `jauge serve` under 50 concurrent clients.

The store holds 1,000 accounts (organisations with one page each) and their posts and
interactions, generated from real data's distributions by benchmarks/index.py
(UCI Facebook metrics for the posts, Twitter US Airline Sentiment for how often people
come back). A real `jauge serve` process answers on loopback; 50 clients send requests
back to back for a fixed time, with wrk (`apt-get install wrk`: a C load generator, so
the clients take little of the machine's two cores from the server) or, without it,
asyncio + httpx in one Python process (which takes much more).

Measured, each next to a baseline in the same run, the server's static stylesheet (what
the server costs before any jauge code runs):
- GET /api/v1/score for one organisation (the dashboard's repeated question: cached until
  the store changes);
- GET /api/v1/score over all 1,000 organisations in turn (answered from the warm-up pass
  the server runs when the store changes: every organisation's default window, batched);
- GET /overview, the dashboard page (index, trend by quarter, breakdown), one organisation
  (rendered once, then kept until the store changes);
- GET /overview over the 1,000 organisations in turn: each page rendered for the first
  time in the run, from the warmed answers.

It also prints the time of the first score request after the server starts (computed on
demand, before any warm-up: the cold path), and when the server turned warm (its
readiness route, GET /healthz): the 1,000-organisation lines start once it is, so that
they measure answers from the warm-up rather than the wait for it.

    python benchmarks/serve.py                       # 1,000 accounts, 1,000,000 interactions
    python benchmarks/serve.py --clients 50 --seconds 20
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.index import WORKSPACE, generate  # noqa: E402

PASSWORD = "benchmark passphrase"


def prepare(db: Path, accounts: int, interactions: int) -> str:
    import jauge
    from jauge.users import add_user, create_token

    generate(db, accounts, interactions)
    with jauge.open(db) as j:
        add_user(j.store, "bench@jauge.example", PASSWORD, WORKSPACE, "viewer")
        return create_token(j.store, "bench@jauge.example")


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "JAUGE_COOKIE_SECURE": "false"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jauge", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/login", timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("jauge serve did not start")


def session_cookie(base: str) -> dict[str, str]:
    with httpx.Client(base_url=base) as client:
        form = client.get("/login").text
        token = re.search(r'name="csrf_token" value="([^"]+)"', form)
        assert token
        client.post(
            "/login",
            data={"email": "bench@jauge.example", "password": PASSWORD, "csrf_token": token[1]},
        )
        return {"jauge_session": client.cookies["jauge_session"]}


async def load(
    base: str,
    paths: list[str],
    clients: int,
    seconds: float,
    headers: dict[str, str],
    cookies: dict[str, str] | None = None,
) -> dict[str, float]:
    """``clients`` workers request ``paths`` in turn (shared cursor) for ``seconds``."""
    latencies: list[float] = []
    failures = 0
    cursor = 0
    stop = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(
        base_url=base, headers=headers, cookies=cookies, limits=limits, timeout=120
    ) as client:

        async def worker() -> None:
            nonlocal cursor, failures
            while time.perf_counter() < stop:
                path = paths[cursor % len(paths)]
                cursor += 1
                began = time.perf_counter()
                r = await client.get(path)
                latencies.append(time.perf_counter() - began)
                if r.status_code != 200:
                    failures += 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "failures": failures,
        "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


WRK_SCRIPT = """
paths = {}
counter = 0
init = function(args)
  for _, p in ipairs(args) do table.insert(paths, p) end
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("JAUGE %d %d %f %f %f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def load_wrk(
    base: str,
    paths: list[str],
    clients: int,
    seconds: float,
    headers: dict[str, str],
    cookies: dict[str, str] | None = None,
) -> dict[str, float]:
    """The same measure with wrk, 2 threads, ``clients`` connections."""
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "jauge.lua"
        script.write_text(WRK_SCRIPT)
        command = [
            "wrk",
            "-t2",
            f"-c{clients}",
            f"-d{seconds:g}s",
            "--timeout",
            "60s",
            "-s",
            str(script),
        ]
        for name, value in headers.items():
            command += ["-H", f"{name}: {value}"]
        if cookies:
            command += ["-H", "Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items())]
        command += [base, "--", *paths]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("JAUGE "))
    requests, failures, duration, p50, p95 = line.split()[1:]
    return {
        "requests": float(requests),
        "failures": float(failures),
        "rps": float(requests) / float(duration),
        "p50_ms": float(p50),
        "p95_ms": float(p95),
    }


def wait_until_warm(base: str, timeout: float = 600.0) -> float:
    """Poll the readiness route until every organisation's answers are warm; return when."""
    deadline = time.perf_counter() + timeout
    while not httpx.get(base + "/healthz", timeout=30).json()["warm"]:
        if time.perf_counter() > deadline:
            raise SystemExit("the server did not warm up")
        time.sleep(0.2)
    return time.perf_counter()


def show(name: str, r: dict[str, float], baseline: dict[str, float] | None = None) -> None:
    ratio = f"  ({r['rps'] / baseline['rps']:.2f}× baseline rps)" if baseline else ""
    print(
        f"  {name:<44} p50 {r['p50_ms']:7.1f} ms   p95 {r['p95_ms']:7.1f} ms   "
        f"{r['rps']:7.1f} req/s   {int(r['requests']):>6} requests, "
        f"{int(r['failures'])} failed{ratio}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--accounts", type=int, default=1_000)
    parser.add_argument("--interactions", type=int, default=1_000_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--python-client", action="store_true", help="Use httpx, not wrk.")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "serve.duckdb"
        began = time.perf_counter()
        token = prepare(db, args.accounts, args.interactions)
        print(f"store ready in {time.perf_counter() - began:.1f} s")
        server = start_server(db, args.port)
        started = time.perf_counter()
        base = f"http://127.0.0.1:{args.port}"
        auth = {"Authorization": f"Bearer {token}"}
        try:
            cookies = session_cookie(base)
            orgs = [f"brand {i:04d}" for i in range(args.accounts)]
            one = f"/api/v1/score?org={orgs[0].replace(' ', '+')}"
            every = [f"/api/v1/score?org={o.replace(' ', '+')}" for o in orgs]
            page = f"/overview?org={orgs[0].replace(' ', '+')}"

            print(f"{args.clients} concurrent clients, {args.seconds:g} s each, loopback")
            t0 = time.perf_counter()
            first = httpx.get(base + one, headers=auth, timeout=120)
            print(f"  first score request (cold): {(time.perf_counter() - t0) * 1000:.0f} ms")
            assert first.status_code == 200, first.text
            if shutil.which("wrk") and not args.python_client:
                print("  load generator: wrk")

                def run(measure: dict[str, float]) -> dict[str, float]:
                    return measure

                load_with = load_wrk
            else:
                print("  load generator: asyncio + httpx (install wrk for lighter clients)")
                run = asyncio.run  # type: ignore[assignment]
                load_with = load  # type: ignore[assignment]
            baseline = run(load_with(base, ["/static/app.css"], args.clients, args.seconds, auth))
            show("baseline: GET /static/app.css", baseline)
            show(
                "GET /api/v1/score, one org",
                run(load_with(base, [one], args.clients, args.seconds, auth)),
                baseline,
            )
            warm = wait_until_warm(base)
            print(f"  server warm {warm - started:.1f} s after it started (GET /healthz)")
            show(
                f"GET /api/v1/score, {len(orgs):,} orgs in turn",
                run(load_with(base, every, args.clients, args.seconds, auth)),
                baseline,
            )
            show(
                "GET /overview (page), one org",
                run(load_with(base, [page], args.clients, args.seconds, {}, cookies)),
                baseline,
            )
            pages = [f"/overview?org={o.replace(' ', '+')}" for o in orgs]
            show(
                f"GET /overview, {len(orgs):,} orgs in turn",
                run(load_with(base, pages, args.clients, args.seconds, {}, cookies)),
                baseline,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
