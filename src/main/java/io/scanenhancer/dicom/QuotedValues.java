package io.scanenhancer.dicom;

import java.util.Set;

/**
 * What a refusal reason may quote from a DICOM object. Reasons reach logs, dead-letter headers and result events; a
 * hostile or broken file can hold a patient's name in any attribute, so only values that cannot carry free text are
 * quoted: a defined term from a closed list, or a well-formed UID.
 */
final class QuotedValues {
    private QuotedValues() {
    }

    static String definedTerm(String value, Set<String> definedTerms) {
        return definedTerms.contains(value) ? value : "an undefined value (" + value.length() + " characters)";
    }

    static String uid(String value) {
        return value.matches("[0-9]+(\\.[0-9]+)*") && value.length() <= 64 ? value
                : "a malformed UID (" + value.length() + " characters)";
    }
}
