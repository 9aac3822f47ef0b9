package io.scanenhancer.derivation;

import io.scanenhancer.dicom.Derivation;
import io.scanenhancer.dicom.DerivedObject;

import java.util.List;

/**
 * What one source instance became.
 *
 * @param derivation  how its frames were made (method, out-of-distribution flag and note)
 * @param derived     the enhanced object
 * @param uncertainty the per-pixel spread (uncertainty) object, or null when none was asked for
 */
public record DerivedInstance(Derivation derivation, DerivedObject derived, DerivedObject uncertainty) {

    /** The derived object, then the uncertainty object when there is one. */
    public List<DerivedObject> objects() {
        return uncertainty == null ? List.of(derived) : List.of(derived, uncertainty);
    }
}
