"""A stand-in for the ingest API: records every request and answers from a script."""

from __future__ import annotations

import gzip
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

EVENTS_PATH = "/api/obs/v1/events"

Answer = Tuple[int, Dict[str, str], Any]


@dataclass
class RecordedRequest:
    """One request as the server saw it, with the body decoded."""

    path: str
    headers: Dict[str, str]
    raw_body: bytes
    body: Any
    received_at: float

    @property
    def events(self) -> List[Dict[str, Any]]:
        return list(self.body["batch"])

    @property
    def event_ids(self) -> List[str]:
        return [event["event_id"] for event in self.events]


@dataclass
class FakeIngest:
    """A ThreadingHTTPServer on a free port; answers ``answers`` in order, then ``default``."""

    answers: List[Answer] = field(default_factory=list)
    default: Optional[Callable[[RecordedRequest], Answer]] = None
    delay_seconds: float = 0.0
    requests: List[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Condition()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server naming
                length = int(self.headers.get("Content-Length", "0"))
                raw = self.rfile.read(length)
                data = raw
                if self.headers.get("Content-Encoding") == "gzip":
                    data = gzip.decompress(raw)
                recorded = RecordedRequest(
                    path=self.path,
                    headers={k: v for k, v in self.headers.items()},
                    raw_body=raw,
                    body=json.loads(data.decode("utf-8")),
                    received_at=time.monotonic(),
                )
                status, headers, body = fake._answer(recorded)
                if fake.delay_seconds:
                    time.sleep(fake.delay_seconds)
                payload = json.dumps(body).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(payload)
                except OSError:
                    pass

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def _answer(self, recorded: RecordedRequest) -> Answer:
        with self._lock:
            self.requests.append(recorded)
            self._lock.notify_all()
            if self.answers:
                return self.answers.pop(0)
        if self.default is not None:
            return self.default(recorded)
        return 200, {}, {"accepted": len(recorded.events), "rejected": 0}

    def wait_for_requests(self, count: int, timeout: float = 20.0) -> List[RecordedRequest]:
        """Waits until at least ``count`` requests arrived; returns them."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.requests) < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"expected {count} requests within {timeout}s, got {len(self.requests)}"
                    )
                self._lock.wait(remaining)
            return list(self.requests)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def wait_until(
    condition: Callable[[], bool], timeout: float = 20.0, interval: float = 0.02
) -> None:
    """Polls ``condition`` until it holds or the deadline passes (then fails the test)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {timeout}s")
        time.sleep(interval)
