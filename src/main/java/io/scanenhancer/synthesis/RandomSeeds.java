package io.scanenhancer.synthesis;

import java.nio.charset.StandardCharsets;

/**
 * Independent seeds for the parts of one request (noise of slice i at attempt a, the redraw of slice i, ...),
 * derived from the request's seed by SplitMix64 so that neighbouring inputs give unrelated streams.
 */
final class RandomSeeds {
    private RandomSeeds() {
    }

    static long of(long seed, String purpose, int... parts) {
        long h = mix(seed);
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ b);
        }
        for (int p : parts) {
            h = mix(h ^ p);
        }
        return h;
    }

    static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
