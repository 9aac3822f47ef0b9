package io.scanenhancer.pacs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.tracing.Tracing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** DICOMweb: QIDO-RS to find, WADO-RS to retrieve (explicit VR little endian), STOW-RS to store. */
public final class DicomWebPacs implements Pacs {
    static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    static final String ACCEPT_DICOM = "multipart/related; type=\"application/dicom\"; transfer-syntax=" + EXPLICIT_VR_LITTLE_ENDIAN;
    private static final String SERIES_UID = "0020000E";
    private static final String MODALITY = "00080060";
    private static final String SERIES_INSTANCES = "00201209";
    private static final String SOP_INSTANCE_UID = "00080018";
    private static final String SOP_CLASS_UID = "00080016";
    private static final String FAILED_SOP_SEQUENCE = "00081198";

    private final PacsSettings.DicomWeb settings;
    private final String base;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public DicomWebPacs(PacsSettings.DicomWeb settings) {
        this.settings = settings;
        String url = settings.baseUrl().toString();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (settings.trustStore() != null) {
            http.sslContext(TrustStores.sslContext(settings.trustStore(), settings.trustStorePassword()));
        }
        this.http = http.build();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public List<SeriesRef> findSeries(String studyInstanceUid) throws PacsException {
        JsonNode array = qido("/studies/" + uid(studyInstanceUid) + "/series?includefield=" + SERIES_INSTANCES);
        List<SeriesRef> series = new ArrayList<>();
        for (JsonNode item : array) {
            String count = firstValue(item, SERIES_INSTANCES);
            series.add(new SeriesRef(firstValue(item, SERIES_UID), firstValue(item, MODALITY),
                    count == null ? -1 : Integer.parseInt(count)));
        }
        return series;
    }

    @Override
    public List<InstanceRef> findInstances(String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        JsonNode array = qido("/studies/" + uid(studyInstanceUid) + "/series/" + uid(seriesInstanceUid) + "/instances");
        List<InstanceRef> instances = new ArrayList<>();
        for (JsonNode item : array) {
            instances.add(new InstanceRef(firstValue(item, SOP_INSTANCE_UID), firstValue(item, SOP_CLASS_UID)));
        }
        return instances;
    }

    @Override
    public Set<String> storedInstanceUids(String studyInstanceUid, String seriesInstanceUid) throws PacsException {
        // only the UID is asked for: the answer stays small for a series of hundreds of instances
        JsonNode array = qido("/studies/" + uid(studyInstanceUid) + "/series/" + uid(seriesInstanceUid)
                + "/instances?includefield=" + SOP_INSTANCE_UID);
        Set<String> uids = new LinkedHashSet<>();
        for (JsonNode item : array) {
            String sop = firstValue(item, SOP_INSTANCE_UID);
            if (sop != null) {
                uids.add(sop);
            }
        }
        return uids;
    }

    @Override
    public List<Path> retrieveTo(String studyInstanceUid, String seriesInstanceUid, Path folder) throws PacsException {
        HttpRequest request = request("/studies/" + uid(studyInstanceUid) + "/series/" + uid(seriesInstanceUid))
                .header("Accept", ACCEPT_DICOM).GET().build();
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream(), "WADO-RS");
        List<Path> files = new ArrayList<>();
        try (InputStream body = response.body()) {
            if (response.statusCode() == 404) {
                return List.of();
            }
            expectSuccess(response.statusCode(), "WADO-RS");
            String contentType = response.headers().firstValue("Content-Type")
                    .orElseThrow(() -> new PacsException(name() + ": WADO-RS response without Content-Type", false));
            // each part goes to its own file as soon as it is complete: the series never sits in memory
            boolean whole = MultipartRelated.parse(body, MultipartRelated.boundaryOf(contentType), (bytes, length) -> {
                Path f = folder.resolve(String.format("wado-%06d.dcm", files.size()));
                try (OutputStream out = Files.newOutputStream(f)) {
                    out.write(bytes, 0, length);
                }
                files.add(f);
            });
            if (!whole) {
                // enhancing the parts that came would make a derived series with slices missing
                throw new PacsException(name() + ": WADO-RS response ended after " + files.size()
                        + " objects, before its closing delimiter", true);
            }
            return files;
        } catch (IOException e) {
            files.forEach(f -> f.toFile().delete());
            throw new PacsException(name() + ": WADO-RS failed while reading: " + e.getMessage(), true, e);
        } catch (PacsException | RuntimeException e) {
            files.forEach(f -> f.toFile().delete());
            throw e;
        }
    }

