"""End-to-end against a running ingest service.

Skipped unless ``BEACON_TEST_INGEST_URL`` (e.g. ``http://localhost:8084``) and
``BEACON_TEST_API_KEY`` are set, e.g. against the local stack with ``BEACON_INIT_API_KEY``.
``BEACON_TEST_AGENT_ID`` names the agent of the events sent, so that a caller can find them
(obs-ingest-service's ``PythonSdkIngestApplicationTests`` runs this module that way).
"""

from __future__ import annotations

import os
import unittest

from beacon_sdk import BeaconClient

INGEST_URL = os.environ.get("BEACON_TEST_INGEST_URL")
API_KEY = os.environ.get("BEACON_TEST_API_KEY")
AGENT_ID = os.environ.get("BEACON_TEST_AGENT_ID", "python-sdk-test")


@unittest.skipUnless(INGEST_URL and API_KEY, "set BEACON_TEST_INGEST_URL and BEACON_TEST_API_KEY")
class RealIngestTests(unittest.TestCase):
    def test_a_run_with_an_llm_call_is_accepted(self) -> None:
        client = BeaconClient(INGEST_URL or "", API_KEY or "", agent_id=AGENT_ID,
                              register_atexit=False)
        try:
            with client.start_run():
                with client.track_llm_call("openai", "gpt-4o") as call:
                    call.set_usage(10, 5)
            self.assertTrue(client.flush(30))
            stats = client.stats()
            self.assertEqual(stats.delivered, 3, stats)
            self.assertEqual(stats.dropped + stats.rejected, 0, stats)
        finally:
            client.shutdown()

    def test_a_wrong_key_is_counted_not_raised(self) -> None:
        client = BeaconClient(INGEST_URL or "", "bcn_wrong", register_atexit=False)
        try:
            client.emit_event("custom", metadata={"name": "probe"})
            self.assertTrue(client.flush(30))
            self.assertEqual(client.stats().dropped_undeliverable, 1)
        finally:
            client.shutdown()


if __name__ == "__main__":
    unittest.main()
