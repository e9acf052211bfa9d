package dev.beacon.integrations;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** OAuth connections and the tool executors agents call. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IntegrationsApplication {

  public static void main(String[] args) {
    SpringApplication.run(IntegrationsApplication.class, args);
  }
}
