package io.scanenhancer.api;

import io.scanenhancer.service.LocalStackResource;

import java.util.HashMap;
import java.util.Map;

/** The real broker and Orthanc of {@link LocalStackResource}, plus API credentials (test values, not secrets). */
public class ApiStackResource extends LocalStackResource {
    static final String TOKEN = "test-token-7f3a";
    static final String USER = "radiology";
    static final String PASSWORD = "test-password-91c2";

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        config.put("enhancer.api.auth.token", TOKEN);
        config.put("enhancer.api.auth.username", USER);
        config.put("enhancer.api.auth.password", PASSWORD);
        config.put("enhancer.consumer.group-id", "api-test");
        config.put("enhancer.batch.size", "5");
        // the audit trail into a file of this run (test.audit-file), so that ApiTest can read what REST calls recorded
        String audit = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "api-test-audit-" + java.util.UUID.randomUUID() + ".log").toString();
        config.put("enhancer.audit.file.enabled", "true");
        config.put("enhancer.audit.file.path", audit);
        config.put("test.audit-file", audit);
        return config;
    }
}
