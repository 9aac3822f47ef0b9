package io.scanenhancer.service;

import io.scanenhancer.pacs.InstanceRef;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.SeriesRef;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** A Pacs whose calls run through {@link GuardedPacsCalls} (retry + timeout). */
final class GuardedPacs implements Pacs {
    private final Pacs delegate;
    private final GuardedPacsCalls guard;

    GuardedPacs(Pacs delegate, GuardedPacsCalls guard) {
        this.delegate = delegate;
        this.guard = guard;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public List<SeriesRef> findSeries(String study) throws PacsException {
        return guarded(() -> delegate.findSeries(study));
    }

    @Override
    public List<InstanceRef> findInstances(String study, String series) throws PacsException {
        return guarded(() -> delegate.findInstances(study, series));
    }

    @Override
    public Set<String> storedInstanceUids(String study, String series) throws PacsException {
        return guarded(() -> delegate.storedInstanceUids(study, series));
    }

    @Override
    public List<Path> retrieveTo(String study, String series, Path folder) throws PacsException {
        return guarded(() -> delegate.retrieveTo(study, series, folder));
    }

    @Override
    public void store(List<byte[]> objects) throws PacsException {
        guarded(() -> {
            delegate.store(objects);
            return null;
        });
    }

    @Override
    public void ping() throws PacsException {
        guarded(() -> {
            delegate.ping();
            return null;
        });
    }

    private <T> T guarded(GuardedPacsCalls.PacsCall<T> call) throws PacsException {
        try {
            return guard.call(call);
        } catch (TimeoutException e) {
            throw new PacsException(name() + ": call timed out", true, e);
        }
    }
}
