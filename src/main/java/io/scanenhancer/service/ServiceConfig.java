package io.scanenhancer.service;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Everything under {@code enhancer.*} in application.properties (see the README's configuration reference). */
@ConfigMapping(prefix = "enhancer")
public interface ServiceConfig {

    Topics topics();

    Consumer consumer();

    Model model();

    /** Root for derived UIDs; absent = 2.25 UUID-derived UIDs. */
    Optional<String> uidRoot();

    /** The PACS requests may name, by name. */
    Map<String, Pacs> pacs();

    interface Topics {
        @WithDefault("imaging.study.requested")
        String requests();

        @WithDefault("imaging.study.enhanced")
        String results();

        @WithDefault("imaging.study.dlq")
        String deadLetters();
    }

    interface Consumer {
        @WithDefault("scan-enhancer")
        String groupId();

        /** Attempts for a request failing for a transient reason before it is dead-lettered. */
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("5s")
        Duration retryBackoff();

        /** Longest one study may take (Kafka max.poll.interval.ms). */
        @WithDefault("30m")
        Duration maxProcessingTime();

        /** Start consuming at startup; false for a service that only answers health checks. */
        @WithDefault("true")
        boolean enabled();

        /**
         * Kafka session timeout: how long the group waits for a consumer that stopped answering (a killed process)
         * before its partitions go to another.
         */
        @WithDefault("45s")
        Duration sessionTimeout();

        /**
         * Static group membership (Kafka group.instance.id), unique per instance, e.g. the pod name: a restarted
         * instance takes its partitions back at once, without a rebalance and without waiting for the session timeout.
         */
        Optional<String> instanceId();

        /**
         * On shutdown (SIGTERM), how long the study in progress may take to finish; after that it is abandoned
         * uncommitted and done again by the next consumer.
         */
        @WithDefault("30s")
        Duration shutdownGrace();
    }

    interface Model {
        /** diffusion or bicubic. */
        @WithDefault("diffusion")
        String kind();

        Optional<Path> dir();

        @WithDefault("true")
        boolean fallBackToBicubic();
    }

    interface Pacs {
        /** dicomweb or dimse. */
        String type();

        /** DICOMweb root, e.g. http://orthanc:8042/dicom-web. */
        Optional<URI> url();

        Optional<String> username();

        Optional<String> password();

        Optional<String> bearerToken();

        /** DIMSE peer. */
        Optional<String> host();

        OptionalInt port();

        Optional<String> calledAeTitle();

        @WithDefault("SCANENHANCER")
        String callingAeTitle();

        /** c-get or c-move. */
        @WithDefault("c-get")
        String retrieve();

        @WithDefault("0")
        int moveListenPort();

        @WithDefault("120s")
        Duration timeout();
    }
}
