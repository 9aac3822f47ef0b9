/**
 * Tracing: the spans of a request (job, retrieve, enhance, store, PACS calls) and the W3C trace context that carries
 * them across the Kafka hop and into the PACS's HTTP calls. Knows nothing of the rest of the service.
 */
package io.scanenhancer.tracing;
