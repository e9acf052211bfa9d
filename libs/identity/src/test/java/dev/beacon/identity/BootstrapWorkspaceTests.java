package dev.beacon.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class BootstrapWorkspaceTests {

  @Test
  void theSameNameGivesTheSameIdEverywhereAndForever() {
    // pinned: the gateway's and ingest's stored data depend on this exact value
    assertThat(BootstrapWorkspace.idFor("demo"))
        .isEqualTo(UUID.nameUUIDFromBytes("beacon:bootstrap-workspace:demo".getBytes()))
        .isEqualTo(BootstrapWorkspace.idFor("  demo "));
  }

  @Test
  void differentNamesGiveDifferentIds() {
    assertThat(BootstrapWorkspace.idFor("demo")).isNotEqualTo(BootstrapWorkspace.idFor("Demo"));
  }

  @Test
  void aBlankNameIsRefused() {
    assertThatThrownBy(() -> BootstrapWorkspace.idFor(" "))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
