"""The bounded buffer, the background batching thread and the HTTP delivery with retries."""

from __future__ import annotations

import gzip
import http.client
import json
import logging
import queue
import random
import socket
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Callable, Dict, List, Optional, Set

logger = logging.getLogger("beacon_sdk")
logger.addHandler(logging.NullHandler())

EVENTS_PATH = "/api/obs/v1/events"
MAX_BATCH_SIZE = 1000
MAX_BODY_BYTES = 1024 * 1024
MAX_RETRY_AFTER_SECONDS = 300.0
_IDLE_POLL_SECONDS = 0.1

Event = Dict[str, Any]


@dataclass(frozen=True)
class DeliveryStats:
    """What became of the events given to a client.

    Every event ends up in exactly one of ``delivered``, ``rejected``, ``filtered`` or the two
    dropped counters, or is still buffered or in flight.
    """

    emitted: int
    delivered: int
    rejected: int
    filtered: int
    dropped_buffer_full: int
    dropped_undeliverable: int
    retries: int

    @property
    def dropped(self) -> int:
        """All dropped events: buffer full or closed, plus given up as undeliverable."""
        return self.dropped_buffer_full + self.dropped_undeliverable


class _Counters:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.values = {
            "emitted": 0,
            "delivered": 0,
            "rejected": 0,
            "filtered": 0,
            "dropped_buffer_full": 0,
            "dropped_undeliverable": 0,
            "retries": 0,
        }

    def add(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self.values[name] += amount

    def snapshot(self) -> DeliveryStats:
        with self._lock:
            return DeliveryStats(**self.values)


class _WarnOnce:
    """Warns the first time a condition occurs, logs it at debug level afterwards."""

    def __init__(self) -> None:
        self._seen: Set[str] = set()
        self._lock = threading.Lock()

    def __call__(self, condition: str, message: str, *args: Any) -> None:
        with self._lock:
            first = condition not in self._seen
            self._seen.add(condition)
        if first:
            logger.warning(message, *args)
        else:
            logger.debug(message, *args)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff with jitter; ``Retry-After`` is honoured up to five minutes."""

    max_attempts: int = 8
    initial_backoff: float = 0.5
    max_backoff: float = 30.0

    def backoff(self, attempt: int) -> float:
        capped = min(self.max_backoff, self.initial_backoff * (2 ** min(attempt - 1, 20)))
        return capped / 2 + random.uniform(0, capped / 2)

    @staticmethod
    def retry_after(seconds: float) -> float:
        wanted = min(max(0.0, seconds), MAX_RETRY_AFTER_SECONDS)
        return wanted + random.uniform(0, wanted / 10)


class HttpSender:
    """Sends batches to ``POST {base_url}/api/obs/v1/events`` and applies the ingest retry rules."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        use_gzip: bool,
        timeout: float,
        retry: RetryPolicy,
        counters: _Counters,
        warn: _WarnOnce,
        abort: threading.Event,
    ) -> None:
        self._url = base_url.rstrip("/") + EVENTS_PATH
        self._api_key = api_key
        self._gzip = use_gzip
        self._timeout = timeout
        self._retry = retry
        self._counters = counters
        self._warn = warn
        self._abort = abort

    def send(self, batch: List[Event]) -> None:
        if not batch:
            return
        try:
            body = self._encode(batch)
        except (TypeError, ValueError) as error:
            self._warn("encode", "Beacon SDK could not serialise a batch, dropping it: %s", error)
            self._counters.add("dropped_undeliverable", len(batch))
            return
        if len(body) > MAX_BODY_BYTES:
            if len(batch) > 1:
                half = len(batch) // 2
                self.send(batch[:half])
                self.send(batch[half:])
            else:
                self._warn("too-large", "Beacon SDK dropped an event over the 1 MiB request limit")
                self._counters.add("dropped_undeliverable", 1)
            return
        self._deliver(batch, body)

    def _encode(self, batch: List[Event]) -> bytes:
        data = json.dumps(
            {"batch": batch}, default=_json_default, separators=(",", ":"), ensure_ascii=False
        ).encode("utf-8")
        return gzip.compress(data) if self._gzip else data

    def _deliver(self, batch: List[Event], body: bytes) -> None:
        attempt = 0
        while True:
            attempt += 1
            status, headers, text = self._post(body)
            if status is not None and 200 <= status < 300 and status != 207:
                self._counters.add("delivered", len(batch))
                return
            if status == 207:
                rejected = self._rejected_count(text)
                rejected = max(0, rejected)
                self._counters.add("rejected", rejected)
                self._counters.add("delivered", len(batch) - rejected)
                return
            if status == 413 and self._rejected_count(text) > 0:
                self._counters.add("rejected", len(batch))
                return
            if status == 413 and len(batch) > 1:
                half = len(batch) // 2
                self.send(batch[:half])
                self.send(batch[half:])
                return
            if status in (401, 403):
                self._warn(
                    f"auth-{status}",
                    "Beacon ingest refused the API key (%s %s); dropping events",
                    status,
                    text,
                )
                self._counters.add("dropped_undeliverable", len(batch))
                return
            retryable = status is None or status in (408, 429) or status >= 500
            if not retryable:
                if self._rejected_count(text) > 0:
                    self._counters.add("rejected", len(batch))
                else:
                    self._warn(
                        f"refused-{status}",
                        "Beacon ingest refused a batch (%s %s); dropping it",
                        status,
                        text,
                    )
                    self._counters.add("dropped_undeliverable", len(batch))
                return
            retry_after = _retry_after_seconds(headers)
            if retry_after > 0:
                delay = self._retry.retry_after(retry_after)
            else:
                delay = self._retry.backoff(attempt)
            self._warn(
                f"retry-{status}",
                "Beacon ingest answered %s; retrying with the same event ids",
                status if status is not None else "a network error",
            )
            if attempt >= self._retry.max_attempts:
                self._warn(
                    "exhausted",
                    "Beacon SDK gave up on a batch of %d events after %d attempts",
                    len(batch),
                    attempt,
                )
                self._counters.add("dropped_undeliverable", len(batch))
                return
            self._counters.add("retries")
            if self._abort.wait(delay):
                self._counters.add("dropped_undeliverable", len(batch))
                return

    def _post(self, body: bytes) -> "tuple[Optional[int], Dict[str, str], str]":
        headers = {
            "Authorization": f"Bearer {self._api_key}",
            "Content-Type": "application/json",
            "User-Agent": "beacon-python-sdk",
        }
        if self._gzip:
            headers["Content-Encoding"] = "gzip"
        request = urllib.request.Request(self._url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:  # noqa: S310
                return response.status, dict(response.headers), _read_text(response)
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers or {}), _read_text(error)
        except (urllib.error.URLError, http.client.HTTPException, socket.timeout, OSError) as error:
            self._warn("network", "Beacon ingest unreachable at %s: %s", self._url, error)
            return None, {}, ""

    def _rejected_count(self, text: str) -> int:
        try:
            results = json.loads(text).get("results")
        except (ValueError, AttributeError):
            return -1
        if not isinstance(results, list):
            return -1
        rejected = 0
        for result in results:
            if isinstance(result, dict) and result.get("status") == "rejected":
                rejected += 1
                self._warn(
                    f"rejected-{result.get('code')}",
                    "Beacon ingest rejected event %s: %s %s",
                    result.get("event_id"),
                    result.get("code"),
                    result.get("message"),
                )
        return rejected


