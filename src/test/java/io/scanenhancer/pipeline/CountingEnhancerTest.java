package io.scanenhancer.pipeline;

import io.scanenhancer.enhance.Enhancer;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The decorator answers every question of the Enhancer interface as its delegate does: a default method it did not
 * override would answer for the interface instead (it once left the uncertainty series uncalibrated and refused
 * kspace uncertainty on a model trained for it).
 */
class CountingEnhancerTest {
    @Test
    void overridesEveryMethodOfTheInterface() {
        List<String> missing = new ArrayList<>();
        for (Method m : Enhancer.class.getMethods()) {
            try {
                Method own = CountingEnhancer.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
                if (own.getDeclaringClass() != CountingEnhancer.class) {
                    missing.add(m.getName());
                }
            } catch (NoSuchMethodException e) {
                missing.add(m.getName());
            }
        }
        assertEquals(List.of(), missing, "Enhancer methods CountingEnhancer does not delegate");
    }
}
