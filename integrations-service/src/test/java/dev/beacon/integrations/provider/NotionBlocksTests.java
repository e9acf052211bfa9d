package dev.beacon.integrations.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.beacon.identity.error.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Plain text with a little Markdown turned into Notion blocks. */
class NotionBlocksTests {

  @Test
  void eachMarkdownishLineKindBecomesItsBlock() {
    List<Map<String, Object>> blocks =
        NotionBlocks.of(
            """
            # Title
            ## Part
            ### Detail
            First line
            second line

            - bullet
            * star
            - [ ] open
            - [x] done
            1. one
            2) two
            > quoted
            ---
            ```
              indented code
            # not a heading
            ```
            """);

    assertThat(blocks)
        .extracting(b -> b.get("type"))
        .containsExactly(
            "heading_1",
            "heading_2",
            "heading_3",
            "paragraph",
            "bulleted_list_item",
            "bulleted_list_item",
            "to_do",
            "to_do",
            "numbered_list_item",
            "numbered_list_item",
            "quote",
            "divider",
            "code");
    assertThat(text(blocks.get(3))).isEqualTo("First line\nsecond line");
    assertThat(((Map<?, ?>) blocks.get(6).get("to_do")).get("checked")).isEqualTo(false);
    assertThat(((Map<?, ?>) blocks.get(7).get("to_do")).get("checked")).isEqualTo(true);
    assertThat(text(blocks.get(12))).isEqualTo("  indented code\n# not a heading");
    assertThat(((Map<?, ?>) blocks.get(12).get("code")).get("language")).isEqualTo("plain text");
  }

  @Test
  void textLongerThanNotionsTextLimitIsSplitWithoutBreakingASurrogatePair() {
    String text = "a".repeat(1999) + "😀" + "b".repeat(10);

    List<Map<String, Object>> parts = NotionBlocks.richText(text);

    assertThat(parts).hasSize(2);
    assertThat(content(parts.get(0))).hasSize(1999);
    assertThat(content(parts.get(1))).startsWith("😀").hasSize(12);
    assertThat(NotionBlocks.richText("x".repeat(4001))).hasSize(3);
  }

  @Test
  void noTextIsNoBlockAndMoreThanAHundredBlocksAreRefused() {
    assertThat(NotionBlocks.of(null)).isEmpty();
    assertThat(NotionBlocks.of("\n\n  \n")).isEmpty();
    assertThat(NotionBlocks.of("- x\n".repeat(100))).hasSize(100);
    assertThatThrownBy(() -> NotionBlocks.of("- x\n".repeat(101)))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo("invalid_arguments");
              assertThat(e.getMessage()).contains("101 blocks");
            });
  }

  @SuppressWarnings("unchecked")
  private static String text(Map<String, Object> block) {
    Map<String, Object> content = (Map<String, Object>) block.get(block.get("type"));
    StringBuilder text = new StringBuilder();
    for (Map<String, Object> part : (List<Map<String, Object>>) content.get("rich_text")) {
      text.append(content(part));
    }
    return text.toString();
  }

  @SuppressWarnings("unchecked")
  private static String content(Map<String, Object> part) {
    return (String) ((Map<String, Object>) part.get("text")).get("content");
  }
}
