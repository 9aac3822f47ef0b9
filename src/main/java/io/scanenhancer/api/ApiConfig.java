package io.scanenhancer.api;

import io.scanenhancer.config.ServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.Optional;

/** The API's view of {@code enhancer.api.*} ({@link ServiceConfig.Api}), blank values read as absent. */
@ApplicationScoped
public class ApiConfig {
    @Inject
    ServiceConfig config;

    boolean authEnabled() {
        return config.api().auth().enabled();
    }

    Optional<String> token() {
        return config.api().auth().token().filter(t -> !t.isBlank());
    }

    Optional<String> username() {
        return config.api().auth().username().filter(u -> !u.isBlank());
    }

    Optional<String> password() {
        return config.api().auth().password();
    }

    Duration jobsLookback() {
        return config.api().jobsLookback();
    }
}
