"""A local web server for one page: fixed routes, server-sent events, 127.0.0.1 only.

The standard library's `ThreadingHTTPServer` (one thread per connection, so an open event
stream blocks no one) bound to the loopback address. It answers only the paths it was
given; nothing from a request is ever used as a file name, so there is nothing to browse.
Requests whose Host header is not this server's own address are refused: a web page
elsewhere cannot read the preview by pointing a DNS name at 127.0.0.1 (DNS rebinding).
`Events` wakes every open `/events` stream when something new is published.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from escalation_charts.cli._common import say

__all__ = ["EVENTS_PATH", "HOST", "Events", "PageServer", "Reply", "Route"]

HOST = "127.0.0.1"
EVENTS_PATH = "/events"
HEARTBEAT_SECONDS = 15.0  # a comment line on idle streams: finds closed tabs, keeps proxies open


@dataclass(frozen=True)
class Reply:
    """What a route answers: a status, the body and its content type."""

    body: bytes
    content_type: str
    status: int = HTTPStatus.OK


# A route gets the query's parameters ({name: [values]}) and answers.
Route = Callable[[Mapping[str, list[str]]], Reply]


class Events:
    """A version number that event streams wait on; `publish` wakes them all."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._version = 0
        self._closed = False

    def publish(self, version: int) -> None:
        with self._changed:
            self._version = version
            self._changed.notify_all()

    def close(self) -> None:
        """End every stream (the server is stopping)."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    def wait(self, seen: int, timeout: float) -> int | None:
        """The version once it differs from `seen` (or `seen` after `timeout` seconds);
        None when closed."""
        with self._changed:
            self._changed.wait_for(lambda: self._closed or self._version != seen, timeout)
            return None if self._closed else self._version


class PageServer(ThreadingHTTPServer):
    """Serves `routes` (path -> Route) and the event stream, on 127.0.0.1 at `port`
    (0: a free one). Raises OSError when the port cannot be had."""

    daemon_threads = True  # an open event stream must not keep the process alive

    def __init__(
        self,
        port: int,
        routes: Mapping[str, Route],
        events: Events,
        headers: Mapping[str, str],
    ) -> None:
        self.routes = dict(routes)
        self.events = events
        self.extra_headers = dict(headers)  # sent with every answer (the page's CSP and friends)
        super().__init__((HOST, port), _Handler)
        port = self.server_address[1]
        self.hosts = {f"{HOST}:{port}", f"localhost:{port}"}

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-answer is not worth a traceback on the terminal."""


class _Handler(BaseHTTPRequestHandler):
    server: PageServer
    server_version = "escalation-charts-preview"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the terminal shows saves and findings, not requests."""

    def _answer(self, head: bool) -> None:
        if self.headers.get("Host", "") not in self.server.hosts:
            self._send(Reply(b"this preview answers only on its own address\n", _TEXT, 403), head)
            return
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH and not head:
            self._stream()
            return
        route = self.server.routes.get(url.path)
        if route is None:
            self._send(Reply(b"not found\n", _TEXT, HTTPStatus.NOT_FOUND), head)
            return
        try:
            query = parse_qs(url.query, max_num_fields=10)
        except ValueError:  # too many parameters
            self._send(Reply(b"bad request\n", _TEXT, HTTPStatus.BAD_REQUEST), head)
            return
        try:
            reply = route(query)
        except Exception as exc:  # a bug: answer 500 and say it, keep serving
            say(f"preview: internal error answering {url.path}: {type(exc).__name__}", err=True)
            reply = Reply(b"internal error\n", _TEXT, HTTPStatus.INTERNAL_SERVER_ERROR)
        self._send(reply, head)

    def _send(self, reply: Reply, head: bool) -> None:
        self.send_response(reply.status)
        self.send_header("Content-Type", reply.content_type)
        self.send_header("Content-Length", str(len(reply.body)))
        self._common_headers()
        self.end_headers()
        if not head:
            self.wfile.write(reply.body)

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        for name, value in self.server.extra_headers.items():
            self.send_header(name, value)

    def _stream(self) -> None:
        """Server-sent events: `save` with the version now, then after every publish."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common_headers()
        self.end_headers()
        seen = -1
        try:
            while True:
                version = self.server.events.wait(seen, HEARTBEAT_SECONDS if seen >= 0 else 0)
                if version is None:
                    return
                if version == seen:
                    self.wfile.write(b": still here\n\n")
                else:
                    self.wfile.write(f"event: save\ndata: {version}\n\n".encode())
                    seen = version
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return  # the tab was closed


_TEXT = "text/plain; charset=utf-8"
