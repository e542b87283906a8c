package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How an endpoint's requests are signed, in the two schemes of Standard Webhooks: a shared {@code
 * whsec_} secret ({@code v1,} signatures) or an ed25519 key pair whose public {@code whpk_} key the
 * receiver verifies with ({@code v1a,} signatures).
 */
public enum SigningAlgorithm {
  @JsonProperty("hmac-sha256")
  HMAC_SHA256,
  @JsonProperty("ed25519")
  ED25519;

  /** What an absent {@code spec.signing.algorithm} (or status field) means. */
  public static SigningAlgorithm orDefault(SigningAlgorithm algorithm) {
    return algorithm == null ? HMAC_SHA256 : algorithm;
  }

  /** The name as written in the spec, for messages. */
  public String specName() {
    return this == ED25519 ? "ed25519" : "hmac-sha256";
  }
}
