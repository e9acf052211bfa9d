"""The Beacon client: events, spans, run and trace scoping."""

from __future__ import annotations

import atexit
import functools
import inspect
import threading
import time
import uuid
from datetime import datetime, timezone
from typing import Any, Callable, Dict, Iterable, List, Optional, TypeVar, cast

from ._context import TraceContext, _attach, _detach, current_context, new_span_id, new_trace_id
from ._sender import (
    MAX_BATCH_SIZE,
    DeliveryStats,
    Event,
    HttpSender,
    Pipeline,
    RetryPolicy,
    _Counters,
    _WarnOnce,
)

DEFAULT_CONTENT_KEYS = frozenset(
    {"prompt", "response", "input", "output", "messages", "completion"}
)
"""Metadata keys removed when ``capture_content=False``, unless others are given."""

MAX_ERROR_TYPE = 256
MAX_ERROR_MESSAGE = 4096
MAX_DURATION_MS = 86_400_000

F = TypeVar("F", bound=Callable[..., Any])


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


class Span:
    """One timed operation that becomes an event when its ``with`` block ends.

    While the block runs the span is the current context, so events emitted inside it become its
    children. An exception leaving the block marks it failed (and propagates unchanged); call
    :meth:`fail` to mark a failure you handled. No method raises.
    """

    def __init__(
        self,
        client: "BeaconClient",
        event_type: str,
        context: TraceContext,
        parent: Optional[TraceContext],
        body: Optional[Dict[str, Any]] = None,
        body_name: Optional[str] = None,
    ) -> None:
        self._client = client
        self._type = event_type
        self.context = context
        self._parent_span_id = parent.span_id if parent else None
        self._body = body
        self._body_name = body_name
        self._metadata: Dict[str, Any] = {}
        self._tags: List[str] = []
        self._error: Optional[Dict[str, str]] = None
        self._started_at = _now()
        self._start = time.monotonic()
        self._token: Any = None
        self._closed = False

    def __enter__(self) -> "Span":
        try:
            self._token = _attach(self.context)
        except Exception:  # noqa: BLE001
            self._token = None
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> bool:
        if exc is not None and self._error is None:
            self.fail(exc)
        self.close()
        return False

    def fail(self, error: Any = None, message: Optional[str] = None) -> "Span":
        """Marks the operation failed: pass an exception, or an error type and a message."""
        try:
            if isinstance(error, BaseException):
                kind = type(error)
                module = kind.__module__
                error_type = (
                    kind.__qualname__ if module == "builtins" else f"{module}.{kind.__qualname__}"
                )
                text: Optional[str] = str(error) or None
            else:
                error_type = str(error) if error else "error"
                text = message
            self._error = {"type": error_type[:MAX_ERROR_TYPE]}
            if text:
                self._error["message"] = text[:MAX_ERROR_MESSAGE]
        except Exception:  # noqa: BLE001
            self._error = {"type": "error"}
        return self

    def set_metadata(self, key: str, value: Any) -> "Span":
        """Adds a metadata entry (removed if it is a content key and content is not captured)."""
        self._metadata[key] = value
        return self

    def add_tag(self, tag: str) -> "Span":
        """Adds a short label."""
        if tag:
            self._tags.append(tag)
        return self

    def close(self) -> None:
        """Records the event and restores the previous context. Idempotent; never raises."""
        if self._closed:
            return
        self._closed = True
        if self._token is not None:
            _detach(self._token)
            self._token = None
        try:
            duration_ms = int((time.monotonic() - self._start) * 1000)
            self._client._enqueue(self._event(max(0, min(MAX_DURATION_MS, duration_ms))))
        except Exception as error:  # noqa: BLE001
            self._client._swallow(error)

    def _occurred_at(self) -> str:
        return self._started_at

    def _closing_type(self) -> str:
        return self._type

    def _body_value(self) -> Optional[Dict[str, Any]]:
        return self._body

    def _event(self, duration_ms: int) -> Event:
        event: Event = {
            "event_id": str(uuid.uuid4()),
            "type": self._closing_type(),
            "occurred_at": self._occurred_at(),
            "trace_id": self.context.trace_id,
            "span_id": self.context.span_id,
            "status": "error" if self._error else "ok",
            "duration_ms": duration_ms,
        }
        if self.context.agent_id:
            event["agent_id"] = self.context.agent_id
        if self.context.run_id:
            event["run_id"] = self.context.run_id
        if self._parent_span_id:
            event["parent_span_id"] = self._parent_span_id
        if self._error:
            event["error"] = self._error
        body = self._body_value()
        if self._body_name and body is not None:
            event[self._body_name] = body
        if self._metadata:
            event["metadata"] = dict(self._metadata)
        if self._tags:
            event["tags"] = list(self._tags)
        return event


