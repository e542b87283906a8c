package dev.herald.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;

/** The API server's answers as a real kube-apiserver 1.20 gives them (see StatusTooLargeE2E). */
class StatusWritesTest {
  private static KubernetesClientException refused(int code, String message, boolean causes) {
    var status =
        new StatusBuilder().withCode(code).withMessage(message).withNewDetails().endDetails();
    if (causes) {
      status
          .editDetails()
          .addToCauses(new StatusCauseBuilder().withField("status.phase").build())
          .endDetails();
    }
    return new KubernetesClientException(status.build());
  }

  @Test
  void aWriteThatCanNeverFitOrPassTheSchemaNeverSucceeds() {
    assertThat(StatusWrites.neverSucceeds(refused(500, "etcdserver: request is too large", false)))
        .isTrue();
    assertThat(
            StatusWrites.neverSucceeds(
                refused(413, "Request entity too large: limit is 3145728", false)))
        .isTrue();
    assertThat(
            StatusWrites.neverSucceeds(
                refused(422, "WebhookDelivery \"d\" is invalid: status.phase", true)))
        .isTrue();
  }

  @Test
  void aConflictOrAPassingFaultIsWorthAnotherTry() {
    // a failed JSON Patch "test": 422 without causes
    assertThat(
            StatusWrites.neverSucceeds(
                refused(
                    422, "the server rejected our request due to an error in our request", false)))
        .isFalse();
    assertThat(StatusWrites.neverSucceeds(refused(409, "conflict", false))).isFalse();
    assertThat(StatusWrites.neverSucceeds(refused(500, "etcdserver: leader changed", false)))
        .isFalse();
    assertThat(StatusWrites.neverSucceeds(refused(429, "too many requests", false))).isFalse();
    assertThat(StatusWrites.neverSucceeds(new KubernetesClientException("connection reset")))
        .isFalse();
  }

  @Test
  void aStatusThatWouldTakeTheObjectPastEtcdsLimitIsNotSent() {
    var json = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
    var metadata = new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("d").build();
    java.util.Map<String, String> small = java.util.Map.of("blob", "a".repeat(1000));
    java.util.Map<String, String> huge =
        java.util.Map.of(
            "blob", "a".repeat(StatusWrites.ETCD_REQUEST_LIMIT - 2 * StatusWrites.OVERHEAD));
    assertThat(StatusWrites.overLimit(json, metadata, small, java.util.Map.of("phase", "Failed")))
        .isNull();
    assertThat(StatusWrites.overLimit(json, metadata, huge, java.util.Map.of("phase", "Failed")))
        .isNull();
    assertThat(
            StatusWrites.overLimit(
                json, metadata, huge, java.util.Map.of("log", "l".repeat(StatusWrites.OVERHEAD))))
        .contains("over etcd's request limit of 1572864");
  }
}
