package dev.beacon.integrations.provider;

import dev.beacon.integrations.tool.domain.ToolRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plain text with a little Markdown, as a model writes it, turned into Notion blocks: a blank line
 * ends a paragraph (its lines stay one paragraph, joined by line breaks); {@code #}, {@code ##},
 * {@code ###} are headings; {@code -} or {@code *} a bulleted item, {@code - [ ]} / {@code - [x]} a
 * to-do, {@code 1.} a numbered item, {@code >} a quote, {@code ---} a divider, and a {@code ```}
 * fence a code block. Inline Markdown (bold, links) is kept as typed. Notion takes at most 2,000
 * characters per text object and 100 blocks per request: longer text is split into several text
 * objects, more blocks are refused.
 */
final class NotionBlocks {

  /** Notion's limit on one text object's {@code content}. */
  static final int MAX_TEXT = 2000;

  /** Notion's limit on the {@code children} of one request. */
  static final int MAX_BLOCKS = 100;

  private static final Pattern HEADING = Pattern.compile("(#{1,3})\\s+(.*)");
  private static final Pattern TO_DO = Pattern.compile("[-*]\\s+\\[([ xX])]\\s+(.*)");
  private static final Pattern BULLET = Pattern.compile("[-*]\\s+(.*)");
  private static final Pattern NUMBERED = Pattern.compile("\\d{1,4}[.)]\\s+(.*)");
  private static final Pattern QUOTE = Pattern.compile(">\\s?(.*)");
  private static final Pattern DIVIDER = Pattern.compile("-{3,}|\\*{3,}");

  private NotionBlocks() {}

  /**
   * The blocks of {@code text}.
   *
   * @throws dev.beacon.identity.error.ApiException 400 {@code invalid_arguments} (field {@code
   *     text}) for more than {@value #MAX_BLOCKS} blocks
   */
  static List<Map<String, Object>> of(String text) {
    List<Map<String, Object>> blocks = new ArrayList<>();
    if (text == null) {
      return blocks;
    }
    StringBuilder paragraph = new StringBuilder();
    StringBuilder code = null;
    for (String raw : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
      String line = raw.strip();
      if (code != null) {
        if (line.startsWith("```")) {
          blocks.add(code(code.toString()));
          code = null;
        } else {
          code.append(code.isEmpty() ? "" : "\n").append(raw);
        }
        continue;
      }
      if (line.startsWith("```")) {
        flush(paragraph, blocks);
        code = new StringBuilder();
        continue;
      }
      if (line.isEmpty()) {
        flush(paragraph, blocks);
        continue;
      }
      Map<String, Object> block = lineBlock(line);
      if (block == null) {
        paragraph.append(paragraph.isEmpty() ? "" : "\n").append(line);
      } else {
        flush(paragraph, blocks);
        blocks.add(block);
      }
    }
    if (code != null) {
      blocks.add(code(code.toString()));
    }
    flush(paragraph, blocks);
    if (blocks.size() > MAX_BLOCKS) {
      throw ToolRegistry.invalidArguments(
          "text",
          "text makes "
              + blocks.size()
              + " blocks; Notion takes at most "
              + MAX_BLOCKS
              + " (paragraphs, headings, list items …) in one page.");
    }
    return blocks;
  }

  /** A line that is a block of its own, or {@code null} for a paragraph's line. */
  private static Map<String, Object> lineBlock(String line) {
    if (DIVIDER.matcher(line).matches()) {
      return block("divider", Map.of());
    }
    Matcher m = HEADING.matcher(line);
    if (m.matches()) {
      return textBlock("heading_" + m.group(1).length(), m.group(2));
    }
    m = TO_DO.matcher(line);
    if (m.matches()) {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("rich_text", richText(m.group(2)));
      content.put("checked", !m.group(1).isBlank());
      return block("to_do", content);
    }
    m = BULLET.matcher(line);
    if (m.matches()) {
      return textBlock("bulleted_list_item", m.group(1));
    }
    m = NUMBERED.matcher(line);
    if (m.matches()) {
      return textBlock("numbered_list_item", m.group(1));
    }
    m = QUOTE.matcher(line);
    if (m.matches()) {
      return textBlock("quote", m.group(1));
    }
    return null;
  }

  private static void flush(StringBuilder paragraph, List<Map<String, Object>> blocks) {
    if (!paragraph.isEmpty()) {
      blocks.add(textBlock("paragraph", paragraph.toString()));
      paragraph.setLength(0);
    }
  }

  private static Map<String, Object> code(String text) {
    Map<String, Object> content = new LinkedHashMap<>();
    content.put("rich_text", richText(text));
    content.put("language", "plain text");
    return block("code", content);
  }

  private static Map<String, Object> textBlock(String type, String text) {
    return block(type, Map.of("rich_text", richText(text)));
  }

  private static Map<String, Object> block(String type, Map<String, Object> content) {
    Map<String, Object> block = new LinkedHashMap<>();
    block.put("object", "block");
    block.put("type", type);
    block.put(type, content);
    return block;
  }

  /** Notion's rich text: text objects of at most {@value #MAX_TEXT} characters each. */
  static List<Map<String, Object>> richText(String text) {
    List<Map<String, Object>> parts = new ArrayList<>();
    int start = 0;
    while (start < text.length()) {
      int end = Math.min(text.length(), start + MAX_TEXT);
      if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
        end--;
      }
      parts.add(Map.of("type", "text", "text", Map.of("content", text.substring(start, end))));
      start = end;
    }
    return parts;
  }
}
