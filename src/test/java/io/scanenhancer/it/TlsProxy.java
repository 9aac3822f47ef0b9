package io.scanenhancer.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.scanenhancer.harness.FreePorts;
import io.scanenhancer.harness.LocalOrthanc;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS-terminating reverse proxy in front of Orthanc (JDK classes only), the way a PACS is usually exposed over https.
 * Needed because the Debian Orthanc 1.10.1 crashes (SIGSEGV) in the TLS handshake with its own SslEnabled option.
 * Without a token it passes the client's Authorization header through, so Orthanc itself checks basic credentials;
 * with one it checks the bearer token (Orthanc 1.10 has no bearer auth) and calls Orthanc with Orthanc's own basic
 * credentials, which the client never sees.
 */
final class TlsProxy implements AutoCloseable {
    private static final List<String> FORWARDED = List.of("Content-Type", "Accept");
    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newHttpClient();
    private final HttpsServer server;
    private final LocalOrthanc orthanc;
    private final byte[] expected;
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger forwarded = new AtomicInteger();

    /** @param token the bearer token to require, or null to let Orthanc check the client's basic credentials */
    TlsProxy(LocalOrthanc orthanc, String token, Path keyStore, String password) throws Exception {
        this.orthanc = orthanc;
        this.expected = token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        KeyStore ks = KeyStore.getInstance(keyStore.toFile(), password.toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", FreePorts.next()), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", this::handle);
        server.start();
    }

    String dicomWebUrl() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/dicom-web";
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            // constant-time comparison: the proxy must not leak how much of a guessed token was right
            if (expected != null
                    && (auth == null || !MessageDigest.isEqual(expected, auth.getBytes(StandardCharsets.UTF_8)))) {
                refused.incrementAndGet();
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"dicom-web\"");
                ex.sendResponseHeaders(401, -1);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(orthanc.httpUrl() + ex.getRequestURI()))
                    .timeout(Duration.ofSeconds(60))
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            String upstreamAuth = expected == null ? auth : "Basic " + Base64.getEncoder().encodeToString(
                    (orthanc.user() + ":" + orthanc.password()).getBytes(StandardCharsets.UTF_8));
            if (upstreamAuth != null) {
                out.header("Authorization", upstreamAuth);
            }
            for (String h : FORWARDED) {
                String v = ex.getRequestHeaders().getFirst(h);
                if (v != null) {
                    out.header(h, v);
                }
            }
            HttpResponse<byte[]> r = HTTP.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
            forwarded.incrementAndGet();
            r.headers().firstValue("Content-Type").ifPresent(v -> ex.getResponseHeaders().add("Content-Type", v));
            ex.sendResponseHeaders(r.statusCode(), r.body().length == 0 ? -1 : r.body().length);
            if (r.body().length > 0) {
                ex.getResponseBody().write(r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
