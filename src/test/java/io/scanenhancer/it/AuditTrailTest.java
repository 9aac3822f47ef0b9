package io.scanenhancer.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanenhancer.audit.AuditSettings;
import io.scanenhancer.audit.AuditTrail;
import io.scanenhancer.enhance.Enhancers;
import io.scanenhancer.harness.LocalKafkaBroker;
import io.scanenhancer.harness.LocalOrthanc;
import io.scanenhancer.messaging.Topics;
import io.scanenhancer.pacs.PacsSettings;
import io.scanenhancer.pipeline.Pipeline;
import io.scanenhancer.pipeline.PipelineSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One request end to end through the real stack (broker, Orthanc, the production pipeline) with the audit trail sent
 * over UDP to a syslog listener of this test and into a local file: the messages are RFC 5424 with the DICOM audit
 * XML, and name the request accepted, the study read and the objects stored, with the study's UID.
 */
@io.scanenhancer.StartsServices
class AuditTrailTest {
    private static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?Z) (\\S+) (\\S+) (\\d+) (\\S+) - \uFEFF(<AuditMessage>.*</AuditMessage>)");
    private static final int SLICES = 3;

    @TempDir
    Path temp;
    private LocalOrthanc orthanc;
    private SeriesFixture source;

    @BeforeEach
    void start() throws Exception {
        orthanc = LocalOrthanc.start();
        source = SeriesFixture.write(temp.resolve("src"), SLICES);
        E2e.uploadViaRest(orthanc, source.files());
    }

    @AfterEach
    void stop() {
        orthanc.close();
    }

    @Test
    void aRequestEndToEndLeavesAuditMessagesOfAcceptanceReadAndStore() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Topics topics = new Topics("audit-" + run + ".requested", "audit-" + run + ".enhanced", "audit-" + run + ".dlq");
        LocalKafkaBroker broker = SharedStack.get().broker();
        Path file = temp.resolve("audit/audit.log");
        List<String> received = new ArrayList<>();
        try (DatagramSocket collector = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            AuditSettings audit = new AuditSettings("scan-enhancer-test", "test-site", new AuditSettings.Syslog("127.0.0.1",
                    collector.getLocalPort(), AuditSettings.Protocol.UDP, null, null), file);
            String requestId = UUID.randomUUID().toString();
            try (AuditTrail trail = AuditTrail.open(audit); Pipeline pipeline = pipeline(run, topics, trail)) {
                E2e.publish(broker.bootstrapServers(), topics.requests(), source.studyInstanceUid(),
                        E2e.request(requestId, source.studyInstanceUid(), "pacs", "pacs"));
                JsonNode result = E2e.awaitResult(broker.bootstrapServers(), topics.results(), requestId);
                assertEquals("succeeded", result.path("status").asText(), result.toString());
            }
            collector.setSoTimeout(2_000); // the trail was closed, so everything was sent: read until quiet
            byte[] buffer = new byte[65_535];
            while (true) {
                DatagramPacket p = new DatagramPacket(buffer, buffer.length);
                try {
                    collector.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                received.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
            }
        }
        assertTrue(received.size() >= 3, "at least acceptance, read and store: " + received);
        List<Element> events = new ArrayList<>();
        for (String m : received) {
            Matcher h = RFC5424.matcher(m);
            assertTrue(h.matches(), "RFC 5424 header, BOM and XML: " + m);
            assertEquals(10, Integer.parseInt(h.group(1)) / 8, "facility authpriv");
            assertEquals("scan-enhancer-test", h.group(4), "APP-NAME");
            assertEquals("IHE+RFC-3881", h.group(6), "MSGID");
            events.add(parse(h.group(7)));
        }
        String study = source.studyInstanceUid();
        Element accepted = find(events, "110109", "C", study);
        assertEquals("0", child(accepted, "EventIdentification").getAttribute("EventOutcomeIndicator"));
        assertEquals("kafka:" + topics.requests(), child(accepted, "ActiveParticipant").getAttribute("UserID"));
        Element read = find(events, "110104", "R", study);
        Element readSop = child(child(read, "ParticipantObjectIdentification"), "SOPClass");
        assertEquals(Integer.toString(SLICES), readSop.getAttribute("NumberOfInstances"));
        assertEquals("110153", child(child(read, "ActiveParticipant"), "RoleIDCode").getAttribute("csd-code"), "the PACS is the source");
        assertEquals(orthanc.dicomWebUrl(), child(read, "ActiveParticipant").getAttribute("UserID"));
        Element stored = find(events, "110104", "C", study);
        assertEquals(Integer.toString(SLICES), child(child(stored, "ParticipantObjectIdentification"), "SOPClass")
                .getAttribute("NumberOfInstances"));
        assertEquals("test-site", child(stored, "AuditSourceIdentification").getAttribute("AuditEnterpriseSiteID"));

        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(received.size(), lines.size(), "the file holds what the collector received");
        assertTrue(lines.containsAll(received), "the same messages");
        System.out.printf("audit: %d messages for one request (accepted, read, stored); one of them:%n%s%n",
                received.size(), received.stream().filter(m -> m.contains("csd-code=\"110104\"") && m.contains("EventActionCode=\"R\""))
                        .findFirst().orElseThrow());
    }

    private static Element find(List<Element> events, String eventId, String action, String study) {
        for (Element e : events) {
            Element id = child(e, "EventIdentification");
            if (eventId.equals(child(id, "EventID").getAttribute("csd-code")) && action.equals(id.getAttribute("EventActionCode"))
                    && e.getElementsByTagName("ParticipantObjectIdentification").getLength() > 0
                    && study.equals(child(e, "ParticipantObjectIdentification").getAttribute("ParticipantObjectID"))) {
                return e;
            }
        }
        throw new AssertionError("no event " + eventId + "/" + action + " for the study among " + events.size());
    }

    private static Element child(Element parent, String name) {
        var nodes = parent.getElementsByTagName(name);
        assertTrue(nodes.getLength() > 0, name + " missing");
        return (Element) nodes.item(0);
    }

    private static Element parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))).getDocumentElement();
    }

    private Pipeline pipeline(String run, Topics topics, AuditTrail trail) throws Exception {
        PacsSettings pacs = new PacsSettings.DicomWeb("pacs", URI.create(orthanc.dicomWebUrl()), orthanc.user(),
                orthanc.password(), null, Duration.ofSeconds(10));
        PipelineSettings settings = SharedStack.get().settings("audit-" + run, topics).withPacs(List.of(pacs))
                .withEnhancer(Enhancers.BICUBIC);
        return Pipeline.builder(settings).audit(trail).start();
    }
}
