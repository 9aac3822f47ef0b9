package io.scanenhancer.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one command-line parser: each command declares its options (kind, default, help) and positional arguments
 * in a {@link Spec}; "--name value", "--name=value" and bare flags are accepted. An undeclared option, a missing
 * or malformed value, or a wrong number of positional arguments is a {@link UsageException} naming what is wrong,
 * raised before the command does any work; {@code --help} prints the declarations.
 */
public final class Args {

    /** What a value must look like; checked when the command line is parsed. */
    public enum Kind {
        TEXT("VALUE"), INT("N"), LONG("N"), NUMBER("X"), INT_LIST("N,N,..."), FLAG("");

        private final String placeholder;

        Kind(String placeholder) {
            this.placeholder = placeholder;
        }
    }

    /** @param choices the values a TEXT option may take, or null for any */
    private record Option(String name, Kind kind, String defaultValue, String help, List<String> choices) {
        String placeholder() {
            return choices == null ? kind.placeholder : String.join("|", choices);
        }
    }

    /** A wrong command line; the message names the option or argument. */
    public static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    /** A command's body, run once its arguments parsed. */
    public interface Body {
        int run(Args args) throws Exception;
    }

    /** The declarations of one command. */
    public static final class Spec {
        private final String command;
        private final String summary;
        private final Map<String, Option> options = new LinkedHashMap<>();
        private final List<String[]> positionals = new ArrayList<>();

        private Spec(String command, String summary) {
            this.command = command;
            this.summary = summary;
        }

        /** @param defaultValue the value when the option is absent; null: absent means "not given" */
        public Spec option(String name, Kind kind, String defaultValue, String help) {
            return declare(new Option(name, kind, defaultValue, help, null));
        }

        /** A TEXT option that must be one of {@code choices}. */
        public Spec choice(String name, String defaultValue, String help, String... choices) {
            return declare(new Option(name, Kind.TEXT, defaultValue, help, List.of(choices)));
        }

        private Spec declare(Option option) {
            String name = option.name();
            Kind kind = option.kind();
            String defaultValue = option.defaultValue();
            if (options.put(name, option) != null) {
                throw new IllegalStateException("--" + name + " declared twice");
            }
            if (defaultValue != null && kind != Kind.FLAG) {
                check(options.get(name), defaultValue);
            }
            return this;
        }

        public Spec text(String name, String defaultValue, String help) {
            return option(name, Kind.TEXT, defaultValue, help);
        }

        public Spec integer(String name, Integer defaultValue, String help) {
            return option(name, Kind.INT, defaultValue == null ? null : defaultValue.toString(), help);
        }

        public Spec number(String name, Double defaultValue, String help) {
            return option(name, Kind.NUMBER, defaultValue == null ? null : defaultValue.toString(), help);
        }

        public Spec flag(String name, String help) {
            return option(name, Kind.FLAG, "false", help);
        }

        /** A required positional argument, in declaration order. */
        public Spec positional(String name, String help) {
            positionals.add(new String[] {name, help});
            return this;
        }

        public Args parse(String... argv) {
            Map<String, String> given = new HashMap<>();
            List<String> positional = new ArrayList<>();
            for (int i = 0; i < argv.length; i++) {
                String a = argv[i];
                if (a.equals("--help") || a.equals("-h")) {
                    return new Args(this, Map.of(), List.of(), true);
                }
                if (!a.startsWith("--")) {
                    positional.add(a);
                    continue;
                }
                String name = a.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Option o = options.get(name);
                if (o == null) {
                    throw new UsageException("unknown option --" + name + " (" + command + " --help lists the options)");
                }
                if (value == null && o.kind() == Kind.FLAG) {
                    value = "true";
                } else if (value == null) {
                    if (i + 1 >= argv.length || argv[i + 1].startsWith("--")) {
                        throw new UsageException("--" + name + " needs a value (" + o.placeholder() + ")");
                    }
                    value = argv[++i];
                }
                check(o, value);
                given.put(name, value);
            }
            if (positional.size() != positionals.size()) {
                throw new UsageException(positionals.isEmpty()
                        ? "unexpected argument '" + positional.get(0) + "'"
                        : "expected " + String.join(" and ", positionals.stream().map(p -> p[0]).toList()) + ", got "
                        + positional.size() + " argument" + (positional.size() == 1 ? "" : "s"));
            }
            return new Args(this, given, positional, false);
        }

        private static void check(Option o, String value) {
            try {
                switch (o.kind()) {
                    case INT -> Integer.parseInt(value);
                    case LONG -> Long.parseLong(value);
                    case NUMBER -> {
                        if (!Double.isFinite(Double.parseDouble(value))) {
                            throw new NumberFormatException();
                        }
                    }
                    case INT_LIST -> parseInts(value);
                    case FLAG -> {
                        if (!value.equals("true") && !value.equals("false")) {
                            throw new NumberFormatException();
                        }
                    }
                    case TEXT -> {
                        if (o.choices() != null && !o.choices().contains(value)) {
                            throw new UsageException("--" + o.name() + " must be one of " + String.join(", ", o.choices())
                                    + ", got '" + value + "'");
                        }
                    }
                }
            } catch (NumberFormatException e) {
                String expected = switch (o.kind()) {
                    case INT, LONG -> "a whole number";
                    case NUMBER -> "a number";
                    case INT_LIST -> "whole numbers separated by commas";
                    default -> "true or false";
                };
                throw new UsageException("--" + o.name() + " expects " + expected + ", got '" + value + "'");
            }
        }

