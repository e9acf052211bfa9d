package dev.beacon.billing;

import dev.beacon.testsupport.BackendServiceConventionTests;
import dev.beacon.testsupport.IntegrationTest;

/** The billing-service as ops and the gateway see it; features add their own tests. */
@IntegrationTest
class BillingApplicationTests extends BackendServiceConventionTests {}
