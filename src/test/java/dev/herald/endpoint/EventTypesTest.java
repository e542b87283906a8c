package dev.herald.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventTypesTest {
  @Test
  void emptyFilterTakesEverything() {
    assertThat(EventTypes.matches(null, "order.created")).isTrue();
    assertThat(EventTypes.matches(List.of(), "order.created")).isTrue();
  }

  @Test
  void exactNamesAndSuffixWildcards() {
    List<String> filter = List.of("invoice.*", "order.created");
    assertThat(EventTypes.matches(filter, "order.created")).isTrue();
    assertThat(EventTypes.matches(filter, "invoice.paid")).isTrue();
    assertThat(EventTypes.matches(filter, "invoice.")).isTrue();
    assertThat(EventTypes.matches(filter, "order.cancelled")).isFalse();
    assertThat(EventTypes.matches(filter, "invoices.paid")).isFalse();
    assertThat(EventTypes.matches(List.of("*"), "anything")).isTrue();
  }
}
