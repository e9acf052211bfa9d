package dev.beacon.testsupport;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops {@link BeaconInfrastructure} when the JUnit launcher session ends, before the JVM's
 * shutdown hooks run: Kafka's test kit deletes its log directories in a shutdown hook of its own,
 * and a broker still running then fails on the vanished files.
 */
public class InfrastructureSessionListener implements LauncherSessionListener {

  @Override
  public void launcherSessionClosed(LauncherSession session) {
    BeaconInfrastructure.stop();
  }
}
