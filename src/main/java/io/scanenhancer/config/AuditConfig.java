package io.scanenhancer.config;

import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** {@code enhancer.audit.*}: the audit trail (DICOM audit messages, IHE ATNA) to a syslog collector and/or a local file. */
public interface AuditConfig {
    /** AuditSourceID, and this service's UserID in the records. */
    @WithDefault("scan-enhancer")
    String sourceId();

    /** AuditEnterpriseSiteID, e.g. the hospital's name. */
    Optional<String> enterpriseSiteId();

    Syslog syslog();

    File file();

    interface Syslog {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("127.0.0.1")
        String host();

        /** Absent: 514 for udp, 6514 for tls (RFC 5425). */
        OptionalInt port();

        /** udp (RFC 5426) or tls (RFC 5425). */
        @WithDefault("udp")
        String protocol();

        /** CAs to trust for tls (PKCS12, or JKS by its .jks name); absent = the JDK's. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();
    }

    interface File {
        @WithDefault("false")
        boolean enabled();

        @WithDefault("scan-enhancer-audit.log")
        Path path();
    }
}
