package dev.beacon.alert;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Evaluates alert rules on metric updates and delivers notifications. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AlertApplication {

  public static void main(String[] args) {
    SpringApplication.run(AlertApplication.class, args);
  }
}
