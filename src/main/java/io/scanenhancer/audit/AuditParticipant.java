package io.scanenhancer.audit;

/**
 * An ActiveParticipant (PS3.15 A.5.1): a person, process or node that took part in the event.
 *
 * @param userId             the participant as the system knows it: AE title, PACS name, API user, or this service
 * @param alternativeUserId  e.g. the process id of this service, or null
 * @param networkAccessPoint host name or IP address, or null
 * @param role               RoleIDCode (Source, Destination, Application ...), or null
 */
public record AuditParticipant(String userId, String alternativeUserId, boolean requestor, String networkAccessPoint,
                               AuditCode role) {

    public AuditParticipant {
        if (userId == null || userId.isBlank()) {
            userId = "unknown";
        }
    }

    /** A participant by name and host; its role and whether it requested are set by the event. */
    public static AuditParticipant of(String userId, String networkAccessPoint) {
        return new AuditParticipant(userId, null, false, networkAccessPoint, null);
    }

    public AuditParticipant as(AuditCode newRole, boolean isRequestor) {
        return new AuditParticipant(userId, alternativeUserId, isRequestor, networkAccessPoint, newRole);
    }

    /** NetworkAccessPointTypeCode: 2 for an IP address, 1 for a machine name. */
    String networkAccessPointType() {
        String h = networkAccessPoint;
        return h.matches("[0-9.]+") || h.contains(":") ? "2" : "1";
    }
}
