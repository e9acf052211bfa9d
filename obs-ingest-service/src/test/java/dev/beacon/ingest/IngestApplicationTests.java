package dev.beacon.ingest;

import dev.beacon.testsupport.BackendServiceConventionTests;
import dev.beacon.testsupport.IntegrationTest;

/** The ingest service as ops and the gateway see it; its features have their own tests. */
@IntegrationTest
class IngestApplicationTests extends BackendServiceConventionTests {}
