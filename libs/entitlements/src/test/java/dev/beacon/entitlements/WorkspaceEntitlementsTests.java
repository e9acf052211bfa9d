package dev.beacon.entitlements;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class WorkspaceEntitlementsTests {

  static final EntitlementsProperties.Free FREE =
      new EntitlementsProperties.Free(7, 100_000, 3, 3, 2, 1_000_000);

  private final WorkspaceEntitlements store = new WorkspaceEntitlements(FREE);

  @Test
  void aWorkspaceWithoutARecordIsOnFreeNeverUnlimited() {
    assertThat(store.of("ws_unknown"))
        .isEqualTo(new Entitlements("free", 7, 100_000, 3, 3, 2, 1_000_000, true, 0));
    assertThat(store.free()).isEqualTo(store.of("ws_other"));
    assertThat(store.caughtUp()).isFalse();
  }

  @Test
  void theHighestRevisionWinsWhateverTheOrder() {
    Entitlements pro = pro(5);

    assertThat(store.apply("ws_1", pro)).isTrue();
    assertThat(store.apply("ws_1", free(4))).as("older").isFalse();
    assertThat(store.apply("ws_1", free(5))).as("same revision").isFalse();
    assertThat(store.of("ws_1")).isEqualTo(pro);

    assertThat(store.apply("ws_1", free(6))).isTrue();
    assertThat(store.of("ws_1").plan()).isEqualTo("free");
    assertThat(store.of("ws_2")).as("other workspaces untouched").isEqualTo(store.free());
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void freeLimitsMustBeSensible() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new EntitlementsProperties.Free(0, 1, 1, 1, 1, 1));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new EntitlementsProperties.Free(7, -1, 1, 1, 1, 1));
  }

  static Entitlements pro(long revision) {
    return new Entitlements("pro", 30, 1_000_000, 20, 10, 10, 5_000_000, true, revision);
  }

  static Entitlements free(long revision) {
    return new Entitlements("free", 7, 100_000, 3, 3, 2, 1_000_000, true, revision);
  }
}
