package io.scanenhancer.messaging;

/**
 * Stands for the error no one could catch: the process died while working on the request, as often as the crash
 * budget allows ({@link CrashMarkers}). It names the x-error-class of such a dead letter; it is never thrown.
 */
final class CrashedTheWorkerException extends Exception {
    CrashedTheWorkerException(String reason) {
        super(reason);
    }
}
