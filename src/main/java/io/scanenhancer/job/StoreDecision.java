package io.scanenhancer.job;

import io.scanenhancer.dicom.DerivedObject;

import java.util.List;
import java.util.Set;

/**
 * Which derived objects of one series still have to be sent. Derived SOP Instance UIDs are deterministic, so an
 * instance the target already holds under that UID is this very object from an earlier attempt: sending it again
 * would only repeat work (and some PACS answer a duplicate with a warning or a refusal).
 *
 * @param missing        objects to send, in their original order
 * @param alreadyPresent how many of the derived objects the target already held
 */
public record StoreDecision(List<DerivedObject> missing, int alreadyPresent) {

    public static StoreDecision of(List<DerivedObject> derived, Set<String> presentSopInstanceUids) {
        List<DerivedObject> missing = derived.stream()
                .filter(o -> !presentSopInstanceUids.contains(o.sopInstanceUid())).toList();
        return new StoreDecision(missing, derived.size() - missing.size());
    }

    public List<byte[]> missingPart10() {
        return missing.stream().map(DerivedObject::part10).toList();
    }
}
