package io.scanenhancer.pacs;

/** A request named a PACS that is not configured. */
public final class UnknownPacsException extends Exception {
    private final String pacsName;

    public UnknownPacsException(String pacsName, java.util.Collection<String> known) {
        super("unknown PACS '" + pacsName + "' (configured: " + String.join(", ", new java.util.TreeSet<>(known)) + ")");
        this.pacsName = pacsName;
    }

    public String pacsName() {
        return pacsName;
    }
}
