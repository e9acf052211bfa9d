package dev.beacon.integrations.webfetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** HTML reduced to its readable text with jsoup. */
class ReadableTextTests {

  @Test
  void blocksBecomeLinesAndInvisibleElementsGo() {
    String html =
        """
        <html><head><title>T</title><script>x()</script></head><body>
        <header>Site</header>
        <article><h2>Heading</h2><p>One <i>two</i>
           three.</p><p>Four<br>five</p>
        <table><tr><td>a</td><td>b</td></tr></table>
        <template><p>template</p></template><svg><text>svg</text></svg>
        <span aria-hidden="true">icon</span><!-- comment --></article>
        </body></html>
        """;

    ReadableText.Page page =
        ReadableText.html(html.getBytes(StandardCharsets.UTF_8), null, "https://example.com/");

    assertThat(page.title()).isEqualTo("T");
    assertThat(page.text()).isEqualTo("Site\nHeading\nOne two three.\nFour\nfive\na\nb");
  }

  @Test
  void theDeclaredCharsetIsHonoured() {
    byte[] latin1 = "<p>caf\u00e9</p>".getBytes(StandardCharsets.ISO_8859_1);

    ReadableText.Page page =
        ReadableText.html(latin1, StandardCharsets.ISO_8859_1, "https://example.com/");

    assertThat(page.text()).isEqualTo("caf\u00e9");
  }
}
