package io.scanenhancer.pacs;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How to reach one named PACS. A plain value (no CDI), in the spirit of dcm4che's Device / ApplicationEntity /
 * Connection model: {@link DicomWeb} carries an HTTP endpoint, {@link Dimse} a remote AE (title, host, port) and the
 * title this service calls from.
 */
public sealed interface PacsSettings permits PacsSettings.DicomWeb, PacsSettings.Dimse {

    String name();

    Pacs open();

    /**
     * @param baseUrl     DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web
     * @param username    basic auth user, or null
     * @param password    basic auth password, or null
     * @param bearerToken bearer token, or null (wins over basic when both are set)
     * @param trustStore  CAs to trust for https (PKCS12/JKS key store, or PEM certificates), or null for the JDK's
     * @param trustStorePassword password of a PKCS12/JKS trust store, or null
     */
    record DicomWeb(String name, URI baseUrl, String username, String password, String bearerToken,
                    Duration timeout, Path trustStore, String trustStorePassword) implements PacsSettings {
        public DicomWeb(String name, URI baseUrl, String username, String password, String bearerToken, Duration timeout) {
            this(name, baseUrl, username, password, bearerToken, timeout, null, null);
        }

        @Override
        public Pacs open() {
            return new DicomWebPacs(this);
        }
    }

    /**
     * @param calledAeTitle  the PACS's AE title
     * @param callingAeTitle this service's AE title (the PACS must know it for C-FIND/C-GET/C-MOVE)
     * @param retrieve       how to retrieve: C-GET (one association) or C-MOVE (the PACS connects back)
     * @param moveListenPort port of this service's storage SCP for C-MOVE (0 = not used)
     */
    record Dimse(String name, String host, int port, String calledAeTitle, String callingAeTitle,
                 Retrieve retrieve, int moveListenPort, Duration timeout) implements PacsSettings {
        @Override
        public Pacs open() {
            return new DimsePacs(this);
        }
    }

    enum Retrieve { C_GET, C_MOVE }
}
