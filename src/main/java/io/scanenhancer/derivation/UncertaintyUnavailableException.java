package io.scanenhancer.derivation;

/** An uncertainty series was asked for and cannot be made honestly for this input (no posterior spread). */
public final class UncertaintyUnavailableException extends RuntimeException {
    public UncertaintyUnavailableException(String message) {
        super(message);
    }
}
