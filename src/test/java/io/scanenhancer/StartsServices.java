package io.scanenhancer;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that starts real processes (a Kafka broker, Orthanc, the service, a TLS proxy): it runs in the
 * integration-test phase (failsafe), after the fast tests, and {@code mvn test} alone skips it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag(StartsServices.TAG)
public @interface StartsServices {
    String TAG = "services";
}
