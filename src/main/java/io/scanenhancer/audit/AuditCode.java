package io.scanenhancer.audit;

/**
 * A coded value of the DICOM audit message schema (PS3.15 A.5.1, CodedValueType): csd-code, codeSystemName and
 * originalText are required there, so every constant carries all three. The codes are DICOM's (DCM) as IHE ATNA
 * uses them (PS3.16 CID 400-405).
 */
public record AuditCode(String code, String system, String text) {
    // EventID (CID 400)
    public static final AuditCode APPLICATION_ACTIVITY = dcm("110100", "Application Activity");
    public static final AuditCode INSTANCES_TRANSFERRED = dcm("110104", "DICOM Instances Transferred");
    public static final AuditCode ORDER_RECORD = dcm("110109", "Order Record");
    public static final AuditCode SECURITY_ALERT = dcm("110113", "Security Alert");
    public static final AuditCode USER_AUTHENTICATION = dcm("110114", "User Authentication");
    // EventTypeCode (CID 401, 402)
    public static final AuditCode APPLICATION_START = dcm("110120", "Application Start");
    public static final AuditCode APPLICATION_STOP = dcm("110121", "Application Stop");
    public static final AuditCode LOGIN = dcm("110122", "Login");
    public static final AuditCode NODE_AUTHENTICATION = dcm("110126", "Node Authentication");
    // RoleIDCode (CID 402)
    public static final AuditCode APPLICATION = dcm("110150", "Application");
    public static final AuditCode APPLICATION_LAUNCHER = dcm("110151", "Application Launcher");
    public static final AuditCode DESTINATION = dcm("110152", "Destination Role ID");
    public static final AuditCode SOURCE = dcm("110153", "Source Role ID");
    // ParticipantObjectIDTypeCode (CID 404)
    public static final AuditCode STUDY_INSTANCE_UID = dcm("110180", "Study Instance UID");
    /** AuditSourceTypeCode 4 (RFC 3881 / PS3.15 A.5.1): an application server process. */
    public static final AuditCode APPLICATION_SERVER = new AuditCode("4", "DCM", "Application Server process tier in a multi-tier system");

    public static AuditCode dcm(String code, String text) {
        return new AuditCode(code, "DCM", text);
    }
}
