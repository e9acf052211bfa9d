"""Beacon Python SDK: send agent observability events to Beacon without ever hurting the agent.

Quick start::

    import beacon_sdk

    beacon_sdk.init("https://beacon.example.com", api_key="bcn_...", agent_id="support-bot")

    with beacon_sdk.start_run():
        with beacon_sdk.track_llm_call("openai", "gpt-4o") as call:
            response = openai_client.chat.completions.create(...)
            call.set_usage(response.usage.prompt_tokens, response.usage.completion_tokens)

    @beacon_sdk.track_service_call("stripe.checkout.sessions.create")
    def create_checkout(plan): ...

Nothing here raises into the caller or blocks on the network: events are buffered (bounded) and
sent by a background thread; see :class:`BeaconClient`.
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Dict, Optional, TypeVar

from ._context import TraceContext, current_context, use_context
from ._sender import DeliveryStats
from .client import (
    DEFAULT_CONTENT_KEYS,
    BeaconClient,
    LlmCall,
    Run,
    Span,
    _NoopSpan,
    _service_call_decorator,
)

__all__ = [
    "DEFAULT_CONTENT_KEYS",
    "BeaconClient",
    "DeliveryStats",
    "LlmCall",
    "Run",
    "Span",
    "TraceContext",
    "current_context",
    "emit",
    "emit_event",
    "flush",
    "get_client",
    "init",
    "shutdown",
    "start_run",
    "track_llm_call",
    "track_service_call",
    "track_tool_call",
    "service_call",
    "use_context",
]

__version__ = "0.1.0"

F = TypeVar("F", bound=Callable[..., Any])

_client: Optional[BeaconClient] = None
_client_lock = threading.Lock()


def init(base_url: str, api_key: str, **options: Any) -> BeaconClient:
    """Creates the process-wide client used by the module-level functions.

    Takes the same options as :class:`BeaconClient`. Calling it again shuts the previous client
    down (delivering what it buffered) and replaces it.
    """
    global _client
    client = BeaconClient(base_url, api_key, **options)
    with _client_lock:
        previous, _client = _client, client
    if previous is not None:
        previous.shutdown()
    return client


def get_client() -> Optional[BeaconClient]:
    """The client created by :func:`init`, or ``None``."""
    return _client


def emit(event: Dict[str, Any]) -> Optional[str]:
    """Sends a ready-made event dict with the global client; a no-op before :func:`init`."""
    client = _client
    return client.emit(event) if client is not None else None


def emit_event(event_type: str, **fields: Any) -> Optional[str]:
    """Sends an event with the global client; see :meth:`BeaconClient.emit_event`."""
    client = _client
    return client.emit_event(event_type, **fields) if client is not None else None


def track_llm_call(provider: str, model: str) -> LlmCall:
    """Context manager around one LLM request; records nothing before :func:`init`."""
    client = _client
    return client.track_llm_call(provider, model) if client is not None else _NoopSpan()


def track_tool_call(name: str, integration: Optional[str] = None) -> Span:
    """Context manager around one tool execution."""
    client = _client
    return client.track_tool_call(name, integration) if client is not None else _NoopSpan()


def service_call(name_operation: str) -> Span:
    """Context manager around a service call named ``integration.operation``."""
    client = _client
    return client.service_call(name_operation) if client is not None else _NoopSpan()


def track_service_call(name_operation: str) -> Callable[[F], F]:
    """Decorator: records every call of the function (sync or async) as a ``service_call``.

    The client is looked up at call time, so the decorator can be applied before :func:`init`.
    Exceptions are recorded and propagate unchanged.
    """
    return _service_call_decorator(name_operation, get_client)


def start_run(agent_id: Optional[str] = None, run_id: Optional[str] = None) -> Run:
    """Context manager for an agent run (``run_start`` … ``run_end``)."""
    client = _client
    return client.start_run(agent_id, run_id) if client is not None else _NoopSpan()


def flush(timeout: Optional[float] = None) -> bool:
    """Waits until the global client has delivered or given up on everything emitted so far."""
    client = _client
    return client.flush(timeout) if client is not None else True


def shutdown(timeout: Optional[float] = None) -> None:
    """Shuts the global client down, delivering what is buffered (also runs at exit)."""
    global _client
    with _client_lock:
        client, _client = _client, None
    if client is not None:
        client.shutdown(timeout)
