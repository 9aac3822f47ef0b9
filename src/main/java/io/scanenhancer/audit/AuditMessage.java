package io.scanenhancer.audit;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One audit record in the DICOM audit message format (PS3.15 A.5.1, the IHE ATNA schema): EventIdentification,
 * ActiveParticipant+, AuditSourceIdentification, ParticipantObjectIdentification*, written with the JDK's StAX
 * writer in the schema's element order.
 *
 * @param action      EventActionCode: C(reate), R(ead), U(pdate), D(elete), E(xecute)
 * @param outcome     EventOutcomeIndicator
 * @param description EventOutcomeDescription (why it failed; never patient data), or null
 * @param eventType   EventTypeCode, or null
 */
public record AuditMessage(AuditCode eventId, char action, Instant time, Outcome outcome, String description,
                           AuditCode eventType, List<AuditParticipant> participants, Source source,
                           List<Study> studies) {

    /** EventOutcomeIndicator values. */
    public enum Outcome {
        SUCCESS("0"), MINOR_FAILURE("4"), SERIOUS_FAILURE("8"), MAJOR_FAILURE("12");

        final String code;

        Outcome(String code) {
            this.code = code;
        }
    }

    /** AuditSourceIdentification: the system that writes the record. */
    public record Source(String sourceId, String enterpriseSiteId) {
    }

    /**
     * A study as ParticipantObjectIdentification: type 2 (system object), role 3 (report), ID type 110180.
     *
     * @param sopClassUid the SOP class of the instances, or null when not known
     * @param instances   how many instances the event touched; 0 when not counted
     */
    public record Study(String studyInstanceUid, String sopClassUid, int instances) {
    }

    public AuditMessage {
        Objects.requireNonNull(eventId, "eventId");
        if ("CRUDE".indexOf(action) < 0) {
            throw new IllegalArgumentException("EventActionCode " + action);
        }
        participants = List.copyOf(participants);
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("an audit message needs at least one ActiveParticipant");
        }
        studies = List.copyOf(studies);
    }

    /** The XML document, without XML declaration and without line breaks (one record, one syslog line). */
    public String toXml() {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            w.writeStartElement("AuditMessage");
            w.writeStartElement("EventIdentification");
            w.writeAttribute("EventActionCode", String.valueOf(action));
            w.writeAttribute("EventDateTime", DateTimeFormatter.ISO_INSTANT.format(time.truncatedTo(ChronoUnit.MILLIS)));
            w.writeAttribute("EventOutcomeIndicator", outcome.code);
            code(w, "EventID", eventId);
            if (eventType != null) {
                code(w, "EventTypeCode", eventType);
            }
            if (description != null) {
                w.writeStartElement("EventOutcomeDescription");
                w.writeCharacters(description);
                w.writeEndElement();
            }
            w.writeEndElement();
            for (AuditParticipant p : participants) {
                w.writeStartElement("ActiveParticipant");
                w.writeAttribute("UserID", p.userId());
                if (p.alternativeUserId() != null) {
                    w.writeAttribute("AlternativeUserID", p.alternativeUserId());
                }
                w.writeAttribute("UserIsRequestor", Boolean.toString(p.requestor()));
                if (p.networkAccessPoint() != null) {
                    w.writeAttribute("NetworkAccessPointID", p.networkAccessPoint());
                    w.writeAttribute("NetworkAccessPointTypeCode", p.networkAccessPointType());
                }
                if (p.role() != null) {
                    code(w, "RoleIDCode", p.role());
                }
                w.writeEndElement();
            }
            w.writeStartElement("AuditSourceIdentification");
            if (source.enterpriseSiteId() != null) {
                w.writeAttribute("AuditEnterpriseSiteID", source.enterpriseSiteId());
            }
            w.writeAttribute("AuditSourceID", source.sourceId());
            code(w, "AuditSourceTypeCode", AuditCode.APPLICATION_SERVER);
            w.writeEndElement();
            for (Study s : studies) {
                w.writeStartElement("ParticipantObjectIdentification");
                w.writeAttribute("ParticipantObjectID", s.studyInstanceUid());
                w.writeAttribute("ParticipantObjectTypeCode", "2");
                w.writeAttribute("ParticipantObjectTypeCodeRole", "3");
                code(w, "ParticipantObjectIDTypeCode", AuditCode.STUDY_INSTANCE_UID);
                if (s.sopClassUid() != null) { // the schema requires the class UID of a SOPClass element
                    w.writeStartElement("SOPClass");
                    w.writeAttribute("UID", s.sopClassUid());
                    w.writeAttribute("NumberOfInstances", Integer.toString(s.instances()));
                    w.writeEndElement();
                }
                w.writeEndElement();
            }
            w.writeEndElement();
            w.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("audit message not written", e);
        }
        return out.toString();
    }

    private static void code(XMLStreamWriter w, String element, AuditCode c) throws XMLStreamException {
        w.writeEmptyElement(element);
        w.writeAttribute("csd-code", c.code());
        w.writeAttribute("codeSystemName", c.system());
        w.writeAttribute("originalText", c.text());
    }

    /** Builds a message; the trail fills in the time and the audit source. */
    public static Builder of(AuditCode eventId, char action) {
        return new Builder(eventId, action);
    }

    public static final class Builder {
        private final AuditCode eventId;
        private final char action;
        private Outcome outcome = Outcome.SUCCESS;
        private String description;
        private AuditCode eventType;
        private final List<AuditParticipant> participants = new ArrayList<>();
        private final List<Study> studies = new ArrayList<>();

        private Builder(AuditCode eventId, char action) {
            this.eventId = eventId;
            this.action = action;
        }

        public Builder outcome(Outcome o, String why) {
            this.outcome = o;
            this.description = why;
            return this;
        }

        public Builder type(AuditCode t) {
            this.eventType = t;
            return this;
        }

        public Builder participant(AuditParticipant p) {
            participants.add(p);
            return this;
        }

        /** @param studyInstanceUid null is skipped (a request that did not parse names no study) */
        public Builder study(String studyInstanceUid, String sopClassUid, int instances) {
            if (studyInstanceUid != null && !studyInstanceUid.isBlank()) {
                studies.add(new Study(studyInstanceUid, sopClassUid, instances));
            }
            return this;
        }

        public AuditMessage build(Instant time, Source source) {
            return new AuditMessage(eventId, action, time, outcome, description, eventType, participants, source, studies);
        }
    }
}
