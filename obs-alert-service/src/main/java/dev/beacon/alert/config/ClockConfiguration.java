package dev.beacon.alert.config;

import io.r2dbc.spi.ConnectionFactory;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.transaction.reactive.TransactionalOperator;

/** The UTC clock every time computation uses, scheduling, and the reactive transactions. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ClockConfiguration {

  @Bean
  @ConditionalOnMissingBean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  TransactionalOperator transactionalOperator(ConnectionFactory connectionFactory) {
    return TransactionalOperator.create(new R2dbcTransactionManager(connectionFactory));
  }
}
