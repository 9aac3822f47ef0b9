package io.scanenhancer.config;

import io.scanenhancer.audit.AuditSettings;

import java.util.Locale;

/** {@code enhancer.audit.*} as {@link AuditSettings}; a wrong protocol stops the start with the key named. */
public final class AuditSettingsFactory {
    private AuditSettingsFactory() {
    }

    public static AuditSettings from(AuditConfig a) {
        AuditSettings.Syslog syslog = null;
        if (a.syslog().enabled()) {
            AuditSettings.Protocol protocol;
            try {
                protocol = AuditSettings.Protocol.valueOf(a.syslog().protocol().trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("enhancer.audit.syslog.protocol must be udp or tls, not '"
                        + a.syslog().protocol() + "'");
            }
            int port = a.syslog().port().orElse(protocol == AuditSettings.Protocol.TLS ? 6514 : 514);
            syslog = new AuditSettings.Syslog(a.syslog().host(), port, protocol, a.syslog().trustStore().orElse(null),
                    a.syslog().trustStorePassword().orElse(null));
        }
        return new AuditSettings(a.sourceId(), a.enterpriseSiteId().orElse(null), syslog,
                a.file().enabled() ? a.file().path() : null);
    }
}
