package dev.beacon.billing;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Plans, subscriptions, credits, Stripe checkout and webhooks, entitlements. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BillingApplication {

  public static void main(String[] args) {
    SpringApplication.run(BillingApplication.class, args);
  }
}
