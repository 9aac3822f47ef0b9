package io.scanenhancer.it;

import io.scanenhancer.harness.LocalStack;

/**
 * One broker and one Orthanc for the whole test JVM (they take ~8 s to start); stopped by a shutdown hook.
 * Test classes keep apart by using their own studies, topics and consumer groups.
 */
public final class SharedStack {
    private static LocalStack stack;

    private SharedStack() {
    }

    public static synchronized LocalStack get() throws Exception {
        if (stack == null) {
            if (!TestcontainersSupport.dockerAvailable()) {
                System.out.println(TestcontainersSupport.skipReason());
            }
            stack = LocalStack.start();
            LocalStack started = stack;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-local-stack"));
        }
        return stack;
    }
}
