package io.scanenhancer.cli;

/** A renderer's noise turn distance on the command line: a positive distance in mm, or "none" for one noise field. */
final class NoiseTurnArgument {
    private NoiseTurnArgument() {
    }

    /** @return the distance in mm, or null for "none" */
    static Double parse(String option, String value) {
        String v = value.trim();
        if (v.equals("none")) {
            return null;
        }
        try {
            double mm = Double.parseDouble(v);
            if (mm > 0) {
                return mm;
            }
        } catch (NumberFormatException e) {
            // refused below, with the option's name
        }
        throw new Args.UsageException(option + " takes a positive distance in mm or 'none', got '" + v + "'");
    }
}
