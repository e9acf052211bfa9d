package dev.beacon.gateway;

import dev.beacon.testsupport.IntegrationTest;
import dev.beacon.testsupport.ServiceConventionTests;

/**
 * The gateway as ops see it, in its production configuration (no profile): probes, metrics, build
 * info and its own schema. Login, routing and workspaces have their own tests.
 */
@IntegrationTest
class GatewayApplicationTests extends ServiceConventionTests {}
