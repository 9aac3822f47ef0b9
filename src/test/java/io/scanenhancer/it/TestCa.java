package io.scanenhancer.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away CA and a server certificate for 127.0.0.1 that it signed, made with the JDK's keytool (as an operator
 * would), so that the TLS tests check real chain and host-name verification instead of turning it off.
 */
final class TestCa {
    final Path dir;
    final String password;
    /** PKCS12 with the server key and its chain (server, CA). */
    final Path serverKeyStore;
    /** PKCS12 with only the CA certificate. */
    final Path trustStore;
    /** The CA certificate as PEM. */
    final Path caPem;

    private TestCa(Path dir, String password) {
        this.dir = dir;
        this.password = password;
        this.serverKeyStore = dir.resolve("server.p12");
        this.trustStore = dir.resolve("trust.p12");
        this.caPem = dir.resolve("ca.pem");
    }

    static TestCa make(Path dir) throws IOException {
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        TestCa ca = new TestCa(dir, HexFormat.of().formatHex(secret));
        Path caStore = dir.resolve("ca.p12");
        ca.keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=scan-enhancer test CA", "-ext", "bc:c", "-keystore", caStore.toString());
        ca.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-file", ca.caPem.toString());
        ca.keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-keystore", ca.serverKeyStore.toString());
        Path csr = dir.resolve("server.csr");
        Path cert = dir.resolve("server.pem");
        ca.keytool("-certreq", "-alias", "server", "-keystore", ca.serverKeyStore.toString(), "-file", csr.toString());
        ca.keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-infile", csr.toString(),
                "-outfile", cert.toString(), "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-ext", "KU=digitalSignature,keyEncipherment", "-ext", "EKU=serverAuth");
        ca.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.caPem.toString(),
                "-keystore", ca.serverKeyStore.toString());
        ca.keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(),
                "-keystore", ca.serverKeyStore.toString());
        ca.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.caPem.toString(),
                "-keystore", ca.trustStore.toString());
        return ca;
    }

    private void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", password));
        if (List.of(args).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", password));
        }
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
