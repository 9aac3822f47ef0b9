package io.scanenhancer.audit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;

/**
 * Sends to a syslog collector: one datagram per record over UDP (RFC 5426), or octet-counted frames over one TLS
 * connection (RFC 5425), opened again after a failure on the next record.
 */
final class SyslogSender implements AuditSink {
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private final AuditSettings.Syslog settings;
    private DatagramSocket udp;
    private SSLSocket tls;

    SyslogSender(AuditSettings.Syslog settings) {
        this.settings = settings;
    }

    @Override
    public void send(byte[] message) throws IOException {
        if (settings.protocol() == AuditSettings.Protocol.UDP) {
            if (udp == null) {
                udp = new DatagramSocket();
            }
            udp.send(new DatagramPacket(message, message.length, new InetSocketAddress(settings.host(), settings.port())));
            return;
        }
        try {
            if (tls == null) {
                tls = connect();
            }
            OutputStream out = tls.getOutputStream();
            out.write(SyslogFormat.octetCounted(message));
            out.flush();
        } catch (IOException e) {
            closeTls();
            throw e;
        }
    }

    private SSLSocket connect() throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            KeyStore trusted = null;
            if (settings.trustStore() != null) {
                trusted = KeyStore.getInstance(settings.trustStore().toString().endsWith(".jks") ? "JKS" : "PKCS12");
                try (InputStream in = Files.newInputStream(settings.trustStore())) {
                    char[] pw = settings.trustStorePassword() == null ? null : settings.trustStorePassword().toCharArray();
                    trusted.load(in, pw);
                }
            }
            tmf.init(trusted);
            context.init(null, tmf.getTrustManagers(), null);
            SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket();
            s.connect(new InetSocketAddress(settings.host(), settings.port()), CONNECT_TIMEOUT_MS);
            var params = s.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the collector's certificate must name its host
            s.setSSLParameters(params);
            s.startHandshake();
            return s;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS to the audit collector: " + e.getMessage(), e);
        }
    }

    private void closeTls() {
        if (tls != null) {
            try {
                tls.close();
            } catch (IOException ignored) {
                // broken already
            }
            tls = null;
        }
    }

    @Override
    public String describe() {
        return "syslog " + settings.protocol().name().toLowerCase() + "://" + settings.host() + ":" + settings.port();
    }

    @Override
    public void close() {
        if (udp != null) {
            udp.close();
        }
        closeTls();
    }
}
