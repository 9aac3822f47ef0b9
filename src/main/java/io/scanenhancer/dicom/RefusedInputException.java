package io.scanenhancer.dicom;

/**
 * An input that cannot be enhanced, with a specific reason meant for operators and the dead-letter topic.
 * The reason never contains PHI: only attribute names, numbers and UIDs of standard classes and syntaxes.
 */
public final class RefusedInputException extends Exception {
    private final Category category;
    private final String reason;

    /** What kind of problem it is, so that callers (and tests) can act on it without parsing text. */
    public enum Category {
        NOT_DICOM, NOT_AN_IMAGE, NO_PIXEL_DATA, COLOUR, UNSUPPORTED_PIXEL_FORMAT, UNSUPPORTED_TRANSFER_SYNTAX,
        TRUNCATED, INCONSISTENT, ABSURD_DIMENSIONS, TOO_LARGE, ALREADY_ENHANCED
    }

    public RefusedInputException(Category category, String reason) {
        super(reason);
        this.category = category;
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    public Category category() {
        return category;
    }
}
