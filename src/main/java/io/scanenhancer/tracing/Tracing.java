package io.scanenhancer.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;

import java.util.List;
import java.util.function.Function;

/**
 * The service's spans and the W3C trace context ({@code traceparent}, {@code tracestate}) they travel in. The
 * propagator is W3C trace context itself, not the OpenTelemetry instance's: with the SDK off (the default) the tracer
 * makes no spans, and a caller's context still passes through the service unchanged into the result, the dead letter
 * and the PACS calls, so a trace that crosses the service stays one trace even where the service records nothing.
 */
public final class Tracing {
    /** The id of the request (job) a span works for: the {@code requestId} of the request event. */
    public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("enhancer.job.id");
    public static final AttributeKey<String> STUDY_UID = AttributeKey.stringKey("dicom.study_instance_uid");
    public static final AttributeKey<String> SERIES_UID = AttributeKey.stringKey("dicom.series_instance_uid");
    public static final AttributeKey<String> ERROR_CODE = AttributeKey.stringKey("enhancer.error_code");
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final Tracing OFF = new Tracing(OpenTelemetry.noop());

    private final Tracer tracer;

    private Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.scanenhancer");
    }

    /** Spans through this OpenTelemetry (Quarkus's, configured by quarkus.otel.*; a test's in-memory SDK). */
    public static Tracing of(OpenTelemetry openTelemetry) {
        return openTelemetry == null ? OFF : new Tracing(openTelemetry);
    }

    /** No spans; trace context passes through. */
    public static Tracing off() {
        return OFF;
    }

    public Tracer tracer() {
        return tracer;
    }

    /** A span under the current one, started now; the caller makes it current and ends it. */
    public Span start(String name, SpanKind kind) {
        return tracer.spanBuilder(name).setSpanKind(kind).startSpan();
    }

    /** A span whose parent is the remote context {@code parent} (root when it holds none). */
    public Span start(String name, SpanKind kind, Context parent) {
        return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
    }

    /** Marks the span failed with a short, PHI-free description (an error code or an exception class). */
    public static void failed(Span span, String description) {
        span.setStatus(StatusCode.ERROR, description);
    }

    /** The remote context in {@code carrier}'s traceparent / tracestate; {@link Context#root()} when there is none. */
    public static <C> Context extract(C carrier, TextMapGetter<C> getter) {
        return W3C.extract(Context.root(), carrier, getter);
    }

    /**
     * The caller's context (read from its headers) made current, unless a span already is: Quarkus's REST
     * instrumentation makes the server span current when the SDK is on; with it off this still carries the caller's
     * traceparent on into the request record.
     */
    public static Scope callerContext(Function<String, String> headers) {
        if (hasCurrentSpan()) {
            return Scope.noop();
        }
        return extract(headers, new TextMapGetter<Function<String, String>>() {
            @Override
            public Iterable<String> keys(Function<String, String> carrier) {
                return List.of(TRACEPARENT, TRACESTATE);
            }

            @Override
            public String get(Function<String, String> carrier, String key) {
                return carrier == null ? null : carrier.apply(key);
            }
        }).makeCurrent();
    }

    /** A span (recorded or only propagated) is current: there is a context to pass on. */
    public static boolean hasCurrentSpan() {
        return Span.current().getSpanContext().isValid();
    }

    /**
     * Writes the current context into {@code carrier}; nothing when no span is current, so a carrier's own context (a
     * copied record's headers) is left as it is.
     *
     * @return whether a context was written
     */
    public static <C> boolean injectCurrent(C carrier, TextMapSetter<C> setter) {
        if (!hasCurrentSpan()) {
            return false;
        }
        W3C.inject(Context.current(), carrier, setter);
        return true;
    }
}
