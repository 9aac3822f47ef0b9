package io.scanenhancer.harness.gpu;

import ai.djl.engine.Engine;

/** Which natives actually ran: the first thing to read when a figure looks wrong. */
final class EngineInfo {
    /** Exit status when a GPU was required and DJL sees none (the same as {@code bench --device gpu}). */
    static final int NO_GPU = 3;

    private EngineInfo() {
    }

    static String describe() {
        Engine engine = Engine.getInstance();
        String lib;
        try {
            lib = ai.djl.pytorch.jni.LibUtils.getLibtorchPath();
        } catch (RuntimeException | LinkageError e) {
            lib = "unknown (" + e + ")";
        }
        return String.format("engine %s %s, default device %s, %d GPU(s) seen, libtorch from %s, flavor %s, java %s",
                engine.getEngineName(), engine.getVersion(), engine.defaultDevice(), engine.getGpuCount(), lib,
                System.getenv().getOrDefault("PYTORCH_FLAVOR", "(from the classpath)"), Runtime.version());
    }

    /** Null when fine; else the message to fail with. */
    static String gpuMissing(boolean required) {
        if (!required || Engine.getInstance().getGpuCount() > 0) {
            return null;
        }
        return "a GPU was required but DJL sees none (" + describe() + "): check PYTORCH_FLAVOR (must contain 'cu'), "
                + "that libtorch_cuda loaded, and that JNA finds libcudart (-Djna.library.path)";
    }
}