    @Override
    public void store(List<byte[]> part10Objects) throws PacsException {
        if (part10Objects.isEmpty()) {
            return;
        }
        String boundary = MultipartRelated.newBoundary();
        byte[] body = MultipartRelated.write(part10Objects, boundary, "application/dicom");
        HttpRequest request = request("/studies")
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        HttpResponse<byte[]> response = send(request, "STOW-RS");
        expectSuccess(response, "STOW-RS");
        try {
            JsonNode answer = response.body().length == 0 ? null : json.readTree(response.body());
            JsonNode failed = answer == null ? null : answer.path(FAILED_SOP_SEQUENCE).path("Value");
            if (failed != null && failed.isArray() && failed.size() > 0) {
                throw new PacsException(name() + ": STOW-RS refused " + failed.size() + " of " + part10Objects.size()
                        + " objects", false);
            }
        } catch (IOException e) {
            throw new PacsException(name() + ": unreadable STOW-RS response", false, e);
        }
    }

    @Override
    public void ping() throws PacsException {
        qido("/studies?limit=1");
    }

    private JsonNode qido(String path) throws PacsException {
        HttpRequest request = request(path).header("Accept", "application/dicom+json").GET().build();
        HttpResponse<byte[]> response = send(request, "QIDO-RS");
        if (response.statusCode() == 404 || response.statusCode() == 204) {
            return json.createArrayNode();
        }
        // before the empty-body check: a 401 without a body must not read as "no matches"
        expectSuccess(response, "QIDO-RS");
        if (response.body().length == 0) {
            return json.createArrayNode();
        }
        try {
            JsonNode node = json.readTree(response.body());
            if (!node.isArray()) {
                throw new PacsException(name() + ": QIDO-RS answer is not a JSON array", false);
            }
            return node;
        } catch (IOException e) {
            throw new PacsException(name() + ": unreadable QIDO-RS answer", false, e);
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(settings.timeout());
        if (settings.bearerToken() != null && !settings.bearerToken().isBlank()) {
            b.header("Authorization", "Bearer " + settings.bearerToken());
        } else if (settings.username() != null && !settings.username().isBlank()) {
            String pair = settings.username() + ":" + (settings.password() == null ? "" : settings.password());
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }
        Tracing.injectCurrent(b, HttpRequest.Builder::setHeader); // traceparent: the PACS call as part of the job's trace
        return b;
    }

    private HttpResponse<byte[]> send(HttpRequest request, String what) throws PacsException {
        return send(request, HttpResponse.BodyHandlers.ofByteArray(), what);
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, String what) throws PacsException {
        // one request per call: tries again are RetryingPacs's decision (PacsRetryPolicy), not this client's
        try {
            return http.send(request, handler);
        } catch (HttpTimeoutException e) {
            throw new PacsException(name() + ": " + what + " timed out", true, e);
        } catch (ConnectException e) {
            throw new PacsException(name() + ": " + what + " could not connect", true, e);
        } catch (javax.net.ssl.SSLException e) {
            // mostly an untrusted or wrong-host certificate: a configuration error that a retry after a fix cures
            throw new PacsException(name() + ": " + what + " TLS handshake failed (is the CA of the PACS certificate in "
                    + "enhancer.pacs." + name() + ".trust-store?): " + e.getMessage(), true, e);
        } catch (IOException e) {
            throw new PacsException(name() + ": " + what + " failed: " + e.getMessage(), true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PacsException(name() + ": " + what + " interrupted", true, e);
        }
    }

    private void expectSuccess(HttpResponse<byte[]> response, String what) throws PacsException {
        expectSuccess(response.statusCode(), what);
    }

    private void expectSuccess(int status, String what) throws PacsException {
        if (status / 100 != 2) {
            // 401/403 are configuration errors, not the request's fault; a retry later (after a fix) may succeed
            boolean retryLater = status >= 500 || status == 401 || status == 403 || status == 429;
            if (status == 401 || status == 403) {
                throw new PacsException(name() + ": " + what + " refused the credentials (HTTP " + status
                        + "): check enhancer.pacs." + name() + ".username/password or bearer-token", true);
            }
            throw new PacsException(name() + ": " + what + " answered HTTP " + status, retryLater);
        }
    }

    private static String firstValue(JsonNode item, String tag) {
        JsonNode value = item.path(tag).path("Value");
        return value.isArray() && value.size() > 0 ? value.get(0).asText() : null;
    }

    private static String uid(String uid) {
        if (uid == null || !uid.matches("[0-9.]{1,64}")) {
            throw new IllegalArgumentException("not a UID: " + uid);
        }
        return uid;
    }
}
