"""Run and trace context in :mod:`contextvars`: each thread and asyncio task sees its own."""

from __future__ import annotations

import contextvars
import secrets
from dataclasses import dataclass
from typing import Optional

_CURRENT: "contextvars.ContextVar[Optional[TraceContext]]" = contextvars.ContextVar(
    "beacon_trace_context", default=None
)


def new_trace_id() -> str:
    """A random W3C trace id: 32 lowercase hex characters, never all zeros."""
    while True:
        value = secrets.token_hex(16)
        if value.strip("0"):
            return value


def new_span_id() -> str:
    """A random W3C span id: 16 lowercase hex characters, never all zeros."""
    while True:
        value = secrets.token_hex(8)
        if value.strip("0"):
            return value


def _is_hex(value: str, length: int) -> bool:
    return (
        len(value) == length
        and all(c in "0123456789abcdef" for c in value)
        and bool(value.strip("0"))
    )


@dataclass(frozen=True)
class TraceContext:
    """The run and trace that events emitted in the current context belong to.

    ``span_id`` is the enclosing operation's span: children use it as their ``parent_span_id``.
    """

    trace_id: str
    span_id: str
    run_id: Optional[str] = None
    agent_id: Optional[str] = None

    @staticmethod
    def new_root() -> "TraceContext":
        """A fresh trace with no run."""
        return TraceContext(trace_id=new_trace_id(), span_id=new_span_id())

    @staticmethod
    def from_traceparent(header: Optional[str]) -> Optional["TraceContext"]:
        """Parses a W3C ``traceparent`` header; returns ``None`` when it is missing or invalid."""
        if not header:
            return None
        parts = header.strip().split("-")
        if len(parts) < 4 or len(parts[0]) != 2 or parts[0] == "ff":
            return None
        if not _is_hex(parts[1], 32) or not _is_hex(parts[2], 16):
            return None
        return TraceContext(trace_id=parts[1], span_id=parts[2])

    @property
    def traceparent(self) -> str:
        """This context as a sampled W3C ``traceparent`` header value."""
        return f"00-{self.trace_id}-{self.span_id}-01"

    def child(self) -> "TraceContext":
        """A context for an operation inside this one: same run and trace, new span."""
        return TraceContext(self.trace_id, new_span_id(), self.run_id, self.agent_id)


def current_context() -> Optional[TraceContext]:
    """The context of the current thread or task, or ``None`` outside any span."""
    return _CURRENT.get()


def _attach(context: Optional[TraceContext]) -> "contextvars.Token[Optional[TraceContext]]":
    return _CURRENT.set(context)


def _detach(token: "contextvars.Token[Optional[TraceContext]]") -> None:
    try:
        _CURRENT.reset(token)
    except ValueError:
        # closed in another context (another thread or task): leave that context alone
        pass


class use_context:  # noqa: N801 - used like a function: ``with use_context(ctx):``
    """Makes ``context`` current inside a ``with`` block, e.g. on a worker thread."""

    def __init__(self, context: Optional[TraceContext]) -> None:
        self._context = context
        self._token: "Optional[contextvars.Token[Optional[TraceContext]]]" = None

    def __enter__(self) -> Optional[TraceContext]:
        self._token = _attach(self._context)
        return self._context

    def __exit__(self, *exc_info: object) -> None:
        if self._token is not None:
            _detach(self._token)
            self._token = None
