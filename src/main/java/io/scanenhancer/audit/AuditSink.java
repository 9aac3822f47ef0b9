package io.scanenhancer.audit;

import java.io.IOException;

/** Where a formatted record goes (syslog collector, local file). Called on the trail's one sender thread only. */
interface AuditSink extends AutoCloseable {

    /** @param syslogMessage the RFC 5424 message of the record */
    void send(byte[] syslogMessage) throws IOException;

    String describe();

    @Override
    void close();
}
