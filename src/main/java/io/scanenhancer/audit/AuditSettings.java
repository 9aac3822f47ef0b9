package io.scanenhancer.audit;

import java.nio.file.Path;

/**
 * Where audit records go ({@code enhancer.audit.*}); both transports off by default.
 *
 * @param sourceId         AuditSourceID and this service's UserID in every record
 * @param enterpriseSiteId AuditEnterpriseSiteID, or null
 * @param syslog           the collector, or null for none
 * @param file             a local append-only file, or null for none
 */
public record AuditSettings(String sourceId, String enterpriseSiteId, Syslog syslog, Path file) {

    public enum Protocol { UDP, TLS }

    /**
     * @param trustStore CAs to trust for TLS (PKCS12 or JKS), or null for the JDK's
     */
    public record Syslog(String host, int port, Protocol protocol, Path trustStore, String trustStorePassword) {
    }

    public static AuditSettings off() {
        return new AuditSettings("scan-enhancer", null, null, null);
    }

    public boolean enabled() {
        return syslog != null || file != null;
    }
}
