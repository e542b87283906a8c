package dev.herald.api.v1alpha1;

import dev.herald.api.Herald;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A target that receives events. */
@Group(Herald.GROUP)
@Version(Herald.VERSION)
// the plural fabric8 would compute, spelled out: fabric8 computes it (with regular expressions,
// twice)
// in the constructor of every object it reads, unless it is given
@Plural("webhookendpoints")
@ShortNames("whe")
@Categories("herald")
@AdditionalPrinterColumn(
    name = "URL",
    jsonPath = ".spec.url",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Failures",
    jsonPath = ".status.consecutiveFailures",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Last Success",
    jsonPath = ".status.lastSuccessTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class WebhookEndpoint extends CustomResource<WebhookEndpointSpec, WebhookEndpointStatus>
    implements Namespaced {}
