package dev.herald.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.api.v1alpha1.Schemas;
import dev.herald.api.v1alpha1.TraceContext;
import dev.herald.http.TraceHeaders;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TraceContextsTest {
  static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final Pattern SCHEMA_TRACEPARENT = Pattern.compile(Schemas.TRACEPARENT);
  private static final Pattern SCHEMA_TRACESTATE = Pattern.compile(Schemas.TRACESTATE);

  @Test
  void noContextIsNothingToSendAndNoProblem() {
    assertThat(TraceContexts.read(null, "spec.traceContext"))
        .isEqualTo(new TraceContexts.Read(null, null));
  }

  @Test
  void aValidContextIsSentAsItCame() {
    var read =
        TraceContexts.read(new TraceContext(TRACEPARENT, "rojo=00f067aa0ba902b7"), "spec.tc");
    assertThat(read.problem()).isNull();
    assertThat(read.headers()).isEqualTo(new TraceHeaders(TRACEPARENT, "rojo=00f067aa0ba902b7"));
    assertThat(TraceContexts.read(new TraceContext(TRACEPARENT, null), "spec.tc").headers())
        .isEqualTo(new TraceHeaders(TRACEPARENT, null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01", // upper case
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01", // all-zero trace id
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", // all-zero parent id
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", // the invalid version
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-1", // short flags
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-", // too long
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7\r\n1", // CR LF
        "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
        ""
      })
  void anInvalidTraceparentIsNotSentAndTheProblemNamesTheFieldNotTheValue(String traceparent) {
    var read = TraceContexts.read(new TraceContext(traceparent, "a=b"), "spec.traceContext");
    assertThat(read.headers()).isNull();
    assertThat(read.problem())
        .startsWith("spec.traceContext.traceparent is not a W3C traceparent")
        .doesNotContain("4bf92f35");
  }

  @Test
  void aHigherVersionIsReadAndSentAsVersion00() {
    assertThat(TraceContexts.traceparent("cc" + TRACEPARENT.substring(2))).isEqualTo(TRACEPARENT);
  }

  @Test
  void whatTheSchemaAdmitsTheOperatorChecksAgainAndMore() {
    assertThat(SCHEMA_TRACEPARENT.matcher(TRACEPARENT).matches()).isTrue();
    assertThat(SCHEMA_TRACEPARENT.matcher(TRACEPARENT.toUpperCase()).matches()).isFalse();
    // what no pattern without lookahead says: the operator's own check
    String zeros = "00-00000000000000000000000000000000-00f067aa0ba902b7-01";
    assertThat(SCHEMA_TRACEPARENT.matcher(zeros).matches()).isTrue();
    assertThat(TraceContexts.traceparent(zeros)).isNull();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "rojo=00f067aa0ba902b7",
        "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE",
        " rojo=1 ,\tcongo=2 ",
        "tenant@vendor=x y",
        "a=b,,c=d",
        "k/ey*_-=!\"#$%&'()*+-./:;<>?@[]^_`{|}~"
      })
  void validTracestatesAreAdmittedByTheSchemaAndKept(String tracestate) {
    assertThat(SCHEMA_TRACESTATE.matcher(tracestate).matches()).as(tracestate).isTrue();
    assertThat(TraceContexts.tracestate(tracestate)).as(tracestate).isNotNull();
  }

  @Test
  void aTracestateIsSentWithoutEmptyMembersOrOptionalWhiteSpace() {
    assertThat(TraceContexts.tracestate(" rojo=1 ,\tcongo=2 ,, ")).isEqualTo("rojo=1,congo=2");
    assertThat(TraceContexts.read(new TraceContext(TRACEPARENT, " , "), "f").headers())
        .isEqualTo(new TraceHeaders(TRACEPARENT, null));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Rojo=1", // keys are lower case
        "rojo", // no value
        "rojo=", // empty value
        "rojo=1 2 ", // trailing space is optional white space, "1 2" is fine, but:
        "rojo=a=b",
        "rojo=1\r\nx-injected: yes",
        "rojo=caf\u00e9",
        "rojo=1;congo=2"
      })
  void invalidTracestatesAreDroppedButTheTraceparentIsStillSent(String tracestate) {
    if (tracestate.equals("rojo=1 2 ")) {
      assertThat(TraceContexts.tracestate(tracestate)).isEqualTo("rojo=1 2");
      return;
    }
    assertThat(SCHEMA_TRACESTATE.matcher(tracestate).matches()).as(tracestate).isFalse();
    var read = TraceContexts.read(new TraceContext(TRACEPARENT, tracestate), "spec.traceContext");
    assertThat(read.headers()).isEqualTo(new TraceHeaders(TRACEPARENT, null));
    assertThat(read.problem())
        .startsWith("spec.traceContext.tracestate is not a W3C tracestate")
        .endsWith("only the traceparent is sent");
  }

  @Test
  void whatOnlyTheOperatorChecksInATracestate() {
    String twice = "rojo=1,rojo=2";
    String members33 =
        IntStream.range(0, 33).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
    String members32 =
        IntStream.range(0, 32).mapToObj(i -> "k" + i + "=v").collect(Collectors.joining(","));
    String long513 = "k=" + "v".repeat(255) + ",l=" + "v".repeat(253);
    assertThat(long513).hasSize(513);
    for (String s : new String[] {twice, members33}) {
      assertThat(SCHEMA_TRACESTATE.matcher(s).matches()).as(s).isTrue();
      assertThat(TraceContexts.tracestate(s)).as(s).isNull();
    }
    assertThat(TraceContexts.tracestate(long513)).isNull();
    assertThat(TraceContexts.tracestate(members32)).isEqualTo(members32);
  }
}
