package io.scanenhancer.messaging;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.scanenhancer.tracing.Tracing;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * W3C trace context in Kafka record headers. The consumer is the service's own (not SmallRye Reactive Messaging), so
 * nothing instruments it: the request's context is read here and the job's written into the result and dead-letter
 * records here.
 */
public final class TraceHeaders {
    private static final TextMapGetter<Headers> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            if (headers == null) {
                return null;
            }
            Header h = headers.lastHeader(key);
            return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> SETTER = (headers, key, value) -> {
        if (headers != null) {
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private TraceHeaders() {
    }

    /** The context the producer of a record put in its headers; root when there is none or it is malformed. */
    public static Context extract(Headers headers) {
        return Tracing.extract(headers, GETTER);
    }

    /**
     * The current span's context into the headers, in place of a traceparent / tracestate copied from the request (a
     * dead letter keeps the request's headers): the result and the dead letter are children of the job. Nothing
     * changes when no span is current.
     */
    public static void injectCurrent(Headers headers) {
        if (Tracing.hasCurrentSpan()) {
            headers.remove(Tracing.TRACEPARENT);
            headers.remove(Tracing.TRACESTATE);
            Tracing.injectCurrent(headers, SETTER);
        }
    }
}
