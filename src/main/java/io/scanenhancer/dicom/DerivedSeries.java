package io.scanenhancer.dicom;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Series Number and Series Description of a derived series, so that a radiologist can tell apart the series that
 * different derivations made from one source, and a redelivery of the same derivation reuses its number.
 *
 * <p>Number: source + offset (1000; 2000 for the uncertainty series) + a slot in 0..999, the derivation's hash (model
 * id, version, scale and parameters, through the Derivation's accessors) modulo {@link #SLOTS}. The enhanced series and
 * its uncertainty series share the slot, so they read as a pair (1437 and 2437). Two derivations of one source share a
 * number with probability 1/1000; their UIDs differ all the same.
 *
 * <p>Description: the source's description, cut at a word boundary, then "AI 2x", the key settings in short form
 * ("bicubic", "ddim1 seed0", "mean4 ddim1 seed0"; "SD4 ddim1 seed0" for the uncertainty series: the per-pixel
 * standard deviation of 4 samples) and "NOT FOR DIAGNOSTIC USE", in at most 64 characters (LO), plain ASCII so that
 * the source's Specific Character Set needs no change.
 *
 * @param offset  added to the source's number with the slot
 * @param slot    0..SLOTS-1
 * @param label   what follows the source's description
 */
public record DerivedSeries(int offset, int slot, String label) {
    public static final int SLOTS = 1000;
    /** The uncertainty series' range starts this far above the enhanced series' range. */
    public static final int UNCERTAINTY_OFFSET = 1000;
    static final String MARKER = "NOT FOR DIAGNOSTIC USE";
    private static final int LO = 64;

    /**
     * The enhanced series.
     *
     * @param settings the key settings in short form (e.g. "ddim1 seed0"), or null when unknown
     * @param samples  posterior samples averaged into it; 1 for a single draw
     */
    public static DerivedSeries enhanced(Derivation base, int offset, String settings, int samples) {
        return new DerivedSeries(offset, slot(base), label(base.scale(), samples > 1 ? "mean" + samples : null, settings));
    }

    /** The uncertainty series that accompanies the enhanced series of {@code base}. */
    public static DerivedSeries uncertainty(Derivation base, int offset, String settings, int samples) {
        return new DerivedSeries(offset + UNCERTAINTY_OFFSET, slot(base), label(base.scale(), "SD" + samples, settings));
    }

    /** The source's number plus offset and slot; offset and slot alone when the source has none usable. */
    public String number(String sourceNumber) {
        long base = 0;
        String s = sourceNumber == null ? "" : sourceNumber.strip().replace("+", "");
        if (s.matches("-?[0-9]{1,9}")) {
            base = Long.parseLong(s);
        }
        long n = base + offset + slot;
        return Long.toString(n > Integer.MAX_VALUE || n < Integer.MIN_VALUE ? (long) offset + slot : n);
    }

    /** "&lt;source description cut at a word&gt; &lt;label&gt;", at most 64 characters. */
    public String description(String sourceDescription) {
        int room = LO - label.length() - 1;
        String head = wordsThatFit(sourceDescription == null ? "" : sourceDescription, room);
        return head.isEmpty() ? label : head + " " + label;
    }

    /** The derivation's slot: stable for the same model, version, scale and parameters. */
    static int slot(Derivation d) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {d.modelId(), d.modelVersion(), Integer.toString(d.scale()), d.parameters()}) {
                byte[] b = part.getBytes(StandardCharsets.UTF_8);
                md.update(Integer.toString(b.length).getBytes(StandardCharsets.US_ASCII));
                md.update((byte) ':');
                md.update(b);
            }
            byte[] h = md.digest();
            long v = ((h[0] & 0xFFL) << 24) | ((h[1] & 0xFFL) << 16) | ((h[2] & 0xFFL) << 8) | (h[3] & 0xFFL);
            return (int) (v % SLOTS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "AI 2x [mean4|SD4] [settings] NOT FOR DIAGNOSTIC USE", settings dropped word by word from the end if too long. */
    static String label(int scale, String samplesPart, String settings) {
        List<String> words = new ArrayList<>();
        if (samplesPart != null) {
            words.add(samplesPart);
        }
        if (settings != null && !settings.isBlank()) {
            words.addAll(Arrays.asList(ascii(settings).strip().split("\\s+")));
        }
        String head = "AI " + scale + "x";
        while (true) {
            String text = head + (words.isEmpty() ? "" : " " + String.join(" ", words)) + " " + MARKER;
            if (text.length() <= LO || words.isEmpty()) {
                return text;
            }
            words.remove(words.size() - 1);
        }
    }

    /** The longest run of whole words of {@code text} within {@code room} characters, trailing punctuation dropped. */
    static String wordsThatFit(String text, int room) {
        String t = text.strip().replaceAll("\\s+", " ");
        if (t.length() > room) {
            int cut = t.lastIndexOf(' ', room);
            t = cut <= 0 ? "" : t.substring(0, cut);
        }
        return t.replaceAll("[\\s,;:.\\-/(]+$", "");
    }

    private static String ascii(String s) {
        return s.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
