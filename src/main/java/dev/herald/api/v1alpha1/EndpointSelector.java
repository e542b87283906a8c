package dev.herald.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;
import java.util.Map;

/**
 * A Kubernetes label selector on WebhookEndpoints (the shape of metav1.LabelSelector), with bounded
 * sizes: every term is matched against every endpoint of the namespace for each event.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EndpointSelector {
  public static final int MAX_TERMS = 16;
  public static final int MAX_VALUES = 32;

  @Size(max = MAX_TERMS)
  @JsonPropertyDescription("Labels an endpoint must carry with exactly these values (at most 16).")
  private Map<String, @Size(max = 63) String> matchLabels;

  @Size(max = MAX_TERMS)
  @JsonPropertyDescription(
      "Requirements an endpoint's labels must all meet (at most 16), as in a Kubernetes LabelSelector.")
  private List<Requirement> matchExpressions;

  public Map<String, String> getMatchLabels() {
    return matchLabels;
  }

  public void setMatchLabels(Map<String, String> matchLabels) {
    this.matchLabels = matchLabels;
  }

  public List<Requirement> getMatchExpressions() {
    return matchExpressions;
  }

  public void setMatchExpressions(List<Requirement> matchExpressions) {
    this.matchExpressions = matchExpressions;
  }

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Requirement {
    @Required
    @Size(min = 1, max = 317)
    @JsonPropertyDescription("The label key.")
    private String key;

    @Required
    @Pattern("^(In|NotIn|Exists|DoesNotExist)$")
    @JsonPropertyDescription("In, NotIn, Exists or DoesNotExist.")
    private String operator;

    @Size(max = MAX_VALUES)
    @JsonPropertyDescription(
        "For In and NotIn: the values (at most 32); empty for Exists and DoesNotExist.")
    private List<@Size(max = 63) String> values;

    public Requirement() {}

    public Requirement(String key, String operator, List<String> values) {
      this.key = key;
      this.operator = operator;
      this.values = values;
    }

    public String getKey() {
      return key;
    }

    public void setKey(String key) {
      this.key = key;
    }

    public String getOperator() {
      return operator;
    }

    public void setOperator(String operator) {
      this.operator = operator;
    }

    public List<String> getValues() {
      return values;
    }

    public void setValues(List<String> values) {
      this.values = values;
    }
  }
}
