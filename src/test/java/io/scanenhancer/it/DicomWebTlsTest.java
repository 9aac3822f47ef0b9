package io.scanenhancer.it;

import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.pacs.Pacs;
import io.scanenhancer.pacs.PacsException;
import io.scanenhancer.pacs.PacsSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DicomWebPacs over https to a real Orthanc behind a TLS-terminating proxy, with a certificate from a CA this test
 * makes: STOW/QIDO/WADO with basic auth (checked by Orthanc), trust from a PKCS12 store or a PEM file, refusals for a
 * wrong password and an untrusted CA, and bearer auth (checked by the proxy: Orthanc 1.10 cannot). Orthanc's own
 * SslEnabled is not used: the Debian 1.10.1 build crashes with SIGSEGV in the first TLS handshake.
 */
@io.scanenhancer.StartsServices
class DicomWebTlsTest {
    @TempDir
    static Path temp;
    static TestCa ca;
    static LocalOrthanc orthanc;
    static TlsProxy https;
    static TlsProxy proxy;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        ca = TestCa.make(temp);
        orthanc = LocalOrthanc.start();
        https = new TlsProxy(orthanc, null, ca.serverKeyStore, ca.password);
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        token = HexFormat.of().formatHex(secret);
        proxy = new TlsProxy(orthanc, token, ca.serverKeyStore, ca.password);
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (https != null) {
            https.close();
        }
        if (orthanc != null) {
            orthanc.close();
        }
    }

    private static PacsSettings.DicomWeb settings(String url, String user, String password, String bearer,
                                                  Path trust, String trustPassword) {
        return new PacsSettings.DicomWeb("tls-pacs", URI.create(url), user, password, bearer, Duration.ofSeconds(60),
                trust, trustPassword);
    }

    @Test
    void plainHttpToTheTlsPortIsRefused() {
        Pacs plain = settings(https.dicomWebUrl().replace("https://", "http://"), orthanc.user(), orthanc.password(),
                null, null, null).open();
        assertThrows(PacsException.class, () -> plain.findSeries("1.2.3"), "plain HTTP to the TLS port gets no answer");
    }

    @Test
    void basicAuthRoundTripOverHttpsWithAPkcs12TrustStore() throws Exception {
        roundTrip(settings(https.dicomWebUrl(), orthanc.user(), orthanc.password(), null, ca.trustStore, ca.password)
                .open(), "p12");
    }

    @Test
    void basicAuthRoundTripOverHttpsWithAPemCa() throws Exception {
        roundTrip(settings(https.dicomWebUrl(), orthanc.user(), orthanc.password(), null, ca.caPem, null).open(), "pem");
    }

    @Test
    void bearerAuthRoundTripThroughTheTlsProxy() throws Exception {
        int before = proxy.forwarded.get();
        roundTrip(settings(proxy.dicomWebUrl(), null, null, token, ca.caPem, null).open(), "bearer");
        assertTrue(proxy.forwarded.get() - before >= 4, "the calls went through the token-checking proxy");
    }

    @Test
    void aWrongPasswordIsRefusedWithAClearError() {
        String wrong = "not-" + orthanc.password();
        Pacs pacs = settings(https.dicomWebUrl(), orthanc.user(), wrong, null, ca.caPem, null).open();
        PacsException e = assertThrows(PacsException.class, () -> pacs.findSeries("1.2.3"));
        assertTrue(e.getMessage().contains("refused the credentials (HTTP 401)"), e.getMessage());
        assertTrue(e.getMessage().contains("enhancer.pacs.tls-pacs.username/password"), e.getMessage());
        assertFalse(e.getMessage().contains(wrong), "the error does not quote the password");
    }

    @Test
    void aWrongBearerTokenIsRefusedWithAClearError() {
        int before = proxy.refused.get();
        Pacs pacs = settings(proxy.dicomWebUrl(), null, null, "wrong-" + token, ca.caPem, null).open();
        PacsException e = assertThrows(PacsException.class, () -> pacs.findSeries("1.2.3"));
        assertTrue(e.getMessage().contains("refused the credentials (HTTP 401)"), e.getMessage());
        assertFalse(e.getMessage().contains(token), "the error does not quote the token");
        assertEquals(before + 1, proxy.refused.get());
    }

    @Test
    void aCertificateFromAnUnknownCaIsRefused() throws Exception {
        // neither the JDK's default CAs nor another private CA know this server: verification stays on
        TestCa other = TestCa.make(Files.createDirectory(temp.resolve("other-ca")));
        for (PacsSettings.DicomWeb s : List.of(
                settings(https.dicomWebUrl(), orthanc.user(), orthanc.password(), null, null, null),
                settings(https.dicomWebUrl(), orthanc.user(), orthanc.password(), null, other.caPem, null))) {
            PacsException e = assertThrows(PacsException.class, () -> s.open().findSeries("1.2.3"));
            assertTrue(e.getMessage().contains("TLS handshake failed"), e.getMessage());
        }
    }

    private void roundTrip(Pacs pacs, String name) throws Exception {
        SeriesFixture series = SeriesFixture.write(Files.createDirectory(temp.resolve(name)), 3);
        List<byte[]> objects = new ArrayList<>();
        for (Path f : series.files()) {
            objects.add(Files.readAllBytes(f));
        }
        pacs.store(objects);
        List<io.scanenhancer.pacs.SeriesRef> found = pacs.findSeries(series.studyInstanceUid());
        assertEquals(1, found.size(), found.toString());
        assertEquals(series.seriesInstanceUid(), found.get(0).seriesInstanceUid());
        assertEquals(3, pacs.findInstances(series.studyInstanceUid(), series.seriesInstanceUid()).size());
        List<byte[]> back = pacs.retrieve(series.studyInstanceUid(), series.seriesInstanceUid());
        assertEquals(3, back.size());
        // the same three objects came back over https (order is the PACS's)
        List<String> sent = objects.stream().map(b -> HexFormat.of().formatHex(sha(b))).sorted().toList();
        List<String> got = back.stream().map(b -> HexFormat.of().formatHex(sha(b))).sorted().toList();
        assertEquals(sent, got, "WADO-RS returned the stored objects byte for byte");
    }

    private static byte[] sha(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
