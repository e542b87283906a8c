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
 * An opt-in periodic report to a person: failing endpoints and unprocessed deliveries, by e-mail or
 * webhook.
 */
@Group(Herald.GROUP)
@Version(Herald.VERSION)
// the plural fabric8 would compute, spelled out: fabric8 computes it (with regular expressions,
// twice)
// in the constructor of every object it reads, unless it is given
@Plural("webhookdigests")
@ShortNames("whdg")
@Categories("herald")
@AdditionalPrinterColumn(
    name = "Interval",
    jsonPath = ".spec.interval",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Last Sent",
    jsonPath = ".status.lastSentTime",
    type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class WebhookDigest extends CustomResource<WebhookDigestSpec, WebhookDigestStatus>
    implements Namespaced {}
