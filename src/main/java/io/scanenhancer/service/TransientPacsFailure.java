package io.scanenhancer.service;

import io.scanenhancer.pacs.PacsException;

import java.util.function.Predicate;

/** Retry only what may succeed on a second try; a refused object or an unknown study will not. */
public final class TransientPacsFailure implements Predicate<Throwable> {
    @Override
    public boolean test(Throwable t) {
        return t instanceof PacsException e && e.transientFailure();
    }
}