def _read_text(response: Any) -> str:
    try:
        return response.read().decode("utf-8", errors="replace")
    except Exception:  # noqa: BLE001 - a body we cannot read is just an empty body
        return ""


def _retry_after_seconds(headers: Dict[str, str]) -> float:
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return float(value.strip())
            except ValueError:
                return 0.0
    return 0.0


class Pipeline:
    """Bounded buffer plus one daemon thread that batches by size and time and sends."""

    def __init__(
        self,
        *,
        buffer_size: int,
        batch_size: int,
        batch_interval: float,
        prepare: Callable[[Event], Optional[Event]],
        sender: HttpSender,
        counters: _Counters,
        warn: _WarnOnce,
        abort: threading.Event,
    ) -> None:
        self._buffer: "queue.Queue[Event]" = queue.Queue(maxsize=buffer_size)
        self._buffer_size = buffer_size
        self._batch_size = batch_size
        self._batch_interval = batch_interval
        self._prepare = prepare
        self._sender = sender
        self._counters = counters
        self._warn = warn
        self._abort = abort
        self._closing = False
        self._enqueued = 0
        self._enqueued_lock = threading.Lock()
        self._processed = 0
        self._flush_target = 0
        self._flushed_up_to = 0
        self._flush_cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="beacon-sdk-sender", daemon=True)
        self._thread.start()

    def offer(self, event: Event) -> None:
        if self._closing:
            self._drop_full()
            return
        try:
            self._buffer.put_nowait(event)
        except queue.Full:
            self._drop_full()
            return
        with self._enqueued_lock:
            self._enqueued += 1

    def _drop_full(self) -> None:
        self._counters.add("dropped_buffer_full")
        self._warn(
            "buffer-full",
            "Beacon SDK buffer is full or closed (%d events); dropping events",
            self._buffer_size,
        )

    def flush(self, timeout: float) -> bool:
        with self._enqueued_lock:
            target = self._enqueued
        deadline = time.monotonic() + timeout
        with self._flush_cond:
            self._flush_target = max(self._flush_target, target)
            while self._flushed_up_to < target and self._thread.is_alive():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._flush_cond.wait(min(remaining, _IDLE_POLL_SECONDS))
            return self._flushed_up_to >= target

    def close(self, timeout: float, grace: float) -> None:
        """Stops accepting events and sends what is buffered within ``timeout``.

        After that the thread is told to give up; ``grace`` bounds the wait for a request that is
        already on the wire.
        """
        self._closing = True
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abort.set()
            self._thread.join(grace)

    def _urgent(self) -> bool:
        return self._closing or self._flush_target > self._processed

    def _run(self) -> None:
        try:
            while True:
                if self._abort.is_set():
                    self._drop_rest()
                    return
                batch = self._collect()
                if batch:
                    self._send(batch)
                    self._processed += len(batch)
                target = self._flush_target
                if target > self._flushed_up_to and self._processed >= target:
                    self._mark_flushed()
                if self._closing and self._buffer.empty():
                    self._mark_flushed()
                    return
        except Exception:  # noqa: BLE001 - the thread must report, never crash the host
            logger.exception("Beacon SDK sender stopped unexpectedly; events are no longer sent")

    def _drop_rest(self) -> None:
        rest = 0
        while True:
            try:
                self._buffer.get_nowait()
                rest += 1
            except queue.Empty:
                break
        self._counters.add("dropped_undeliverable", rest)
        if rest:
            logger.warning("Beacon SDK shut down with %d events undelivered", rest)

    def _mark_flushed(self) -> None:
        with self._flush_cond:
            self._flushed_up_to = self._processed
            self._flush_cond.notify_all()

    def _collect(self) -> List[Event]:
        batch: List[Event] = []
        if self._urgent():
            self._drain(batch)
            return batch
        try:
            batch.append(self._buffer.get(timeout=_IDLE_POLL_SECONDS))
        except queue.Empty:
            return batch
        deadline = time.monotonic() + self._batch_interval
        while len(batch) < self._batch_size:
            self._drain(batch)
            if len(batch) >= self._batch_size or self._urgent():
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(self._buffer.get(timeout=min(remaining, _IDLE_POLL_SECONDS)))
            except queue.Empty:
                pass
        return batch

    def _drain(self, batch: List[Event]) -> None:
        while len(batch) < self._batch_size:
            try:
                batch.append(self._buffer.get_nowait())
            except queue.Empty:
                return

    def _send(self, batch: List[Event]) -> None:
        prepared: List[Event] = []
        for event in batch:
            try:
                result = self._prepare(event)
            except Exception as error:  # noqa: BLE001 - a failing mask drops, never leaks
                self._warn(
                    "mask", "Beacon SDK masking callback failed; dropping the event: %r", error
                )
                self._counters.add("dropped_undeliverable")
                continue
            if result is None:
                self._counters.add("filtered")
            else:
                prepared.append(result)
        try:
            self._sender.send(prepared)
        except Exception as error:  # noqa: BLE001
            self._warn("sender-bug", "Beacon SDK could not send a batch, dropping it: %r", error)
            self._counters.add("dropped_undeliverable", len(prepared))
