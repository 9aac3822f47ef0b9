package io.scanenhancer.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Orthanc (Debian package) with its DICOMweb plugin, as a child process with a generated configuration:
 * free HTTP and DICOM ports, a temporary storage folder, HTTP authentication on with a generated password, HTTP only
 * from localhost, and the given DICOM peers registered (needed for C-FIND, C-GET and C-MOVE). {@link #close()} stops
 * it and removes the folder.
 */
public final class LocalOrthanc implements AutoCloseable {
    public static final Path BINARY = Path.of("/usr/sbin/Orthanc");
    public static final Path DICOMWEB_PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    public static final String AE_TITLE = "ORTHANC";
    public static final String USER = "enhancer";

    /** A DICOM peer Orthanc should know: its AE title, host and port (the port is used by C-MOVE only). */
    public record Peer(String name, String aeTitle, String host, int port) {
    }

    private final Path folder;
    private volatile Process process;
    private final int httpPort;
    private final int dicomPort;
    private final String password;

    private LocalOrthanc(Path folder, Process process, int httpPort, int dicomPort, String password) {
        this.folder = folder;
        this.process = process;
        this.httpPort = httpPort;
        this.dicomPort = dicomPort;
        this.password = password;
    }

    public static boolean installed() {
        return Files.isExecutable(BINARY) && Files.exists(DICOMWEB_PLUGIN);
    }

    public static LocalOrthanc start(List<Peer> peers) throws IOException {
        return start(peers, List.of());
    }

    /**
     * With Lua scripts (Orthanc's "LuaScripts"): a routing rule such as README's OnStableStudy, or a test's
     * IncomingHttpRequestFilter that records the HTTP headers Orthanc received.
     */
    public static LocalOrthanc start(List<Peer> peers, List<String> luaScripts) throws IOException {
        if (!installed()) {
            throw new IOException("Orthanc is not installed (" + BINARY + ", " + DICOMWEB_PLUGIN
                    + "): apt-get install orthanc orthanc-dicomweb");
        }
        Path folder = Files.createTempDirectory("scanenhancer-orthanc-");
        int httpPort = FreePorts.next();
        int dicomPort = FreePorts.next();
        byte[] secret = new byte[12];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);

        ObjectMapper json = new ObjectMapper();
        ObjectNode c = json.createObjectNode();
        c.put("Name", "scan-enhancer-local");
        c.put("StorageDirectory", folder.resolve("storage").toString());
        c.put("IndexDirectory", folder.resolve("index").toString());
        c.put("HttpPort", httpPort);
        c.put("DicomPort", dicomPort);
        c.put("DicomAet", AE_TITLE);
        c.put("DicomCheckCalledAet", true);
        c.put("RemoteAccessAllowed", false); // HTTP from localhost only (Orthanc 1.10 cannot bind to loopback)
        c.put("AuthenticationEnabled", true);
        c.putObject("RegisteredUsers").put(USER, password);
        c.putArray("Plugins").add(DICOMWEB_PLUGIN.toString());
        c.putObject("DicomWeb").put("Enable", true).put("Root", "/dicom-web/");
        c.put("DicomAlwaysAllowEcho", true);
        c.put("DicomAlwaysAllowStore", true);
        c.put("SaveJobs", false);
        c.put("StorageCompression", false);
        c.put("HttpCompressionEnabled", false);
        ObjectNode modalities = c.putObject("DicomModalities");
        for (Peer peer : peers) {
            modalities.putObject(peer.name()).put("AET", peer.aeTitle()).put("Host", peer.host()).put("Port", peer.port())
                    .put("AllowEcho", true).put("AllowFind", true).put("AllowGet", true).put("AllowMove", true)
                    .put("AllowStore", true);
        }
        var lua = c.putArray("LuaScripts");
        for (int i = 0; i < luaScripts.size(); i++) {
            Path script = folder.resolve("script-" + i + ".lua");
            Files.writeString(script, luaScripts.get(i));
            lua.add(script.toString());
        }
        Path config = folder.resolve("orthanc.json");
        json.writerWithDefaultPrettyPrinter().writeValue(config.toFile(), c);

        LocalOrthanc orthanc = new LocalOrthanc(folder, launch(folder), httpPort, dicomPort, password);
        orthanc.awaitReady();
        return orthanc;
    }

    private static Process launch(Path folder) throws IOException {
        return new ProcessBuilder(BINARY.toString(), folder.resolve("orthanc.json").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("orthanc.log").toFile()))
                .start();
    }

    /** Kills the process (SIGKILL, as a crash would) and keeps storage and ports, for {@link #restart()}. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Starts Orthanc again on the same ports with the same storage, and waits until it answers. */
    public void restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("Orthanc is still running");
        }
        process = launch(folder);
        awaitReady();
    }

    public String httpUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public String dicomWebUrl() {
        return httpUrl() + "/dicom-web";
    }

    public int httpPort() {
        return httpPort;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return password;
    }

    public Path logFile() {
        return folder.resolve("orthanc.log");
    }

    /** GET on Orthanc's REST API with the generated credentials; returns status and body. */
    public HttpResponse<String> get(String path) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(httpUrl() + path)).GET());
    }

    /** GET of a binary resource (e.g. /instances/{id}/file) with the generated credentials. */
    public byte[] getBytes(String path) throws IOException {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(httpUrl() + path))
                    .header("Authorization", basicAuth()).timeout(Duration.ofSeconds(60)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new IOException("GET " + path + ": HTTP " + r.statusCode());
            }
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private String basicAuth() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** POST on Orthanc's REST API with the generated credentials. */
    public HttpResponse<String> post(String path, byte[] body) throws IOException {
        return send(HttpRequest.newBuilder(URI.create(httpUrl() + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException {
        try {
            return HttpClient.newHttpClient().send(b.header("Authorization", basicAuth())
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = Files.exists(logFile()) ? Files.readString(logFile()) : "";
                close();
                throw new IOException("Orthanc exited with " + process.exitValue() + ": " + tail(log));
            }
            try {
                if (get("/system").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
        }
        close();
        throw new IOException("Orthanc did not answer /system within 30 s", last);
    }

    private static String tail(String log) {
        return log.length() > 2000 ? log.substring(log.length() - 2000) : log;
    }

    /** Number of instances Orthanc holds (REST /statistics). */
    public int instanceCount() throws IOException {
        HttpResponse<String> r = get("/statistics");
        return new ObjectMapper().readTree(r.body()).path("CountInstances").asInt(-1);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Folders.deleteRecursively(folder);
    }

    /** Orthanc without DICOM peers (DICOMweb only). */
    public static LocalOrthanc start() throws IOException {
        return start(List.of());
    }
}
