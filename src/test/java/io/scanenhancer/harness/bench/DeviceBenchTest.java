package io.scanenhancer.harness.bench;

import ai.djl.engine.Engine;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code bench --device gpu} on a machine without a GPU says so and fails, instead of timing the CPU. */
class DeviceBenchTest {
    @Test
    void gpuBenchRefusesWhereTheEngineSeesNoGpu() {
        assumeTrue(Engine.getInstance().getGpuCount() == 0, "this machine has a GPU");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true));
        int status;
        try {
            status = BenchCommand.run(new String[] {"--device", "gpu"});
        } finally {
            System.setErr(err);
        }
        assertEquals(DeviceBench.NO_GPU, status);
        assertTrue(captured.toString().contains("no GPU present"), captured.toString());
        assertEquals(2, BenchCommand.run(new String[] {"--device", "tpu"}));
    }
}
