package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointRef {
  @Required
  @Size(min = 1, max = Schemas.OBJECT_NAME_MAX_LENGTH)
  @Pattern(Schemas.OBJECT_NAME)
  @JsonPropertyDescription("Name of a WebhookEndpoint in the same namespace.")
  private String name;

  public EndpointRef() {}

  public EndpointRef(String name) {
    this.name = name;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
