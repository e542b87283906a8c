package dev.herald.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class SvgTest {
  private static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void isWellFormedSvgWithOneLinePerSeriesAndEscapedText() throws Exception {
    String svg =
        Svg.render(
            List.of(
                new Svg.Chart(
                    "latency <p99> & friends",
                    "offered deliveries/s",
                    "ms",
                    List.of(
                        new Svg.Series(
                            "p50", List.of(new double[] {10, 20}, new double[] {20, 30})),
                        new Svg.Series(
                            "p99",
                            List.of(new double[] {10, 200}, new double[] {20, Double.NaN})))),
                new Svg.Chart("RSS", "s", "MiB", List.of(new Svg.Series("rss", List.of())))));
    Document doc = parse(svg);
    Element root = doc.getDocumentElement();
    assertThat(root.getLocalName()).isEqualTo("svg");
    assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
    assertThat(root.getAttribute("height")).isEqualTo(String.valueOf(2 * Svg.PANEL_HEIGHT));
    NodeList lines = doc.getElementsByTagName("polyline");
    assertThat(lines.getLength()).isEqualTo(3);
    // the NaN point is left out, not drawn at a made-up place
    assertThat(((Element) lines.item(1)).getAttribute("points").trim().split(" ")).hasSize(1);
    assertThat(svg).contains("latency &lt;p99&gt; &amp; friends");
    assertThat(root.getTextContent()).contains("latency <p99> & friends", "p50", "p99", "MiB");
  }

  @Test
  void theAxisEndsAtARoundNumber() {
    assertThat(Svg.niceCeiling(230)).isEqualTo(500.0);
    assertThat(Svg.niceCeiling(1000)).isEqualTo(1000.0);
    assertThat(Svg.niceCeiling(0.3)).isEqualTo(0.5);
    assertThat(Svg.niceCeiling(0)).isEqualTo(1.0);
  }
}
