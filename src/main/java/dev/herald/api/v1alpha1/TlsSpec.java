package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** TLS the receiver chooses: a client certificate (mTLS) and CAs to trust for its certificate. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TlsSpec {
  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.OBJECT_NAME)
  @JsonPropertyDescription(
      "A Secret of type kubernetes.io/tls in the same namespace, labelled herald.dev/usable=true:"
          + " its tls.crt (with any intermediates) and tls.key are presented to receivers that ask"
          + " for a client certificate.")
  private String clientCertificateSecretName;

  @JsonPropertyDescription("CA certificates to trust for the receiver's certificate.")
  private CaBundleSpec caBundle;

  public String getClientCertificateSecretName() {
    return clientCertificateSecretName;
  }

  public void setClientCertificateSecretName(String clientCertificateSecretName) {
    this.clientCertificateSecretName = clientCertificateSecretName;
  }

  public CaBundleSpec getCaBundle() {
    return caBundle;
  }

  public void setCaBundle(CaBundleSpec caBundle) {
    this.caBundle = caBundle;
  }
}
