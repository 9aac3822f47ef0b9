package io.scanenhancer.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free TCP ports on loopback for the local services, taken below the kernel's ephemeral range. A port the OS hands out
 * for "port 0" is an ephemeral one, and the kernel gives the same range to outgoing connections: a port picked that way
 * and bound later (the C-MOVE receiver binds only while a C-MOVE runs) was once found taken by some client socket's
 * local end ("Address already in use"). Below the range only listeners compete, and each port is handed out once per
 * JVM. A small race with other processes remains until the service binds the port.
 */
public final class FreePorts {
    private static final int LOWEST = 20000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    public static int next() {
        int below = Math.max(LOWEST + 1000, ephemeralRangeStart());
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(LOWEST, below);
            if (HANDED_OUT.contains(port) || !bindable(port)) {
                continue;
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port between " + LOWEST + " and " + below + " on loopback");
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The first port of net.ipv4.ip_local_port_range (32768 by default on Linux). */
    private static int ephemeralRangeStart() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32768;
        }
    }
}
