package io.scanenhancer.cli;

import java.nio.file.Path;

/** Where the shipped model lives, relative to the repository root (the launcher runs from there). */
public final class ModelPaths {
    public static final Path DEFAULT_MODEL = io.scanenhancer.enhance.Enhancers.defaultModelDir();

    private ModelPaths() {
    }
}
