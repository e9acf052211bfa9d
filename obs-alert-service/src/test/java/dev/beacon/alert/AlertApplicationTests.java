package dev.beacon.alert;

import dev.beacon.testsupport.BackendServiceConventionTests;
import dev.beacon.testsupport.IntegrationTest;

/** The obs-alert-service as ops and the gateway see it; features add their own tests. */
@IntegrationTest
class AlertApplicationTests extends BackendServiceConventionTests {}
