package io.scanenhancer.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every event the trail writes, through the file sink, against the audit schema's required parts and RFC 5424. */
class AuditMessageTest {
    static final Pattern RFC5424 = Pattern.compile(
            "<(\\d{1,3})>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d{1,6})?Z) (\\S+) (\\S+) (\\d+) (\\S+) - \uFEFF(<AuditMessage>.*</AuditMessage>)");
    private static final String STUDY = "1.2.826.0.1.3680043.8.498.1";
    private static final String MR = "1.2.840.10008.5.1.4.1.1.4";

    @TempDir
    Path temp;

    @Test
    void everyEventIsValidAgainstTheSchemaAndFramedAsRfc5424() throws Exception {
        Path file = temp.resolve("audit/audit.log");
        AuditParticipant pacs = AuditParticipant.of("pacs", "127.0.0.1");
        try (AuditTrail trail = AuditTrail.open(new AuditSettings("scan-enhancer", "site-1", null, file))) {
            trail.studyRead(pacs, STUDY, MR, 12, null);
            trail.objectsStored(pacs, STUDY, MR, 12, "pacs: HTTP 503");
            trail.request(AuditParticipant.of("kafka", null), "kafka request r-1", STUDY, null);
            trail.request(AuditParticipant.of("api-user", "10.0.0.7"), "rest request r-2", null, "invalid-request: field 'x' < 3 & \"y\"");
            trail.stateChanged(AuditParticipant.of("api-user", "10.0.0.7"), "POST /dead-letters/redrive", List.of(STUDY, STUDY), null);
            trail.authenticationRefused(AuditParticipant.of("bearer", "10.0.0.8"), "wrong bearer token");
            trail.nodeRefused(AuditParticipant.of("EVIL", "10.0.0.9"), "unknown calling AE title");
            trail.applicationActivity(true);
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        assertEquals(8, lines.size(), "one line per record");
        Validator schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                .newSchema(getClass().getResource("/audit/audit-message.xsd")).newValidator();
        List<Document> docs = new ArrayList<>();
        for (String line : lines) {
            Matcher m = RFC5424.matcher(line);
            assertTrue(m.matches(), "RFC 5424 with BOM and XML: " + line);
            int pri = Integer.parseInt(m.group(1));
            assertEquals(10, pri / 8, "facility authpriv");
            assertEquals("scan-enhancer", m.group(4), "APP-NAME");
            assertEquals(Long.toString(ProcessHandle.current().pid()), m.group(5), "PROCID");
            assertEquals("IHE+RFC-3881", m.group(6), "MSGID");
            try {
                schema.validate(new StreamSource(new StringReader(m.group(7))));
            } catch (SAXException e) {
                throw new AssertionError(e.getMessage() + " in " + m.group(7), e);
            }
            docs.add(parse(m.group(7)));
        }
        assertEquals(5, Integer.parseInt(RFC5424.matcher(lines.get(0)).replaceFirst("$1")) % 8, "success: notice");
        assertEquals(4, Integer.parseInt(RFC5424.matcher(lines.get(1)).replaceFirst("$1")) % 8, "failure: warning");

        Element read = docs.get(0).getDocumentElement();
        Element event = first(read, "EventIdentification");
        assertEquals("R", event.getAttribute("EventActionCode"));
        assertEquals("0", event.getAttribute("EventOutcomeIndicator"));
        assertEquals("110104", first(event, "EventID").getAttribute("csd-code"));
        List<Element> participants = all(read, "ActiveParticipant");
        assertEquals("pacs", participants.get(0).getAttribute("UserID"));
        assertEquals("110153", first(participants.get(0), "RoleIDCode").getAttribute("csd-code"), "the PACS is the source");
        assertEquals("2", participants.get(0).getAttribute("NetworkAccessPointTypeCode"), "an IP address");
        assertEquals("scan-enhancer", participants.get(1).getAttribute("UserID"));
        assertEquals("true", participants.get(1).getAttribute("UserIsRequestor"));
        assertEquals("110152", first(participants.get(1), "RoleIDCode").getAttribute("csd-code"));
        assertEquals("site-1", first(read, "AuditSourceIdentification").getAttribute("AuditEnterpriseSiteID"));
        Element study = first(read, "ParticipantObjectIdentification");
        assertEquals(STUDY, study.getAttribute("ParticipantObjectID"));
        assertEquals("110180", first(study, "ParticipantObjectIDTypeCode").getAttribute("csd-code"));
        assertEquals(MR, first(study, "SOPClass").getAttribute("UID"));
        assertEquals("12", first(study, "SOPClass").getAttribute("NumberOfInstances"));

        Element failedStore = first(docs.get(1).getDocumentElement(), "EventIdentification");
        assertEquals("C", failedStore.getAttribute("EventActionCode"));
        assertEquals("8", failedStore.getAttribute("EventOutcomeIndicator"));
        assertEquals("pacs: HTTP 503", first(failedStore, "EventOutcomeDescription").getTextContent());

        Element refused = docs.get(3).getDocumentElement();
        assertEquals("rest request r-2 refused: invalid-request: field 'x' < 3 & \"y\"",
                first(refused, "EventOutcomeDescription").getTextContent(), "escaped and read back");
        assertEquals(0, all(refused, "ParticipantObjectIdentification").size(), "no study named");
        assertEquals(1, all(docs.get(4).getDocumentElement(), "ParticipantObjectIdentification").size(), "each study once");
        assertEquals("110114", first(docs.get(5).getDocumentElement(), "EventID").getAttribute("csd-code"));
        assertEquals("110126", first(docs.get(6).getDocumentElement(), "EventTypeCode").getAttribute("csd-code"));
        assertEquals("110120", first(docs.get(7).getDocumentElement(), "EventTypeCode").getAttribute("csd-code"));
    }

    @Test
    void tlsFramesAreOctetCounted() {
        byte[] msg = "<85>1 - - - - - - x".getBytes(StandardCharsets.US_ASCII);
        byte[] framed = SyslogFormat.octetCounted(msg);
        assertEquals("19 <85>1 - - - - - - x", new String(framed, StandardCharsets.US_ASCII));
        assertArrayEquals(msg, java.util.Arrays.copyOfRange(framed, 3, framed.length));
    }

    @Test
    void aMessageWithoutParticipantIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> AuditMessage.of(AuditCode.ORDER_RECORD, 'C')
                .build(java.time.Instant.now(), new AuditMessage.Source("s", null)));
        assertThrows(IllegalArgumentException.class, () -> AuditMessage.of(AuditCode.ORDER_RECORD, 'X')
                .participant(AuditParticipant.of("a", null)).build(java.time.Instant.now(), new AuditMessage.Source("s", null)));
    }

    @Test
    void offRecordsNothing() {
        AuditTrail.OFF.studyRead(AuditParticipant.of("pacs", null), STUDY, null, 1, null);
        assertEquals(false, AuditTrail.OFF.enabled());
        assertEquals(0, AuditTrail.OFF.lost());
    }

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static Element first(Element parent, String name) {
        List<Element> found = all(parent, name);
        assertTrue(!found.isEmpty(), name + " missing");
        return found.get(0);
    }

    static List<Element> all(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        var nodes = parent.getElementsByTagName(name);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }
}
