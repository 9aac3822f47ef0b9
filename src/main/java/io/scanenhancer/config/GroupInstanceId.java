package io.scanenhancer.config;

import org.eclipse.microprofile.config.Config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The request consumer's Kafka group.instance.id (static membership). Two live members with one id fence each other,
 * so the default must differ between processes that run at the same time, yet stay the same when one is restarted:
 * the host name (in Kubernetes the pod name, which a container restarted in its pod keeps) plus the HTTP port, which
 * no two live processes on one host can share. Unique per process alone (a PID) would not do: a crashed member keeps
 * its partitions until its session times out unless the same id comes back.
 */
public final class GroupInstanceId {
    /** Kafka accepts these characters in a group.instance.id, at most 249 of them. */
    private static final int MAX_LENGTH = 249;

    private GroupInstanceId() {
    }

    /** Null (dynamic membership) when static membership is off, or when the HTTP port is random (0): no stable id. */
    public static String of(ServiceConfig.Consumer consumer, Config config) {
        int httpPort = config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        return resolve(consumer.staticMembership(), consumer.instanceId(), hostName(), httpPort);
    }

    static String resolve(boolean staticMembership, Optional<String> configured, String hostName, int httpPort) {
        if (!staticMembership) {
            return null;
        }
        if (configured.isPresent() && !configured.get().isBlank()) {
            return configured.get().trim();
        }
        if (httpPort == 0) {
            return null;
        }
        String id = (hostName + "-" + httpPort).replaceAll("[^a-zA-Z0-9._-]", "-");
        return id.length() <= MAX_LENGTH ? id : id.substring(id.length() - MAX_LENGTH);
    }

    /** HOSTNAME as Kubernetes and Docker set it (the pod / container name); a login shell does not export it. */
    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
