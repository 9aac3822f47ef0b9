package io.scanenhancer.config;

import io.scanenhancer.pacs.PacsSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns the {@code enhancer.pacs.<name>.*} configuration into plain PacsSettings values. */
public final class PacsSettingsFactory {
    private PacsSettingsFactory() {
    }

    public static List<PacsSettings> from(Map<String, ServiceConfig.Pacs> config) {
        List<PacsSettings> list = new ArrayList<>();
        config.forEach((name, c) -> list.add(switch (c.type().toLowerCase()) {
            case "dicomweb" -> new PacsSettings.DicomWeb(name, c.url().orElseThrow(() -> missing(name, "url")),
                    c.username().orElse(null), c.password().orElse(null), c.bearerToken().orElse(null), c.timeout(),
                    c.trustStore().orElse(null), c.trustStorePassword().orElse(null));
            case "dimse" -> new PacsSettings.Dimse(name, c.host().orElseThrow(() -> missing(name, "host")),
                    c.port().orElseThrow(() -> missing(name, "port")),
                    c.calledAeTitle().orElseThrow(() -> missing(name, "called-ae-title")), c.callingAeTitle(),
                    switch (c.retrieve().toLowerCase()) {
                        case "c-get" -> PacsSettings.Retrieve.C_GET;
                        case "c-move" -> PacsSettings.Retrieve.C_MOVE;
                        default -> throw new IllegalArgumentException("enhancer.pacs." + name
                                + ".retrieve must be c-get or c-move");
                    }, c.moveListenPort(), c.timeout());
            default -> throw new IllegalArgumentException("enhancer.pacs." + name + ".type must be dicomweb or dimse");
        }));
        return list;
    }

    private static IllegalArgumentException missing(String name, String key) {
        return new IllegalArgumentException("enhancer.pacs." + name + "." + key + " is required");
    }
}
