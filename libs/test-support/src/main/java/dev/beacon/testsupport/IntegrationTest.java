package dev.beacon.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ContextConfiguration;

/**
 * A whole service on a random port against {@link BeaconInfrastructure}: real Kafka, real
 * PostgreSQL. A test that fails on a timeout prints a thread dump ({@link ThreadDumpOnTimeout}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ExtendWith(ThreadDumpOnTimeout.class)
@ContextConfiguration(initializers = BeaconInfrastructureInitializer.class)
public @interface IntegrationTest {}
