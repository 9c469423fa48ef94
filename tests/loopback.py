"""A real HTTP server on loopback that replays recorded responses, for connector tests.

Each path has a script of steps, played one per request (the last one repeats):
``("file", path)`` serves a file with an ETag and Last-Modified and answers 304 to a
matching conditional request; ``("status", code, headers)`` answers with an empty body;
``("body", bytes)`` serves bytes; ``("reset",)`` closes the connection without answering;
``("statuses", list, headers)`` serves a Mastodon timeline, honouring ``min_id`` and
``limit`` like a real instance.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

LAST_MODIFIED = "Wed, 27 Jun 2018 10:00:00 GMT"


class Loopback:
    def __init__(self) -> None:
        self.scripts: dict[str, list[tuple[Any, ...]]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self.do_GET()

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                steps = server.scripts.get(self.path.split("?")[0], [("status", 404, {})])
                step = steps.pop(0) if len(steps) > 1 else steps[0]
                kind = step[0]
                if kind == "reset":
                    self.connection.setsockopt(
                        socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
                    )
                    self.connection.close()
                    return
                if kind == "status":
                    self.send_response(step[1])
                    for name, value in step[2].items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if kind == "statuses":  # a Mastodon timeline: honours min_id and limit
                    from urllib.parse import parse_qs, urlsplit

                    query = parse_qs(urlsplit(self.path).query)
                    limit = int(query.get("limit", ["40"])[0])

                    def key(item: dict[str, Any]) -> tuple[int, str]:
                        return (len(item["id"]), item["id"])

                    ordered = sorted(step[1], key=key)  # oldest first
                    if "min_id" in query:  # the page just after min_id, newest first
                        floor = query["min_id"][0]
                        after = [s for s in ordered if key(s) > (len(floor), floor)]
                        page = list(reversed(after[:limit]))
                    else:  # the newest page, or the one just before max_id
                        top = query.get("max_id", [""])[0]
                        before = [s for s in ordered if not top or key(s) < (len(top), top)]
                        page = list(reversed(before[-limit:]))
                    if step[3:] and step[3] == "search":  # /api/v2/search wraps the statuses
                        page = {"accounts": [], "statuses": page, "hashtags": []}
                    body = json.dumps(page).encode()
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    for name, value in step[2].items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                    return
                body = Path(step[1]).read_bytes() if kind == "file" else step[1]
                etag = '"' + hashlib.sha1(body).hexdigest() + '"'
                if kind == "file" and self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                if kind == "file":
                    self.send_header("ETag", etag)
                    self.send_header("Last-Modified", LAST_MODIFIED)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def __enter__(self) -> Loopback:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
