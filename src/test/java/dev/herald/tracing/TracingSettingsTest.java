package dev.herald.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {
  @Test
  void withoutAnEndpointNoSpanIsExported() {
    assertThat(TracingSettings.of(null, Map.of())).isEmpty();
    assertThat(TracingSettings.of(" ", Map.of("OTEL_SERVICE_NAME", "x"))).isEmpty();
    assertThat(TracingSettings.of("", Map.of("OTEL_TRACES_EXPORTER", "otlp"))).isEmpty();
  }

  @Test
  void theFlagSetsTheTracesUrlOverWhatTheEnvironmentSays() {
    var settings =
        TracingSettings.of(
                "http://collector.observability:4318",
                Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://other:4318/v1/traces"))
            .orElseThrow();
    assertThat(settings.endpoint()).isEqualTo("http://collector.observability:4318/v1/traces");
    assertThat(settings.overrides())
        .containsEntry(
            "otel.exporter.otlp.traces.endpoint", "http://collector.observability:4318/v1/traces")
        .containsEntry("otel.traces.exporter", "otlp")
        .containsEntry("otel.exporter.otlp.traces.protocol", "http/protobuf")
        .containsEntry("otel.metrics.exporter", "none")
        .containsEntry("otel.logs.exporter", "none");
    assertThat(settings.defaults()).containsEntry("otel.service.name", "herald");
    assertThat(TracingSettings.of("https://c:4318/", Map.of()).orElseThrow().endpoint())
        .isEqualTo("https://c:4318/v1/traces");
  }

  @Test
  void theStandardVariablesAloneTurnItOnAndAreLeftToTheSdk() {
    var settings =
        TracingSettings.of(null, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318"))
            .orElseThrow();
    assertThat(settings.endpoint()).isEqualTo("http://c:4318/v1/traces");
    assertThat(settings.overrides()).doesNotContainKey("otel.exporter.otlp.traces.endpoint");
    assertThat(
            TracingSettings.of(
                    null, Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/traces"))
                .orElseThrow()
                .endpoint())
        .isEqualTo("http://c:4318/traces");
  }

  @Test
  void theSdksOwnOffSwitchesAreHonoured() {
    assertThat(TracingSettings.of("http://c:4318", Map.of("OTEL_SDK_DISABLED", "true"))).isEmpty();
    assertThat(TracingSettings.of("http://c:4318", Map.of("OTEL_TRACES_EXPORTER", "none")))
        .isEmpty();
  }

  @Test
  void whatHeraldDoesNotBundleIsRefusedAtStartRatherThanFailingLater() {
    assertThatThrownBy(
            () ->
                TracingSettings.of("http://c:4317", Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc")))
        .hasMessage(
            "OTEL_EXPORTER_OTLP_PROTOCOL=grpc: Herald exports OTLP over http/protobuf only");
    assertThatThrownBy(
            () -> TracingSettings.of("http://c:4318", Map.of("OTEL_TRACES_EXPORTER", "zipkin")))
        .hasMessageContaining("OTLP only");
    for (String bad : new String[] {"c:4318", "ftp://c", "http://c:4318/?token=x", "http://u@c"}) {
      assertThatThrownBy(() -> TracingSettings.of(bad, Map.of()))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("http:// or https:// URL");
    }
  }
}
