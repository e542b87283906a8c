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

/**
 * An event published once: Herald makes the first attempt to every endpoint that subscribes to its
 * type (and that it targets), records where it arrived in its status, and creates a WebhookDelivery
 * only where an attempt failed or the endpoint asks for one.
 */
@Group(Herald.GROUP)
@Version(Herald.VERSION)
// the plural fabric8 would compute, spelled out: fabric8 computes it (with regular expressions,
// twice)
// in the constructor of every object it reads, unless it is given
@Plural("webhookevents")
@ShortNames("whev")
@Categories("herald")
@AdditionalPrinterColumn(
    name = "Event",
    jsonPath = ".spec.eventType",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Deliveries",
    jsonPath = ".status.deliveries",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Succeeded",
    jsonPath = ".status.succeeded",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Failed",
    jsonPath = ".status.failed",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Pending",
    jsonPath = ".status.pending",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class WebhookEvent extends CustomResource<WebhookEventSpec, WebhookEventStatus>
    implements Namespaced {}
