package dev.beacon.aggregator.config;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs the {@code @Scheduled} jobs: retention and both reconciliation checks, each on the cron of
 * its {@code beacon.aggregator.*-cron} setting.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SchedulingConfiguration {}
