"""Spans, run and trace scoping, the decorator and the module-level API."""

from __future__ import annotations

import asyncio
import re
import threading
import time
import unittest
from decimal import Decimal
from typing import Any, Dict, List

import beacon_sdk
from beacon_sdk import BeaconClient, TraceContext, current_context, use_context
from fake_ingest import FakeIngest

TRACE_ID = re.compile(r"^[0-9a-f]{32}$")
SPAN_ID = re.compile(r"^[0-9a-f]{16}$")


class ProviderOverloaded(Exception):
    pass


class TracingTests(unittest.TestCase):
    def setUp(self) -> None:
        self.ingest = FakeIngest()
        self.client = BeaconClient(
            self.ingest.base_url,
            "bcn_test_key",
            agent_id="support-bot",
            batch_interval=0.05,
            register_atexit=False,
        )

    def tearDown(self) -> None:
        self.client.shutdown(timeout=2)
        beacon_sdk.shutdown(timeout=2)
        self.ingest.close()

    def sent(self) -> List[Dict[str, Any]]:
        self.assertTrue(self.client.flush(20))
        return [event for request in self.ingest.requests for event in request.events]

    def by_type(self, events: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
        return {event["type"]: event for event in events}

    def test_track_llm_call_records_duration_status_and_usage(self) -> None:
        with self.client.track_llm_call("openai", "gpt-4o") as call:
            deadline = time.monotonic() + 0.05
            while time.monotonic() < deadline:
                pass
            call.set_usage(1850, 312, cached_input_tokens=1024, reasoning_tokens=0)
            call.set_model("gpt-4o-2024-08-06").set_cost_usd(Decimal("0.006465"))
            call.set_metadata("conversation_id", "conv_1").add_tag("chat")

        (event,) = self.sent()
        self.assertEqual(event["type"], "llm_call")
        self.assertEqual(event["status"], "ok")
        self.assertNotIn("error", event)
        self.assertGreaterEqual(event["duration_ms"], 50)
        self.assertEqual(
            event["llm"],
            {"provider": "openai", "model": "gpt-4o-2024-08-06", "input_tokens": 1850,
             "output_tokens": 312, "cached_input_tokens": 1024, "reasoning_tokens": 0,
             "cost_usd": 0.006465},
        )
        self.assertEqual(event["metadata"], {"conversation_id": "conv_1"})
        self.assertEqual(event["tags"], ["chat"])
        self.assertRegex(event["trace_id"], TRACE_ID)
        self.assertRegex(event["span_id"], SPAN_ID)
        self.assertNotIn("parent_span_id", event)
        self.assertTrue(event["occurred_at"].endswith("Z"))

    def test_an_exception_is_recorded_and_propagates_unchanged(self) -> None:
        failure = ProviderOverloaded("529 overloaded")
        with self.assertRaises(ProviderOverloaded) as raised:
            with self.client.track_llm_call("anthropic", "claude-sonnet-4"):
                raise failure
        self.assertIs(raised.exception, failure)

        with self.client.track_tool_call("web.fetch") as tool:
            tool.fail("timeout", "no answer in 10 s")

        events = self.by_type(self.sent())
        self.assertEqual(events["llm_call"]["status"], "error")
        self.assertEqual(
            events["llm_call"]["error"],
            {"type": f"{__name__}.ProviderOverloaded", "message": "529 overloaded"},
        )
        self.assertEqual(
            events["tool_call"]["error"], {"type": "timeout", "message": "no answer in 10 s"}
        )

    def test_nested_scopes_propagate_run_trace_and_parent_span(self) -> None:
        with self.client.start_run(agent_id="research-agent") as run:
            with self.client.track_llm_call("openai", "gpt-4o") as call:
                with self.client.track_tool_call("slack.post_message", "slack"):
                    pass
                self.client.emit_event("custom", metadata={"name": "retrieval.hit"})
            self.assertEqual(current_context(), run.context)
        self.assertIsNone(current_context())

        events = self.sent()
        self.assertEqual(len(events), 5)
        kinds = self.by_type(events)
        for event in events:
            self.assertEqual(event["run_id"], run.run_id)
            self.assertEqual(event["trace_id"], run.context.trace_id)
            self.assertEqual(event["agent_id"], "research-agent")
            self.assertRegex(event["span_id"], SPAN_ID)
        self.assertEqual(kinds["run_start"]["span_id"], run.context.span_id)
        self.assertEqual(kinds["run_end"]["span_id"], run.context.span_id)
        self.assertEqual(kinds["run_end"]["status"], "ok")
        self.assertEqual(kinds["llm_call"]["parent_span_id"], run.context.span_id)
        self.assertEqual(kinds["tool_call"]["parent_span_id"], call.context.span_id)
        self.assertEqual(
            kinds["tool_call"]["tool"], {"name": "slack.post_message", "integration": "slack"}
        )
        self.assertEqual(kinds["custom"]["parent_span_id"], call.context.span_id)

    def test_context_carries_to_another_thread_and_from_a_traceparent(self) -> None:
        remote = TraceContext.from_traceparent(
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        )
        assert remote is not None
        self.assertEqual(
            remote.traceparent, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        )
        self.assertIsNone(TraceContext.from_traceparent("00-" + "0" * 32 + "-00f067aa0ba902b7-01"))
        self.assertIsNone(TraceContext.from_traceparent("garbage"))

        def worker() -> None:
            with use_context(remote):
                with self.client.service_call("stripe.checkout.sessions.create"):
                    pass

        thread = threading.Thread(target=worker)
        thread.start()
        thread.join(10)

        (event,) = self.sent()
        self.assertEqual(event["trace_id"], "4bf92f3577b34da6a3ce929d0e0e4736")
        self.assertEqual(event["parent_span_id"], "00f067aa0ba902b7")
        self.assertEqual(
            event["service"], {"name": "stripe", "operation": "checkout.sessions.create"}
        )

    def test_decorator_records_sync_and_async_calls(self) -> None:
        @self.client.track_service_call("github.issues.create")
        def create_issue(title: str) -> str:
            return f"issue:{title}"

        @self.client.track_service_call("github.issues.close")
        async def close_issue() -> None:
            raise PermissionError("not allowed")

        self.assertEqual(create_issue("bug"), "issue:bug")
        self.assertEqual(create_issue.__name__, "create_issue")
        with self.assertRaises(PermissionError):
            asyncio.run(close_issue())

        events = self.sent()
        self.assertEqual(len(events), 2)
        by_operation = {event["service"]["operation"]: event for event in events}
        self.assertEqual(by_operation["issues.create"]["status"], "ok")
        self.assertEqual(by_operation["issues.close"]["status"], "error")
        self.assertEqual(by_operation["issues.close"]["error"]["type"], "PermissionError")
        self.assertIn("duration_ms", by_operation["issues.close"])

    def test_module_level_api_is_a_no_op_before_init_and_works_after(self) -> None:
        @beacon_sdk.track_service_call("notion.pages.create")
        def create_page() -> str:
            return "page"

        self.assertEqual(create_page(), "page")
        with beacon_sdk.track_llm_call("openai", "gpt-4o") as call:
            call.set_usage(1, 1)
        self.assertIsNone(beacon_sdk.emit_event("custom"))
        self.assertTrue(beacon_sdk.flush(1))

        client = beacon_sdk.init(
            self.ingest.base_url, "bcn_test_key", agent_id="module-bot", batch_interval=0.05
        )
        self.assertIs(beacon_sdk.get_client(), client)
        with beacon_sdk.start_run():
            self.assertEqual(create_page(), "page")
            event_id = beacon_sdk.emit_event(
                "action", action={"kind": "send_email", "state": "proposed"}
            )
        self.assertIsNotNone(event_id)
        self.assertTrue(beacon_sdk.flush(20))

        events = [event for request in self.ingest.requests for event in request.events]
        self.assertEqual(
            sorted(event["type"] for event in events),
            ["action", "run_end", "run_start", "service_call"],
        )
        self.assertTrue(all(event["agent_id"] == "module-bot" for event in events))
        action = next(event for event in events if event["type"] == "action")
        self.assertEqual(action["event_id"], event_id)
        self.assertEqual(action["action"], {"kind": "send_email", "state": "proposed"})

    def test_nothing_raises_into_the_caller(self) -> None:
        self.assertIsNone(self.client.emit("not an event"))  # type: ignore[arg-type]
        with self.client.track_llm_call(None, None) as call:  # type: ignore[arg-type]
            call.set_usage("many", None).fail(None)  # type: ignore[arg-type]
        self.client.shutdown()
        self.client.emit_event("custom")
        with self.client.start_run():
            pass
        self.assertGreaterEqual(self.client.stats().dropped_buffer_full, 3)


if __name__ == "__main__":
    unittest.main()
