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
        return config;
    }
}
