package dev.beacon.aggregator;

import dev.beacon.testsupport.BackendServiceConventionTests;
import dev.beacon.testsupport.IntegrationTest;

/** The aggregator as ops and the gateway see it; its pipeline and read API have their own tests. */
@IntegrationTest
class AggregatorApplicationTests extends BackendServiceConventionTests {}
