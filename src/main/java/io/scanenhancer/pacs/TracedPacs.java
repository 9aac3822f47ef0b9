package io.scanenhancer.pacs;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.scanenhancer.tracing.Tracing;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * One client span per call to a PACS ({@code pacs find}, {@code pacs retrieve}, {@code pacs store}, {@code pacs ping});
 * a DICOMweb client sends it on in the {@code traceparent} header, so a PACS that traces sees the call as a child of
 * the job. Sits inside {@link RetryingPacs}: every try is a span of its own.
 */
public final class TracedPacs implements Pacs {
    private final Pacs delegate;
    private final Tracing tracing;

    public TracedPacs(Pacs delegate, Tracing tracing) {
        this.delegate = delegate;
        this.tracing = tracing;
    }

    @FunctionalInterface
    private interface Call<T> {
        T call() throws PacsException;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<SeriesRef> findSeries(String study) throws PacsException {
        return traced("find", () -> delegate.findSeries(study));
    }

    @Override
    public List<InstanceRef> findInstances(String study, String series) throws PacsException {
        return traced("find", () -> delegate.findInstances(study, series));
    }

    @Override
    public Set<String> storedInstanceUids(String study, String series) throws PacsException {
        return traced("find", () -> delegate.storedInstanceUids(study, series));
    }

    @Override
    public List<Path> retrieveTo(String study, String series, Path folder) throws PacsException {
        return traced("retrieve", () -> delegate.retrieveTo(study, series, folder));
    }

    @Override
    public void store(List<byte[]> objects) throws PacsException {
        traced("store", () -> {
            delegate.store(objects);
            return null;
        });
    }

    @Override
    public void ping() throws PacsException {
        traced("ping", () -> {
            delegate.ping();
            return null;
        });
    }

    private <T> T traced(String operation, Call<T> call) throws PacsException {
        Span span = tracing.start("pacs " + operation, SpanKind.CLIENT).setAttribute("enhancer.pacs", delegate.name());
        try (Scope ignored = span.makeCurrent()) {
            return call.call();
        } catch (PacsException e) {
            Tracing.failed(span, e.transientFailure() ? "transient" : "refused");
            throw e;
        } catch (RuntimeException e) {
            Tracing.failed(span, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }
}
