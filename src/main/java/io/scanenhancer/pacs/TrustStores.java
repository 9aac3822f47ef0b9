package io.scanenhancer.pacs;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Locale;

/**
 * An SSLContext that trusts exactly the CAs of one file, so a PACS with a private CA is reached with full chain and
 * host-name checks instead of with verification turned off.
 */
final class TrustStores {
    private TrustStores() {
    }

    static SSLContext sslContext(Path file, String password) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load(file, password));
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trust store " + file, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("unusable trust store " + file + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(Path file, String password) throws IOException, GeneralSecurityException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".pem") || name.endsWith(".crt") || name.endsWith(".cer")) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(file)) {
                int i = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("ca-" + i++, c);
                }
                if (i == 0) {
                    throw new GeneralSecurityException("no certificate in the file");
                }
            }
            return ks;
        }
        // PKCS12 or JKS, whichever the file is
        return KeyStore.getInstance(file.toFile(), password == null ? null : password.toCharArray());
    }
}
