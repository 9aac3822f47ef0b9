package io.scanenhancer.pacs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The configured PACS, by the names that requests use. */
public final class PacsRegistry {
    private final Map<String, Pacs> byName;

    public PacsRegistry(Map<String, Pacs> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
    }

    public static PacsRegistry of(Iterable<PacsSettings> settings) {
        Map<String, Pacs> map = new LinkedHashMap<>();
        for (PacsSettings s : settings) {
            map.put(s.name(), s.open());
        }
        return new PacsRegistry(map);
    }

    public Pacs get(String name) throws UnknownPacsException {
        Pacs pacs = name == null ? null : byName.get(name);
        if (pacs == null) {
            throw new UnknownPacsException(name, byName.keySet());
        }
        return pacs;
    }

    public Map<String, Pacs> all() {
        return byName;
    }

    /** The same names, each PACS wrapped (the service adds retries and timeouts this way). */
    public PacsRegistry decorated(UnaryOperator<Pacs> decorator) {
        Map<String, Pacs> map = new LinkedHashMap<>();
        byName.forEach((name, pacs) -> map.put(name, decorator.apply(pacs)));
        return new PacsRegistry(map);
    }
}
