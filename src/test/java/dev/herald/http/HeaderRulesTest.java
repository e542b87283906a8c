package dev.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderRulesTest {
  @Test
  void anOrdinaryHeaderIsFine() {
    assertThat(HeaderRules.problem("X-Team", "billing")).isEmpty();
    assertThat(HeaderRules.problem("Authorization", "Bearer abc.def")).isEmpty();
    assertThat(HeaderRules.problem("X-Tabbed", "a\tb")).isEmpty();
    assertThat(HeaderRules.problem("X-Empty", "")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"X Team", "X-Team:", "X-Team\r\n", "", "X-\u00c4rger", "(x)"})
  void aNameThatIsNoTokenIsNamed(String name) {
    assertThat(HeaderRules.problem(name, "v"))
        .hasValueSatisfying(m -> assertThat(m).contains("not an HTTP token"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"secret\r\nX-Injected: 1", "line\nbreak", "nul\u0000", "caf\u00e9", "\u20ac"})
  void aValueThatCannotBeSentIsNamedWithoutQuotingIt(String value) {
    assertThat(HeaderRules.problem("X-Token", value))
        .hasValueSatisfying(m -> assertThat(m).contains("X-Token").doesNotContain(value));
  }

  @Test
  void aReservedNameOrAnOverlongValueIsRefused() {
    assertThat(HeaderRules.problem("webhook-signature", "v1,x"))
        .hasValueSatisfying(m -> assertThat(m).contains("Herald"));
    assertThat(HeaderRules.problem("X-Big", "v".repeat(4097)))
        .hasValueSatisfying(m -> assertThat(m).contains("4096"));
    assertThat(HeaderRules.problem("X-Big", "v".repeat(4096))).isEmpty();
  }
}
