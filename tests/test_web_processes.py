"""Real processes on one store: the CLI writes while `jauge serve` answers, and the demo serves.

Real processes, as a user would run them: the server (`jauge serve`), clients hammering
its API from threads, and `jauge import`, `jauge enrich` and an API upload at the same
time. Every answer must be a 200 (or the upload's 201), every command must succeed, and
the store must hold exactly what each writer reported writing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import httpx

from .conftest import ROOT, UCI_FACEBOOK
from .liveserver import free_port
from .webstore import WebStore

JAUGE = [sys.executable, "-m", "jauge"]


def wait_until_up(url: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        try:
            httpx.get(url + "/login", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("jauge serve did not start")


def run_cli(*args: str) -> dict[str, object]:
    done = subprocess.run(
        [*JAUGE, *args, "--format", "json"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def test_cli_writes_while_the_server_serves(fresh_web_store: WebStore, tmp_path: Path):
    db = str(fresh_web_store.path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [*JAUGE, "serve", "--db", db, "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    statuses: Counter[int] = Counter()
    stop = threading.Event()
    auth = fresh_web_store.auth("analyst")

    def hammer(path: str, params: dict[str, str]) -> None:
        with httpx.Client(base_url=url, headers=auth, timeout=120) as client:
            while not stop.is_set():
                statuses[client.get(path, params=params).status_code] += 1

    try:
        wait_until_up(url, server)
        before = httpx.get(url + "/api/v1/stats", headers=auth).json()["entities"]["items"]
        clients = [
            threading.Thread(target=hammer, args=("/api/v1/score", {"org": "United"})),
            threading.Thread(target=hammer, args=("/api/v1/items", {"limit": "20"})),
            threading.Thread(target=hammer, args=("/api/v1/stats", {})),
        ]
        for c in clients:
            c.start()
        time.sleep(0.5)

        # an upload through the server and an import by the CLI, at the same time
        uploaded: dict[str, object] = {}

        def upload() -> None:
            with httpx.Client(base_url=url, headers=auth, timeout=300) as client:
                r = client.post(
                    "/api/v1/imports",
                    data={"source": "facebook-insights", "org": "Uploaded", "year": "2014"},
                    files={"file": (UCI_FACEBOOK.name, UCI_FACEBOOK.read_bytes())},
                )
                uploaded["status"] = r.status_code
                uploaded.update(r.json())

        uploader = threading.Thread(target=upload)
        uploader.start()
        imported = run_cli(
            "import",
            str(UCI_FACEBOOK),
            "--source",
            "facebook-insights",
            "--org",
            "Imported",
            "--year",
            "2014",
            "--db",
            db,
            "--workspace",
            "brands",
        )
        uploader.join(timeout=300)
        # the airline tweets, enriched again by another backend: 1,498 items written
        enriched = run_cli("enrich", "--backend", "vader", "--db", db, "--workspace", "brands")
        time.sleep(0.5)
        stop.set()
        for c in clients:
            c.join(timeout=120)

        assert imported["inserted"] == 500
        assert uploaded["status"] == 201 and uploaded["inserted"] == 500
        assert enriched["processed"] == 1498
        assert set(statuses) == {200}, statuses
        assert sum(statuses.values()) > 20
        after = httpx.get(url + "/api/v1/stats", headers=auth).json()
        assert after["entities"]["items"] == before + 1000
        names = {o["name"] for o in after["organisations"]}
        assert {"Uploaded", "Imported"} <= names
        voice = httpx.get(
            url + "/api/v1/items", params={"org": "Delta", "limit": "1"}, headers=auth
        ).json()
        assert voice["total"] == 250
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)


def test_demo_ends_by_serving_with_a_demo_login(tmp_path: Path):
    port = free_port()
    db = tmp_path / "demo.duckdb"
    proc = subprocess.Popen(
        [*JAUGE, "demo", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        # httpx, unlike a browser, sends no Secure cookie to http://127.0.0.1
        env={**os.environ, "COLUMNS": "200", "JAUGE_COOKIE_SECURE": "false"},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url, proc)
        assert proc.stdout is not None
        banner = b""
        while b"Log in as" not in banner:
            banner += proc.stdout.readline()
        words = banner.decode().split("Log in as ")[1].split()
        email, password = words[0], words[4]
        with httpx.Client(base_url=url, follow_redirects=True) as client:
            form = client.get("/login").text
            token = form.split('name="csrf_token" value="')[1].split('"')[0]
            r = client.post(
                "/login", data={"email": email, "password": password, "csrf_token": token}
            )
            assert r.status_code == 200 and "Jauge Index of Cosmetics brand (UCI)" in r.text
    finally:
        proc.terminate()
        proc.wait(timeout=30)
