package dev.beacon.chat;

import dev.beacon.testsupport.BackendServiceConventionTests;
import dev.beacon.testsupport.IntegrationTest;

/** The chat-service as ops and the gateway see it; features add their own tests. */
@IntegrationTest
class ChatApplicationTests extends BackendServiceConventionTests {}