class LlmCall(Span):
    """A span around one LLM request, recorded as an ``llm_call`` event with token usage."""

    def __init__(
        self,
        client: "BeaconClient",
        context: TraceContext,
        parent: Optional[TraceContext],
        provider: str,
        model: str,
    ) -> None:
        super().__init__(client, "llm_call", context, parent, body={}, body_name="llm")
        self._llm: Dict[str, Any] = {"provider": provider or "unknown", "model": model or "unknown"}

    def set_usage(
        self,
        input_tokens: Optional[int] = None,
        output_tokens: Optional[int] = None,
        cached_input_tokens: Optional[int] = None,
        reasoning_tokens: Optional[int] = None,
    ) -> "LlmCall":
        """Records the tokens billed (cached and reasoning tokens are parts of input and output)."""
        for name, value in (
            ("input_tokens", input_tokens),
            ("output_tokens", output_tokens),
            ("cached_input_tokens", cached_input_tokens),
            ("reasoning_tokens", reasoning_tokens),
        ):
            if value is not None:
                try:
                    self._llm[name] = max(0, int(value))
                except (TypeError, ValueError):
                    pass
        return self

    def set_model(self, model: str) -> "LlmCall":
        """Replaces the model, e.g. with the exact one the provider answered with."""
        if model:
            self._llm["model"] = model
        return self

    def set_provider(self, provider: str) -> "LlmCall":
        """Replaces the provider."""
        if provider:
            self._llm["provider"] = provider
        return self

    def set_cost_usd(self, cost_usd: Any) -> "LlmCall":
        """Records the cost the caller computed; informational, Beacon computes its own."""
        self._llm["cost_usd"] = cost_usd
        return self

    def _body_value(self) -> Optional[Dict[str, Any]]:
        return dict(self._llm)


class Run(Span):
    """An agent run: ``run_start`` when entered, ``run_end`` with the run's duration when left."""

    @property
    def run_id(self) -> Optional[str]:
        """The run's id."""
        return self.context.run_id

    def _closing_type(self) -> str:
        return "run_end"

    def _occurred_at(self) -> str:
        return _now()


class _NoopSpan(LlmCall, Run):
    """What spans return before :func:`init`: accepts every call and records nothing."""

    def __init__(self) -> None:  # noqa: D107 - deliberately skips the parents
        self.context = TraceContext.new_root()
        self._closed = True
        self._token = None
        self._error = None
        self._metadata = {}
        self._tags = []
        self._llm = {}

    def __enter__(self) -> "_NoopSpan":
        return self

    def close(self) -> None:
        return None


