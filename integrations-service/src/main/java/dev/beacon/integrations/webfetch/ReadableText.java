package dev.beacon.integrations.webfetch;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeVisitor;

/**
 * An HTML page reduced to what a reader sees: its title and its text, one line per block, without
 * scripts, styles, templates, embedded objects or hidden elements. Parsed with jsoup, which copes
 * with whatever HTML the web serves (and with a body cut short by the size limit).
 */
final class ReadableText {

  /**
   * A page's readable parts.
   *
   * @param title the {@code <title>}, possibly empty
   * @param text the body text, blocks on lines of their own
   */
  record Page(String title, String text) {}

  private static final String DROPPED =
      "script, style, noscript, template, svg, math, canvas, iframe, object, embed, head > :not(title),"
          + " [hidden], [aria-hidden=true]";
  private static final Set<String> BLOCKS =
      Set.of(
          "address",
          "article",
          "aside",
          "blockquote",
          "br",
          "dd",
          "details",
          "div",
          "dl",
          "dt",
          "figcaption",
          "figure",
          "footer",
          "form",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "header",
          "hr",
          "li",
          "main",
          "nav",
          "ol",
          "p",
          "pre",
          "section",
          "summary",
          "table",
          "td",
          "th",
          "tr",
          "ul");

  private ReadableText() {}

  /**
   * Reads an HTML page.
   *
   * @param html the bytes as served
   * @param charset the charset the server declared, or {@code null} to let jsoup detect it
   * @param baseUri the page's URL
   */
  static Page html(byte[] html, Charset charset, String baseUri) {
    Document document;
    try {
      document =
          Jsoup.parse(
              new ByteArrayInputStream(html), charset == null ? null : charset.name(), baseUri);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    document.select(DROPPED).remove();
    StringBuilder text = new StringBuilder();
    document
        .body()
        .traverse(
            new NodeVisitor() {
              @Override
              public void head(Node node, int depth) {
                if (node instanceof TextNode textNode) {
                  appendWords(text, textNode.text());
                } else if (node instanceof Element element && isBlock(element)) {
                  newLine(text);
                }
              }

              @Override
              public void tail(Node node, int depth) {
                if (node instanceof Element element && isBlock(element)) {
                  newLine(text);
                }
              }
            });
    return new Page(document.title().strip(), text.toString().strip());
  }

  private static boolean isBlock(Element element) {
    return BLOCKS.contains(element.normalName());
  }

  private static void appendWords(StringBuilder text, String words) {
    String collapsed = words.replaceAll("\\s+", " ");
    if (collapsed.isBlank()) {
      if (!text.isEmpty() && !Character.isWhitespace(text.charAt(text.length() - 1))) {
        text.append(' ');
      }
      return;
    }
    if (collapsed.startsWith(" ")
        && (text.isEmpty() || Character.isWhitespace(text.charAt(text.length() - 1)))) {
      collapsed = collapsed.substring(1);
    }
    text.append(collapsed);
  }

  private static void newLine(StringBuilder text) {
    int end = text.length();
    while (end > 0 && text.charAt(end - 1) == ' ') {
      end--;
    }
    text.setLength(end);
    if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
      text.append('\n');
    }
  }
}
