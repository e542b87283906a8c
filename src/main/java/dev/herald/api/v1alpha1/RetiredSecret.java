package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A generated Secret replaced by a rotation, still signing until {@code expiryTime}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RetiredSecret {
  private String name;

  @JsonPropertyDescription(
      "After this time (RFC 3339) the key stops signing and the Secret is deleted.")
  private String expiryTime;

  @JsonPropertyDescription(
      "For an ed25519 key: its public whpk_ key, which receivers keep accepting until expiryTime.")
  private String publicKey;

  public RetiredSecret() {}

  public RetiredSecret(String name, String expiryTime) {
    this.name = name;
    this.expiryTime = expiryTime;
  }

  public RetiredSecret(String name, String expiryTime, String publicKey) {
    this(name, expiryTime);
    this.publicKey = publicKey;
  }

  public String getPublicKey() {
    return publicKey;
  }

  public void setPublicKey(String publicKey) {
    this.publicKey = publicKey;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getExpiryTime() {
    return expiryTime;
  }

  public void setExpiryTime(String expiryTime) {
    this.expiryTime = expiryTime;
  }
}