class BeaconClient:
    """Sends Beacon events from a background thread, never blocking or raising into the caller.

    Events go to a bounded in-memory buffer; a daemon thread sends them in batches (by size and
    by time) to ``POST {base_url}/api/obs/v1/events``, gzip-compressed, retrying 429 and 503
    (honouring ``Retry-After``), other 5xx and network errors with bounded exponential backoff and
    jitter, always with the same ``event_id`` values. When the backend is down the buffer fills
    and further events are dropped and counted in :meth:`stats`.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        agent_id: Optional[str] = None,
        service_name: Optional[str] = None,
        mask: Optional[Callable[[Event], Optional[Event]]] = None,
        capture_content: bool = True,
        content_keys: Iterable[str] = DEFAULT_CONTENT_KEYS,
        buffer_size: int = 10_000,
        batch_size: int = 100,
        batch_interval: float = 1.0,
        max_attempts: int = 8,
        initial_backoff: float = 0.5,
        max_backoff: float = 30.0,
        gzip: bool = True,
        timeout: float = 15.0,
        shutdown_timeout: float = 10.0,
        register_atexit: bool = True,
    ) -> None:
        if not base_url:
            raise ValueError("base_url is required")
        if not api_key:
            raise ValueError("api_key is required")
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch_size must be 1 to {MAX_BATCH_SIZE}")
        if buffer_size < 1 or max_attempts < 1 or batch_interval <= 0:
            raise ValueError("buffer_size and max_attempts must be positive, batch_interval > 0")
        self.agent_id = agent_id
        self.service_name = service_name
        self._mask = mask
        self._capture_content = capture_content
        self._content_keys = frozenset(content_keys)
        self._timeout = timeout
        self._shutdown_timeout = shutdown_timeout
        self._counters = _Counters()
        self._warn = _WarnOnce()
        self._abort = threading.Event()
        self._closed = False
        sender = HttpSender(
            base_url,
            api_key,
            use_gzip=gzip,
            timeout=timeout,
            retry=RetryPolicy(max_attempts, initial_backoff, max_backoff),
            counters=self._counters,
            warn=self._warn,
            abort=self._abort,
        )
        self._pipeline = Pipeline(
            buffer_size=buffer_size,
            batch_size=batch_size,
            batch_interval=batch_interval,
            prepare=self._prepare,
            sender=sender,
            counters=self._counters,
            warn=self._warn,
            abort=self._abort,
        )
        self._atexit_registered = register_atexit
        if register_atexit:
            atexit.register(self.shutdown)

    # events -------------------------------------------------------------------------------------

    def emit(self, event: Event) -> Optional[str]:
        """Sends a ready-made v1 event (a dict); fills ``event_id``, ``occurred_at`` and context.

        Returns the ``event_id``, or ``None`` if the event could not even be buffered.
        """
        try:
            if not isinstance(event, dict):
                return None
            event = dict(event)
            context = current_context()
            if context is not None:
                event.setdefault("run_id", context.run_id)
                event.setdefault("agent_id", context.agent_id)
                if not event.get("trace_id"):
                    event["trace_id"] = context.trace_id
                    event.setdefault("span_id", new_span_id())
                    event.setdefault("parent_span_id", context.span_id)
            return self._enqueue({k: v for k, v in event.items() if v is not None})
        except Exception as error:  # noqa: BLE001
            self._swallow(error)
            return None

    def emit_event(
        self,
        event_type: str,
        *,
        status: Optional[str] = None,
        duration_ms: Optional[int] = None,
        error: Optional[Dict[str, str]] = None,
        metadata: Optional[Dict[str, Any]] = None,
        tags: Optional[List[str]] = None,
        **fields: Any,
    ) -> Optional[str]:
        """Sends an event of ``event_type`` (``custom``, ``action``, ``llm_call`` …).

        Other envelope fields and bodies are keyword arguments: ``llm={...}``, ``tool={...}``,
        ``action={"kind": ..., "state": ...}``, ``agent_id=...``, ``run_id=...``. Returns the
        ``event_id``.
        """
        event: Event = dict(fields)
        event.update(
            {
                "type": event_type,
                "status": status,
                "duration_ms": duration_ms,
                "error": error,
                "metadata": metadata,
                "tags": tags,
            }
        )
        return self.emit(event)

    # spans --------------------------------------------------------------------------------------

    def track_llm_call(self, provider: str, model: str) -> LlmCall:
        """A span around one LLM request, used as ``with client.track_llm_call(...) as call:``."""
        try:
            parent = current_context()
            return LlmCall(self, self._child(parent), parent, provider, model)
        except Exception as error:  # noqa: BLE001
            self._swallow(error)
            return _NoopSpan()

    def track_tool_call(self, name: str, integration: Optional[str] = None) -> Span:
        """A span around one tool execution, recorded as a ``tool_call`` event."""
        try:
            parent = current_context()
            body: Dict[str, Any] = {"name": name or "unknown"}
            if integration:
                body["integration"] = integration
            return Span(self, "tool_call", self._child(parent), parent, body, "tool")
        except Exception as error:  # noqa: BLE001
            self._swallow(error)
            return _NoopSpan()

    def service_call(self, name_operation: str) -> Span:
        """A span around a service call named ``integration.operation``, as a context manager."""
        try:
            name, _, operation = (name_operation or "unknown").partition(".")
            parent = current_context()
            body = {"name": name or "unknown", "operation": operation or name or "unknown"}
            return Span(self, "service_call", self._child(parent), parent, body, "service")
        except Exception as error:  # noqa: BLE001
            self._swallow(error)
            return _NoopSpan()

    def track_service_call(self, name_operation: str) -> Callable[[F], F]:
        """Decorator recording each call of a function (sync or async) as a ``service_call``."""
        return _service_call_decorator(name_operation, lambda: self)

    def start_run(self, agent_id: Optional[str] = None, run_id: Optional[str] = None) -> Run:
        """An agent run: ``with client.start_run() as run:``; events inside carry its ``run_id``."""
        try:
            parent = current_context()
            context = TraceContext(
                trace_id=parent.trace_id if parent else new_trace_id(),
                span_id=new_span_id(),
                run_id=run_id or str(uuid.uuid4()),
                agent_id=agent_id or (parent.agent_id if parent else None),
            )
            start: Event = {
                "event_id": str(uuid.uuid4()),
                "type": "run_start",
                "occurred_at": _now(),
                "run_id": context.run_id,
                "trace_id": context.trace_id,
                "span_id": context.span_id,
            }
            if context.agent_id:
                start["agent_id"] = context.agent_id
            if parent is not None:
                start["parent_span_id"] = parent.span_id
            self._enqueue(start)
            return Run(self, "run_start", context, parent)
        except Exception as error:  # noqa: BLE001
            self._swallow(error)
            return _NoopSpan()

    # lifecycle ----------------------------------------------------------------------------------

    def stats(self) -> DeliveryStats:
        """Counts of what became of the events so far."""
        return self._counters.snapshot()

    @property
    def dropped_events(self) -> int:
        """Events dropped so far: buffer full, client shut down, or undeliverable."""
        return self._counters.snapshot().dropped

    def flush(self, timeout: Optional[float] = None) -> bool:
        """Waits until every event emitted before the call is delivered or given up."""
        try:
            return self._pipeline.flush(self._shutdown_timeout if timeout is None else timeout)
        except Exception as error:  # noqa: BLE001
            self._swallow(error)
            return False

    def shutdown(self, timeout: Optional[float] = None) -> None:
        """Stops accepting events and delivers what is buffered, waiting at most ``timeout``."""
        if self._closed:
            return
        self._closed = True
        try:
            wait = self._shutdown_timeout if timeout is None else timeout
            self._pipeline.close(wait, self._timeout + 1.0)
            if self._atexit_registered:
                atexit.unregister(self.shutdown)
        except Exception as error:  # noqa: BLE001
            self._swallow(error)

    def __enter__(self) -> "BeaconClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()

    # internals ----------------------------------------------------------------------------------

    def _child(self, parent: Optional[TraceContext]) -> TraceContext:
        if parent is None:
            return TraceContext(trace_id=new_trace_id(), span_id=new_span_id())
        return parent.child()

    def _enqueue(self, event: Event) -> Optional[str]:
        self._counters.add("emitted")
        event.setdefault("event_id", str(uuid.uuid4()))
        event.setdefault("occurred_at", _now())
        if self.agent_id and not event.get("agent_id"):
            event["agent_id"] = self.agent_id
        if self.service_name:
            metadata = dict(event.get("metadata") or {})
            metadata.setdefault("source", self.service_name)
            event["metadata"] = metadata
        self._pipeline.offer(event)
        return cast(str, event["event_id"])

    def _prepare(self, event: Event) -> Optional[Event]:
        if not self._capture_content and isinstance(event.get("metadata"), dict):
            kept = {k: v for k, v in event["metadata"].items() if k not in self._content_keys}
            if kept:
                event["metadata"] = kept
            else:
                event.pop("metadata", None)
        return self._mask(event) if self._mask is not None else event

    def _swallow(self, error: BaseException) -> None:
        self._warn("client-bug", "Beacon SDK swallowed an unexpected error: %r", error)


def _service_call_decorator(
    name_operation: str, client_supplier: Callable[[], Optional[BeaconClient]]
) -> Callable[[F], F]:
    def decorate(func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                client = client_supplier()
                if client is None:
                    return await func(*args, **kwargs)
                with client.service_call(name_operation):
                    return await func(*args, **kwargs)

            return cast(F, async_wrapper)

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            client = client_supplier()
            if client is None:
                return func(*args, **kwargs)
            with client.service_call(name_operation):
                return func(*args, **kwargs)

        return cast(F, wrapper)

    return decorate