        public String help() {
            StringBuilder s = new StringBuilder("usage: enhancer ").append(command);
            positionals.forEach(p -> s.append(' ').append(p[0]));
            s.append(options.isEmpty() ? "" : " [options]").append('\n').append("  ").append(summary).append('\n');
            for (String[] p : positionals) {
                s.append(String.format(Locale.ROOT, "  %-28s %s%n", p[0], p[1]));
            }
            for (Option o : options.values()) {
                String left = "--" + o.name() + (o.kind() == Kind.FLAG ? "" : " " + o.placeholder());
                String dflt = o.kind() == Kind.FLAG || o.defaultValue() == null ? "" : " (default " + o.defaultValue() + ")";
                s.append(String.format(Locale.ROOT, "  %-28s %s%s%n", left, o.help(), dflt));
            }
            return s.toString();
        }

        /**
         * Parses and runs: --help prints the declarations (exit 0), a usage error prints itself and the help (2),
         * an IllegalArgumentException from the body is the user's input refused (2), anything else a failure (1).
         */
        public int run(String[] argv, PrintStream out, PrintStream err, Body body) {
            Args args;
            try {
                args = parse(argv);
            } catch (UsageException e) {
                err.println(command + ": " + e.getMessage());
                err.print(help());
                return 2;
            }
            if (args.helpRequested()) {
                out.print(help());
                return 0;
            }
            try {
                return body.run(args);
            } catch (IllegalArgumentException e) {
                err.println(command + ": " + e.getMessage());
                return 2;
            } catch (Exception e) {
                err.println(command + " failed: " + e);
                e.printStackTrace(err);
                return 1;
            }
        }

        public int run(String[] argv, Body body) {
            return run(argv, System.out, System.err, body);
        }
    }

    private final Spec spec;
    private final Map<String, String> given;
    private final List<String> positional;
    private final boolean help;
    private final Map<String, String> fallbacks;

    private Args(Spec spec, Map<String, String> given, List<String> positional, boolean help) {
        this(spec, given, positional, help, Map.of());
    }

    private Args(Spec spec, Map<String, String> given, List<String> positional, boolean help, Map<String, String> fallbacks) {
        this.spec = spec;
        this.given = given;
        this.positional = List.copyOf(positional);
        this.help = help;
        this.fallbacks = Map.copyOf(fallbacks);
    }

    /**
     * These arguments with other values for the options not on the command line (a resume's recorded values in place
     * of the declared defaults); {@link #given} is unchanged. Each value is checked as a command-line value would be.
     */
    public Args withFallbacks(Map<String, String> values) {
        values.forEach((name, value) -> {
            Option o = spec.options.get(name);
            if (o == null) {
                throw new IllegalStateException("--" + name + " is not declared by " + spec.command);
            }
            Spec.check(o, value);
        });
        return new Args(spec, given, positional, help, values);
    }

    public static Spec spec(String command, String summary) {
        return new Spec(command, summary);
    }

    public boolean helpRequested() {
        return help;
    }

    /** The value given, else the fallback (see {@link #withFallbacks}), else the declared default (null for an option without one). */
    public String get(String name) {
        Option o = spec.options.get(name);
        if (o == null) {
            throw new IllegalStateException("--" + name + " is not declared by " + spec.command);
        }
        return given.getOrDefault(name, fallbacks.getOrDefault(name, o.defaultValue()));
    }

    /** For an option declared without a default whose fallback depends on the mode (bench): the value, else {@code whenAbsent}. */
    public String get(String name, String whenAbsent) {
        String v = get(name);
        return v == null ? whenAbsent : v;
    }

    public int getInt(String name, int whenAbsent) {
        return Integer.parseInt(get(name, Integer.toString(whenAbsent)));
    }

    /** Whether the option was on the command line. */
    public boolean given(String name) {
        get(name);
        return given.containsKey(name);
    }

    public int getInt(String name) {
        return Integer.parseInt(required(name));
    }

    public long getLong(String name) {
        return Long.parseLong(required(name));
    }

    public double getDouble(String name) {
        return Double.parseDouble(required(name));
    }

    public boolean flag(String name) {
        return Boolean.parseBoolean(get(name));
    }

    public int[] getInts(String name) {
        return parseInts(required(name));
    }

    /** The value as a path, or null where the option has no default and was not given. */
    public java.nio.file.Path path(String name) {
        String v = get(name);
        return v == null ? null : java.nio.file.Path.of(v);
    }

    public List<String> positional() {
        return positional;
    }

    private String required(String name) {
        String v = get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required");
        }
        return v;
    }

    private static int[] parseInts(String s) {
        String[] p = s.split(",");
        int[] out = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = Integer.parseInt(p[i].trim());
        }
        return out;
    }
}
