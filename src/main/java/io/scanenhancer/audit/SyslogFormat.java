package io.scanenhancer.audit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The RFC 5424 syslog message that carries one audit record, as IHE ATNA (ITI-20) asks: facility authpriv (10),
 * severity notice (5) for a success and warning (4) otherwise, MSGID {@code IHE+RFC-3881} (what dcm4che's sender
 * and ATNA repositories expect), no structured data, the XML as a UTF-8 MSG marked by a byte order mark.
 */
public final class SyslogFormat {
    static final int FACILITY_AUTHPRIV = 10;
    public static final String MSGID = "IHE+RFC-3881";
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private final String hostname;
    private final String appName;
    private final String procId;

    public SyslogFormat(String hostname, String appName, String procId) {
        this.hostname = field(hostname, 255);
        this.appName = field(appName, 48);
        this.procId = field(procId, 128);
    }

    /** HEADER SP STRUCTURED-DATA SP MSG, as bytes (RFC 5424 section 6). */
    public byte[] message(AuditMessage m) {
        int severity = m.outcome() == AuditMessage.Outcome.SUCCESS ? 5 : 4;
        String header = "<" + (FACILITY_AUTHPRIV * 8 + severity) + ">1 "
                + DateTimeFormatter.ISO_INSTANT.format(m.time().truncatedTo(ChronoUnit.MILLIS)) + " "
                + hostname + " " + appName + " " + procId + " " + MSGID + " - ";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(BOM);
        out.writeBytes(m.toXml().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** RFC 5425 / RFC 6587 octet counting over TLS: MSG-LEN SP SYSLOG-MSG. */
    public static byte[] octetCounted(byte[] message) {
        byte[] prefix = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, framed, 0, prefix.length);
        System.arraycopy(message, 0, framed, prefix.length, message.length);
        return framed;
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, "-" when empty. */
    private static String field(String value, int max) {
        if (value == null || value.isBlank()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (c > 32 && c < 127 && b.length() < max) {
                b.append(c);
            }
        }
        return b.isEmpty() ? "-" : b.toString();
    }

    static Instant now() {
        return Instant.now();
    }
}
