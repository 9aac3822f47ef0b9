package io.scanenhancer.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scanenhancer.messaging.Topics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the schema check (deploy/kubernetes/validate, run by .ci/run) cannot see: that the manifests agree with each
 * other and with application.properties (probe paths, topic and consumer group, every variable the service reads,
 * no real secret). Nothing is applied.
 */
class KubernetesManifestsTest {
    private static final Path DIR = Path.of("deploy", "kubernetes");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static JsonNode read(String file) throws IOException {
        return YAML.readTree(DIR.resolve(file).toFile());
    }

    private static Properties applicationProperties() throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            p.load(r);
        }
        return p;
    }

    @Test
    void bothDeploymentsProbeTheHealthEndpointsAndReadTheConfigMapAndSecret() throws IOException {
        for (String file : new String[] {"deployment-cpu.yaml", "deployment-gpu.yaml"}) {
            JsonNode d = read(file);
            assertEquals("Deployment", d.path("kind").asText(), file);
            assertEquals("scan-enhancer", d.path("metadata").path("name").asText(), file);
            JsonNode pod = d.path("spec").path("template");
            assertEquals(d.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText(),
                    pod.path("metadata").path("labels").path("app.kubernetes.io/name").asText(), file);
            JsonNode c = pod.path("spec").path("containers").get(0);
            assertEquals("/q/health/live", c.path("livenessProbe").path("httpGet").path("path").asText(), file);
            assertEquals("/q/health/ready", c.path("readinessProbe").path("httpGet").path("path").asText(), file);
            assertEquals(8080, c.path("ports").get(0).path("containerPort").asInt(), file);
            Set<String> from = new HashSet<>();
            c.path("envFrom").forEach(e -> from.add(e.fieldNames().next() + "/" + e.elements().next().path("name").asText()));
            assertEquals(Set.of("configMapRef/scan-enhancer", "secretRef/scan-enhancer"), from, file);
            // static group membership under the pod's name: a container restarted in its pod is the same member
            JsonNode instanceId = null;
            for (JsonNode e : c.path("env")) {
                if (e.path("name").asText().equals("ENHANCER_CONSUMER_INSTANCE_ID")) {
                    instanceId = e;
                }
            }
            assertTrue(instanceId != null, file + ": no ENHANCER_CONSUMER_INSTANCE_ID");
            assertEquals("metadata.name", instanceId.path("valueFrom").path("fieldRef").path("fieldPath").asText(), file);
            boolean gpu = file.contains("gpu");
            assertEquals(gpu, c.path("resources").path("limits").has("nvidia.com/gpu"), file);
            assertEquals(gpu, pod.path("spec").has("nodeSelector"), file);
            if (gpu) {
                assertEquals(1, c.path("resources").path("limits").path("nvidia.com/gpu").asInt());
            }
        }
    }

    @Test
    void everyConfiguredVariableIsOneTheServiceReadsAndSecretsArePlaceholders() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Set<String> read = new HashSet<>();
        Matcher m = Pattern.compile("\\$\\{([A-Z0-9_]+):").matcher(properties);
        while (m.find()) {
            read.add(m.group(1));
        }
        // Quarkus also maps ENHANCER_X_Y to any enhancer.x.y (or enhancer.x-y) the properties define
        for (String key : applicationProperties().stringPropertyNames()) {
            read.add(key.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        // and the topics, whose names are defined once (messaging.Topics) and not repeated in application.properties;
        // PipelineSettingsFactoryTest shows the environment reaching them
        for (String topic : new String[] {"requests", "results", "dead-letters", "progress"}) {
            read.add(("enhancer.topics." + topic).toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        JsonNode config = read("configmap.yaml");
        JsonNode secret = read("secret.yaml");
        config.path("data").fieldNames().forEachRemaining(k -> assertTrue(read.contains(k), "ConfigMap key " + k + " is read by nobody"));
        secret.path("stringData").fieldNames().forEachRemaining(k -> assertTrue(read.contains(k), "Secret key " + k + " is read by nobody"));
        secret.path("stringData").elements().forEachRemaining(v -> assertEquals("REPLACE_ME", v.asText(), "a Secret holds a real value"));
        assertFalse(secret.has("data"), "secret values stay placeholders in stringData");
    }

    @Test
    void kedaScalesTheDeploymentOnTheRequestsTopicsConsumerGroupLag() throws IOException {
        Properties app = applicationProperties();
        JsonNode so = read("keda-scaledobject.yaml");
        assertEquals("keda.sh/v1alpha1", so.path("apiVersion").asText());
        assertEquals("scan-enhancer", so.path("spec").path("scaleTargetRef").path("name").asText());
        assertTrue(so.path("spec").path("minReplicaCount").asInt() >= 1, "the REST API needs a replica");
        JsonNode trigger = so.path("spec").path("triggers").get(0);
        assertEquals("kafka", trigger.path("type").asText());
        JsonNode config = read("configmap.yaml").path("data");
        assertEquals(Topics.REQUESTS, trigger.path("metadata").path("topic").asText());
        assertEquals(config.path("ENHANCER_TOPICS_REQUESTS").asText(), trigger.path("metadata").path("topic").asText());
        assertEquals(app.getProperty("enhancer.consumer.group-id"), trigger.path("metadata").path("consumerGroup").asText());
        assertEquals(config.path("ENHANCER_CONSUMER_GROUP_ID").asText(), trigger.path("metadata").path("consumerGroup").asText());
        assertEquals(config.path("KAFKA_BOOTSTRAP_SERVERS").asText(), trigger.path("metadata").path("bootstrapServers").asText());
    }

    @Test
    void theDisruptionBudgetAndTheServiceSelectThePods() throws IOException {
        String podName = read("deployment-cpu.yaml").path("spec").path("template").path("metadata").path("labels")
                .path("app.kubernetes.io/name").asText();
        JsonNode pdb = read("pdb.yaml");
        assertEquals("PodDisruptionBudget", pdb.path("kind").asText());
        assertEquals(podName, pdb.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/name").asText());
        assertTrue(pdb.path("spec").has("maxUnavailable") || pdb.path("spec").has("minAvailable"));
        assertEquals(podName, read("service.yaml").path("spec").path("selector").path("app.kubernetes.io/name").asText());
    }
}
