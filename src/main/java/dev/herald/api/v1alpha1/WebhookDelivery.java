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

/** One event for one endpoint. */
@Group(Herald.GROUP)
@Version(Herald.VERSION)
// the plural fabric8 would compute, spelled out: fabric8 computes it (with regular expressions,
// twice)
// in the constructor of every object it reads, unless it is given
@Plural("webhookdeliveries")
@ShortNames("whd")
@Categories("herald")
@AdditionalPrinterColumn(
    name = "Endpoint",
    jsonPath = ".spec.endpointRef.name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Event",
    jsonPath = ".spec.eventType",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Code",
    jsonPath = ".status.lastStatusCode",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Attempts",
    jsonPath = ".status.attempts",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
    name = "Next Attempt",
    jsonPath = ".status.nextAttemptTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
// why a delivery waits (Throttled, EndpointPaused, SecretNotFound, ...): shown with -o wide only,
// after AGE as kubectl's own wide columns are, so the default table keeps its width and columns;
// for most rows the reason repeats the phase (Delivered, Retrying, Exhausted, Cancelled)
@AdditionalPrinterColumn(
    name = "Reason",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING,
    priority = 1)
public class WebhookDelivery extends CustomResource<WebhookDeliverySpec, WebhookDeliveryStatus>
    implements Namespaced {}
