package io.scanenhancer.it;

import io.scanenhancer.harness.LocalStack;
import io.scanenhancer.harness.ServeProcess;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** {@code serve} as its own OS process for the fault tests, logging into target/test-logs where PhiInLogsIT reads it. */
final class ServiceProcess {
    private ServiceProcess() {
    }

    static ServeProcess start(LocalStack stack, String name, Map<String, String> settings) throws IOException {
        return ServeProcess.start(stack, PhiInLogsIT.SUBPROCESS_LOGS.resolve(name + ".log"), List.of("-Xmx1g"), settings);
    }

    static ServeProcess start(LocalStack stack, String name, Map<String, String> settings, int httpPort) throws IOException {
        return ServeProcess.start(stack, PhiInLogsIT.SUBPROCESS_LOGS.resolve(name + ".log"), List.of("-Xmx1g"), settings,
                httpPort);
    }
}
