package io.scanenhancer.config;

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

    Synthesis synthesis();

    Batch batch();

    Memory memory();

    /** The REST API (io.scanenhancer.api). */
    Api api();

    /** Root for derived UIDs; absent = 2.25 UUID-derived UIDs. */
    Optional<String> uidRoot();

    /**
     * The one local folder where patient data waits while a study is processed (retrieved and derived objects);
     * absent = {@code java.io.tmpdir}/scan-enhancer-spool. It holds patient data: put it on a volume that is not
     * backed up and is encrypted at rest. Folders of processes that died are removed at start-up.
     */
    Optional<java.nio.file.Path> spoolDir();

    /** The PACS requests may name, by name. */
    Map<String, Pacs> pacs();

    /** How each kind of PACS call is tried within one attempt (README "Retries and their worst cases"). */
    PacsCalls pacsCalls();

    /** The DICOM receiver (C-STORE SCP and STOW-RS) that turns pushed studies into requests; off by default. */
    Receiver receiver();

    /** The audit trail (DICOM audit messages, IHE ATNA) to a syslog collector and/or a local file; both off by default. */
    AuditConfig audit();

    /** README "Integrate with your PACS". */
    interface Receiver {
        @WithDefault("false")
        boolean enabled();

        /** The Storage SCP's own AE title (the one senders call). */
        @WithDefault("SCANENHANCER-RX")
        String aeTitle();

        /** The Storage SCP's port; 0 = no Storage SCP (STOW-RS only). */
        @WithDefault("11112")
        int port();

        /** Interface the Storage SCP listens on: 0.0.0.0 to accept senders on the network. */
        @WithDefault("127.0.0.1")
        String bindHost();

        /** Accepted calling AE titles, each mapped to the configured PACS it stands for; any other is rejected. */
        Map<String, String> callingAe();

        /** The PACS that STOW-RS senders stand for; absent = POST /dicom-web/studies answers 404. */
        Optional<String> stowSourcePacs();

        /** Where derived series go; absent = back into the study's source PACS. */
        Optional<String> targetPacs();

        /** Store every received object into this PACS before acknowledging it; requests then name it as source. */
        Optional<String> forwardTo();

        /** A study is requested once no instance of it arrived for this long (Orthanc's StableAge). */
        @WithDefault("60s")
        Duration stableAge();

        /** How often pending studies are checked for stability. */
        @WithDefault("1s")
        Duration checkInterval();

        /** The pending-study state (UIDs only, no pixel data); absent = java.io.tmpdir/scan-enhancer-receiver. */
        Optional<Path> stateDir();

        /** How long a requested study is remembered, so that re-sent instances do not trigger it again. */
        @WithDefault("24h")
        Duration remember();

        /**
         * Routing rules by name, tried in name order, the first match wins per series; none = every series is
         * requested. A study none of whose series matches is acknowledged and counted, not enhanced.
         */
        Map<String, Rule> rules();

        interface Rule {
            /** Modalities, e.g. MR,CT; absent = any. */
            Optional<java.util.List<String>> modality();

            /** A Java regex the whole Series Description must match, e.g. (?i).*t1.*; absent = any. */
            Optional<String> seriesDescription();

            /** Body Part Examined values, e.g. HEAD,BRAIN; absent = any. */
            Optional<java.util.List<String>> bodyPart();

            /** Fewest instances a series must have. */
            @WithDefault("1")
            int minSlices();

            /** Smallest and largest Rows and Columns. */
            @WithDefault("1")
            int minMatrix();

            @WithDefault("65535")
            int maxMatrix();

            /** Only series whose Image Type starts with ORIGINAL (never enhance what is already derived). */
            @WithDefault("true")
            boolean originalOnly();

            /** Where this rule's derived series go; absent = enhancer.receiver.target-pacs, or the source. */
            Optional<String> targetPacs();

            /** Request options, checked at start-up as a request's fields are. */
            Optional<String> degradation();

            OptionalInt uncertainty();

            OptionalInt batchSize();
        }
    }

    /** Defaults: the event contract's names, defined once in {@link io.scanenhancer.messaging.Topics}. */
    interface Topics {
        @WithDefault(io.scanenhancer.messaging.Topics.REQUESTS)
        String requests();

        @WithDefault(io.scanenhancer.messaging.Topics.RESULTS)
        String results();

        @WithDefault(io.scanenhancer.messaging.Topics.DEAD_LETTERS)
        String deadLetters();

        /** Progress events of running jobs, read by the REST API of every replica. */
        @WithDefault(io.scanenhancer.messaging.Topics.PROGRESS)
        String progress();
    }

    interface Api {
        Auth auth();

        /** Job status is rebuilt at startup from the results and progress topics, this far back. */
        @WithDefault("24h")
        Duration jobsLookback();

        interface Auth {
            /** false only on a closed network: every /studies and /jobs call then goes unchecked. */
            @WithDefault("true")
            boolean enabled();

            /** Accepted as {@code Authorization: Bearer <token>}; from the environment (ENHANCER_API_TOKEN). */
            Optional<String> token();

            /** Accepted as HTTP basic together with {@link #password()}. */
            Optional<String> username();

            Optional<String> password();
        }
    }

    interface Memory {
        /**
         * Native memory the diffusion enhancer may use (libtorch, its arrays, the JVM outside the heap), e.g. 4G; a
         * batch or a number of posterior samples that would need more is split into smaller network calls. Absent:
         * (container memory.max, or physical memory, minus the Java heap max) x 0.8 (README "Memory budget").
         */
        @io.smallrye.config.WithConverter(io.quarkus.runtime.configuration.MemorySizeConverter.class)
        Optional<io.quarkus.runtime.configuration.MemorySize> budget();
    }

    interface Batch {
        /** Slices per enhancer call, across the series of a study, unless a request sets batchSize. */
        @WithDefault("8")
        int size();

        /** Most images in one network call: a larger request batch is split, so that memory stays bounded. */
        @WithDefault("16")
        int max();
    }

    interface Consumer {
        @WithDefault("scan-enhancer")
        String groupId();

        /** Attempts for a request failing for a transient reason before it is dead-lettered. */
        @WithDefault("5")
        int maxAttempts();

        /**
         * Attempts at a request during which the process died (out of memory, native crash, SIGKILL), counted across
         * restarts in the group's committed offset, before the request is dead-lettered as crashed-the-worker.
         */
        @WithDefault("" + io.scanenhancer.messaging.ConsumerSettings.MAX_CRASH_ATTEMPTS)
        int maxCrashAttempts();

        /** Pause before the second attempt; doubled for each further one, up to {@link #retryBackoffMax()}. */
        @WithDefault("5s")
        Duration retryBackoff();

        @WithDefault("2m")
        Duration retryBackoffMax();

        /**
         * Kafka max.poll.interval.ms: how long the polling thread may stall before the group drops this consumer.
         * Studies run on a worker thread while polling goes on, so a study may take longer.
         */
        @WithDefault("5m")
        Duration maxPollInterval();

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
         * Static group membership (Kafka group.instance.id): a process restarted after a crash takes its partitions
         * back at once, instead of waiting for the session timeout of its dead predecessor. false = a new member at
         * every start (README "Restarts").
         */
        @WithDefault("true")
        boolean staticMembership();

        /**
         * The static member's id, unique among the live processes of the group and stable across restarts of one;
         * absent = host name and HTTP port ({@link GroupInstanceId}). The Kubernetes manifests set the pod name.
         */
        Optional<String> instanceId();

        /**
         * On shutdown (SIGTERM), how long the study in progress may take to finish; after that it is abandoned
         * uncommitted and done again by the next consumer.
         */
        @WithDefault("30s")
        Duration shutdownGrace();
    }

    /** The synthesize operation (see the README): generator model, the training volume its audit needs, the threshold. */
    interface Synthesis {
        @WithDefault("models/mri-t1-axial-generator-v1")
        Path modelDir();

        @WithDefault("/usr/share/mricron/templates/ch2.nii.gz")
        Path trainingData();

        /** Slices whose distance (1 - NCC) to a training slice is at or below this are not stored. */
        @WithDefault("0.02")
        double memorisationThreshold();
    }

    interface Model {
        /** diffusion or bicubic. */
        @WithDefault("diffusion")
        String kind();

        Optional<Path> dir();

        @WithDefault("true")
        boolean fallBackToBicubic();
    }

    /**
     * Per operation: calls at most within one attempt (only transient failures are tried again), the pause before the
     * second (doubled before each further one), and the longest one call may take.
     */
    interface PacsCalls {
        @WithDefault("1")
        int pingTries();

        @WithDefault("10s")
        Duration pingTimeout();

        @WithDefault("3")
        int findTries();

        @WithDefault("1s")
        Duration findBackoff();

        @WithDefault("30s")
        Duration findTimeout();

        @WithDefault("2")
        int retrieveTries();

        @WithDefault("2s")
        Duration retrieveBackoff();

        @WithDefault("10m")
        Duration retrieveTimeout();

        @WithDefault("2")
        int storeTries();

        @WithDefault("2s")
        Duration storeBackoff();

        @WithDefault("5m")
        Duration storeTimeout();
    }

    interface Pacs {
        /** dicomweb or dimse. */
        String type();

        /** DICOMweb root, e.g. http://orthanc:8042/dicom-web. */
        Optional<URI> url();

        Optional<String> username();

        Optional<String> password();

        Optional<String> bearerToken();

        /** CAs to trust for an https url: PKCS12/JKS trust store or PEM file; absent = the JDK's default CAs. */
        Optional<Path> trustStore();

        Optional<String> trustStorePassword();

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

        /** Per HTTP request (DICOMweb), within the call's own timeout ({@link PacsCalls}). */
        @WithDefault("120s")
        Duration timeout();
    }
}
