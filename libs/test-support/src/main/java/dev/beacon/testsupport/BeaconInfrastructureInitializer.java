package dev.beacon.testsupport;

import java.util.HashMap;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring application context at {@link BeaconInfrastructure}. Services use it from their
 * {@code @IntegrationTest} meta-annotation.
 */
public class BeaconInfrastructureInitializer
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    context
        .getEnvironment()
        .getPropertySources()
        .addFirst(
            new MapPropertySource(
                "beaconInfrastructure", new HashMap<>(BeaconInfrastructure.springProperties())));
  }
}
