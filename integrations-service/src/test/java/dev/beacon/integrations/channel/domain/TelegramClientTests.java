package dev.beacon.integrations.channel.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How answers are cut to Telegram's and Discord's limits. */
class TelegramClientTests {

  @Test
  void aShortTextIsOnePart() {
    assertThat(TelegramClient.split("hello", 4096)).containsExactly("hello");
  }

  @Test
  void partsBreakAtALineBreakElseASpaceInTheSecondHalfAndKeepEveryCharacter() {
    assertThat(TelegramClient.split("aaaaaa\nbb cc", 10)).containsExactly("aaaaaa\n", "bb cc");
    assertThat(TelegramClient.split("aaaaaa bbb ccc", 10)).containsExactly("aaaaaa ", "bbb ccc");
    // a space in the first half is not worth it: cut at the limit
    assertThat(TelegramClient.split("aaa bbbbbb ccc", 10)).containsExactly("aaa bbbbbb", " ccc");
    // no break in the second half: cut at the limit
    List<String> hard = TelegramClient.split("a".repeat(25), 10);
    assertThat(hard).containsExactly("a".repeat(10), "a".repeat(10), "a".repeat(5));
  }

  @Test
  void aSurrogatePairIsNeverCut() {
    String text = "a".repeat(9) + "😀" + "b";
    List<String> parts = TelegramClient.split(text, 10);
    assertThat(parts).containsExactly("a".repeat(9), "😀b");
  }

  @Test
  void discordContentIsCutTo2000WithAnEllipsis() {
    assertThat(DiscordClient.bounded("x".repeat(2000))).hasSize(2000).doesNotContain("…");
    assertThat(DiscordClient.bounded("x".repeat(1998) + "😀" + "y"))
        .isEqualTo("x".repeat(1998) + "…");
  }
}
