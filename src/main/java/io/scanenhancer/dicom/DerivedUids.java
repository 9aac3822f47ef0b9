package io.scanenhancer.dicom;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Derived UIDs as pure functions of what determines the derived object, so that reprocessing the same source with
 * the same model and parameters yields the same identities (and the PACS sees a replacement, not a duplicate).
 * Default form is 2.25.&lt;decimal of 128 bits&gt; (PS3.5 B.2); under a root it is root.&lt;decimal digits&gt; cut to 64 chars.
 */
public final class DerivedUids {
    private static final int MAX_UID = 64;

    private DerivedUids() {
    }

    public static String seriesUid(String sourceSeriesUid, Derivation d) {
        return uid(d.uidRoot(), "series", sourceSeriesUid, d.modelId(), d.modelVersion(), Integer.toString(d.scale()), d.parameters());
    }

    public static String instanceUid(String sourceSopInstanceUid, Derivation d) {
        return uid(d.uidRoot(), "instance", sourceSopInstanceUid, d.modelId(), d.modelVersion(), Integer.toString(d.scale()), d.parameters());
    }

    /** Device UID of the algorithm as contributing equipment: changes exactly when the model id or version does. */
    public static String deviceUid(Derivation d) {
        return uid(d.uidRoot(), "device", d.modelId(), d.modelVersion());
    }

    /** Consistent replacement for a UID during de-identification, keyed by a secret-free salt chosen by the caller. */
    public static String remappedUid(String uidRoot, String salt, String originalUid) {
        return uid(uidRoot, "deid", salt, originalUid);
    }

    public static String uid(String root, String... parts) {
        byte[] hash = sha256(parts);
        byte[] first16 = new byte[16];
        System.arraycopy(hash, 0, first16, 0, 16);
        // UUIDv8-like marking is not needed: 2.25 admits any 128-bit integer; no leading zero component either way.
        String digits = new BigInteger(1, first16).toString();
        if (root == null || root.isBlank()) {
            return "2.25." + digits;
        }
        String r = root.strip();
        if (!r.matches("[0-9]+(\\.[0-9]+)*") || r.matches(".*\\.0[0-9].*|^0[0-9].*")) {
            throw new IllegalArgumentException("UID root must be dotted decimal without leading zeros: " + r);
        }
        int room = MAX_UID - r.length() - 1;
        if (room < 12) {
            throw new IllegalArgumentException("UID root too long (" + r.length() + " chars): leaves fewer than 12 digits");
        }
        String tail = digits.length() > room ? digits.substring(0, room) : digits;
        tail = tail.replaceFirst("^0+(?=.)", "");
        return r + "." + tail;
    }

    private static byte[] sha256(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                byte[] b = (p == null ? "" : p).getBytes(StandardCharsets.UTF_8);
                md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
                md.update((byte) ':');
                md.update(b);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
