"""Delivery rules of the HTTP client against a local stand-in for the ingest API."""

from __future__ import annotations

import gzip
import json
import socket
import time
import unittest
import uuid
from typing import Any, Dict, List

from beacon_sdk import BeaconClient
from fake_ingest import EVENTS_PATH, FakeIngest, wait_until

API_KEY = "bcn_test_key"


def custom(index: int = 0) -> Dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": "custom",
        "occurred_at": "2026-11-25T09:15:29.318Z",
        "metadata": {"name": "test", "index": index},
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class HttpDeliveryTests(unittest.TestCase):
    def setUp(self) -> None:
        self.ingest = FakeIngest()
        self.clients: List[BeaconClient] = []

    def tearDown(self) -> None:
        for client in self.clients:
            client.shutdown(timeout=2)
        self.ingest.close()

    def client(self, **options: Any) -> BeaconClient:
        settings: Dict[str, Any] = {
            "agent_id": "support-bot",
            "batch_interval": 0.1,
            "initial_backoff": 0.1,
            "max_backoff": 2.0,
            "register_atexit": False,
        }
        settings.update(options)
        client = BeaconClient(self.ingest.base_url, API_KEY, **settings)
        self.clients.append(client)
        return client

    def emit(self, client: BeaconClient, count: int) -> List[str]:
        ids = []
        for index in range(count):
            event = custom(index)
            client.emit(event)
            ids.append(event["event_id"])
        return ids

    def sent_ids(self) -> List[str]:
        return [event_id for request in self.ingest.requests for event_id in request.event_ids]

    def test_batches_by_size(self) -> None:
        client = self.client(batch_size=10, batch_interval=300)
        ids = self.emit(client, 25)

        requests = self.ingest.wait_for_requests(2)
        self.assertEqual([len(r.events) for r in requests[:2]], [10, 10])
        self.assertTrue(client.flush(20))
        self.assertEqual(len(self.ingest.requests), 3)
        self.assertEqual(len(self.ingest.requests[2].events), 5)
        self.assertEqual(self.sent_ids(), ids)
        self.assertEqual(client.stats().delivered, 25)

    def test_batches_by_time(self) -> None:
        client = self.client(batch_size=1000, batch_interval=0.2)
        ids = self.emit(client, 3)

        requests = self.ingest.wait_for_requests(1)
        self.assertEqual(requests[0].event_ids, ids)
        wait_until(lambda: client.stats().delivered == 3)

    def test_sends_gzipped_json_in_the_ingest_format(self) -> None:
        client = self.client()
        with client.track_llm_call("openai", "gpt-4o") as call:
            call.set_usage(1850, 312, cached_input_tokens=1024)
        self.assertTrue(client.flush(20))

        request = self.ingest.requests[0]
        self.assertEqual(request.path, EVENTS_PATH)
        self.assertEqual(request.headers["Content-Encoding"], "gzip")
        self.assertEqual(request.headers["Content-Type"], "application/json")
        self.assertEqual(request.headers["Authorization"], f"Bearer {API_KEY}")
        decoded = json.loads(gzip.decompress(request.raw_body))
        event = decoded["batch"][0]
        self.assertEqual(event["type"], "llm_call")
        self.assertEqual(event["agent_id"], "support-bot")
        self.assertEqual(
            event["llm"],
            {"provider": "openai", "model": "gpt-4o", "input_tokens": 1850,
             "output_tokens": 312, "cached_input_tokens": 1024},
        )
        self.assertNotIn("workspace_id", event)
        uuid.UUID(event["event_id"])

    def test_honours_retry_after_on_429_and_resends_the_same_event_ids(self) -> None:
        self.ingest.answers.append((429, {"Retry-After": "2"}, {"code": "rate_limited"}))
        client = self.client()
        ids = self.emit(client, 3)

        self.assertTrue(client.flush(20))

        first, second = self.ingest.requests
        self.assertEqual(first.event_ids, ids)
        self.assertEqual(second.event_ids, ids)
        self.assertGreaterEqual(second.received_at - first.received_at, 2.0)
        stats = client.stats()
        self.assertEqual((stats.delivered, stats.retries, stats.dropped), (3, 1, 0))

    def test_retries_503_then_delivers(self) -> None:
        self.ingest.answers.append((503, {"Retry-After": "1"}, {"code": "kafka_unavailable"}))
        client = self.client()
        ids = self.emit(client, 2)

        self.assertTrue(client.flush(20))

        self.assertEqual(len(self.ingest.requests), 2)
        self.assertEqual(self.ingest.requests[1].event_ids, ids)
        self.assertEqual(client.stats().delivered, 2)

    def test_retries_server_errors_with_backoff_then_delivers(self) -> None:
        for _ in range(3):
            self.ingest.answers.append((500, {}, {"code": "internal"}))
        client = self.client(initial_backoff=0.1, max_backoff=1.0, max_attempts=5)
        ids = self.emit(client, 1)

        self.assertTrue(client.flush(20))

        requests = self.ingest.requests
        self.assertEqual(len(requests), 4)
        for request in requests:
            self.assertEqual(request.event_ids, ids)
        # at least half of 0.1 + 0.2 + 0.4 s of backoff between the first and the last attempt
        self.assertGreaterEqual(requests[3].received_at - requests[0].received_at, 0.35)
        self.assertEqual(client.stats().retries, 3)
        self.assertEqual(client.stats().delivered, 1)

    def test_gives_up_after_max_attempts_and_counts_the_batch(self) -> None:
        self.ingest.default = lambda request: (500, {}, {"code": "internal"})
        client = self.client(initial_backoff=0.02, max_backoff=0.05, max_attempts=3)
        self.emit(client, 4)

        self.assertTrue(client.flush(20))

        self.assertEqual(len(self.ingest.requests), 3)
        self.assertEqual(client.stats().dropped_undeliverable, 4)

    def test_partial_success_counts_rejected_events_and_does_not_retry_them(self) -> None:
        def answer(request: Any) -> Any:
            results = [
                {"index": i, "event_id": event_id, "status": "accepted"}
                for i, event_id in enumerate(request.event_ids)
            ]
            results[1].update(status="rejected", code="schema_violation", message="/llm: required")
            return 207, {}, {"accepted": 2, "rejected": 1, "results": results}

        self.ingest.default = answer
        client = self.client()
        self.emit(client, 3)

        self.assertTrue(client.flush(20))

        self.assertEqual(len(self.ingest.requests), 1)
        stats = client.stats()
        self.assertEqual((stats.delivered, stats.rejected, stats.retries), (2, 1, 0))

    def test_refused_key_drops_and_counts_without_retrying(self) -> None:
        self.ingest.default = lambda request: (
            401,
            {"WWW-Authenticate": 'Bearer realm="beacon-ingest"'},
            {"code": "invalid_api_key", "message": "unknown key"},
        )
        client = self.client()
        self.emit(client, 5)

        self.assertTrue(client.flush(20))

        self.assertEqual(len(self.ingest.requests), 1)
        self.assertEqual(client.stats().dropped_undeliverable, 5)
        self.assertEqual(client.dropped_events, 5)
        self.assertEqual(client.stats().retries, 0)

    def test_splits_a_batch_the_server_finds_too_large(self) -> None:
        self.ingest.answers.append((413, {}, {"code": "payload_too_large"}))
        client = self.client()
        ids = self.emit(client, 4)

        self.assertTrue(client.flush(20))

        self.assertEqual(
            [request.event_ids for request in self.ingest.requests],
            [ids, ids[:2], ids[2:]],
        )
        self.assertEqual(client.stats().delivered, 4)

    def test_bad_request_is_not_retried(self) -> None:
        self.ingest.default = lambda request: (415, {}, {"code": "unsupported_media_type"})
        client = self.client()
        self.emit(client, 2)

        self.assertTrue(client.flush(20))

        self.assertEqual(len(self.ingest.requests), 1)
        self.assertEqual(client.stats().dropped_undeliverable, 2)

    def test_dead_backend_never_blocks_the_caller_and_counts_drops(self) -> None:
        client = BeaconClient(
            f"http://127.0.0.1:{free_port()}",
            API_KEY,
            buffer_size=10,
            batch_size=5,
            batch_interval=0.01,
            initial_backoff=5.0,
            max_backoff=30.0,
            timeout=1.0,
            register_atexit=False,
        )
        started = time.monotonic()
        for index in range(1000):
            client.emit(custom(index))
            with client.track_llm_call("openai", "gpt-4o"):
                pass
        elapsed = time.monotonic() - started

        self.assertLess(elapsed, 10.0)
        self.assertGreaterEqual(client.dropped_events, 2000 - 20)
        client.shutdown(timeout=0.5)
        stats = client.stats()
        self.assertEqual(
            stats.emitted, stats.delivered + stats.rejected + stats.filtered + stats.dropped
        )

    def test_shutdown_delivers_what_is_buffered(self) -> None:
        client = self.client(batch_size=1000, batch_interval=600)
        ids = self.emit(client, 7)

        client.shutdown()

        self.assertEqual(len(self.ingest.requests), 1)
        self.assertEqual(self.sent_ids(), ids)
        client.emit(custom())
        self.assertEqual(client.stats().dropped_buffer_full, 1)

    def test_flush_delivers_what_is_buffered(self) -> None:
        client = self.client(batch_size=1000, batch_interval=600)
        ids = self.emit(client, 4)

        self.assertTrue(client.flush(20))

        self.assertEqual(self.sent_ids(), ids)

    def test_omits_content_and_applies_the_mask_before_sending(self) -> None:
        def mask(event: Dict[str, Any]) -> Any:
            if "secret" in event.get("tags", []):
                return None
            metadata = event.get("metadata", {})
            if "email" in metadata:
                metadata["email"] = "***"
            return event

        client = self.client(capture_content=False, mask=mask)
        with client.track_llm_call("openai", "gpt-4o") as call:
            call.set_metadata("prompt", "What is my balance?").set_metadata("response", "42")
            call.set_metadata("email", "ann@example.com").set_metadata("conversation_id", "c1")
        with client.track_tool_call("vault.read", "vault") as tool:
            tool.add_tag("secret")
        self.assertTrue(client.flush(20))

        events = [event for request in self.ingest.requests for event in request.events]
        self.assertEqual(len(events), 1)
        self.assertEqual(events[0]["metadata"], {"email": "***", "conversation_id": "c1"})
        self.assertEqual(client.stats().filtered, 1)

    def test_a_failing_mask_drops_the_event_instead_of_sending_it_unmasked(self) -> None:
        def mask(event: Dict[str, Any]) -> Any:
            raise RuntimeError("mask bug")

        client = self.client(mask=mask)
        self.emit(client, 2)

        self.assertTrue(client.flush(20))

        self.assertEqual(self.ingest.requests, [])
        self.assertEqual(client.stats().dropped_undeliverable, 2)


if __name__ == "__main__":
    unittest.main()
