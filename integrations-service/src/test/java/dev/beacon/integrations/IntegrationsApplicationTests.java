package dev.beacon.integrations;

import dev.beacon.testsupport.BackendServiceConventionTests;
import dev.beacon.testsupport.IntegrationTest;

/** The integrations-service as ops and the gateway see it; features add their own tests. */
@IntegrationTest
class IntegrationsApplicationTests extends BackendServiceConventionTests {}
