package io.scanenhancer.receiver;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.api.ApiError;
import io.scanenhancer.pacs.MultipartRelated;
import io.scanenhancer.pacs.PacsException;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Locale;

/**
 * STOW-RS into the receiver ({@code POST /dicom-web/studies}, PS3.18 10.5): each part is taken in as a C-STORE'd
 * object is, for the PACS {@code enhancer.receiver.stow-source-pacs}. The REST API's authentication applies (the
 * api package's filter covers every resource). Answers with the DICOM JSON Store Instances Response: 200 when every
 * instance was taken, 202 when some were not, 409 when none was.
 */
@Path("/dicom-web/studies")
@Tag(name = "dicom-web")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "basic")
public class StowResource {
    private static final Logger LOG = Logger.getLogger(StowResource.class);
    private static final ObjectMapper JSON = EventJson.mapper();
    private static final String DICOM_JSON = "application/dicom+json";
    /** PS3.18 Table 10.5.3-2 / PS3.4 C-STORE: Error: Cannot understand, and Refused: Out of resources (a forward failed). */
    private static final int CANNOT_UNDERSTAND = 0xC000;
    private static final int OUT_OF_RESOURCES = 0xA700;

    @Inject
    DicomReceiver receiver;

    @POST
    @Consumes("multipart/related")
    @Produces(DICOM_JSON)
    @Operation(summary = "Store instances (STOW-RS) into the receiver", description = "multipart/related; "
            + "type=\"application/dicom\". The study is requested for enhancement once no instance of it arrived for "
            + "enhancer.receiver.stable-age.")
    @APIResponse(responseCode = "200", description = "every instance taken")
    @APIResponse(responseCode = "202", description = "some instances refused (FailedSOPSequence)")
    @APIResponse(responseCode = "404", description = "the receiver or its STOW-RS source PACS is not configured")
    @APIResponse(responseCode = "415", description = "not multipart/related; type=\"application/dicom\"")
    public Response store(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        String source = receiver.stowSourcePacs().orElse(null);
        if (source == null) {
            return error(Response.Status.NOT_FOUND, "receiver-off", "STOW-RS needs enhancer.receiver.enabled=true and "
                    + "enhancer.receiver.stow-source-pacs");
        }
        String boundary;
        try {
            boundary = MultipartRelated.boundaryOf(contentType);
        } catch (IllegalArgumentException e) {
            return error(Response.Status.BAD_REQUEST, "invalid-request", e.getMessage());
        }
        if (!contentType.toLowerCase(Locale.ROOT).replace(" ", "").contains("type=\"application/dicom\"")
                && !contentType.toLowerCase(Locale.ROOT).replace(" ", "").contains("type=application/dicom;")) {
            return error(Response.Status.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type",
                    "only multipart/related; type=\"application/dicom\" (Part 10 objects) is taken");
        }
        ArrayNode stored = JSON.createArrayNode();
        ArrayNode failed = JSON.createArrayNode();
        MultipartRelated.parse(body, boundary, (bytes, length) -> {
            byte[] part = Arrays.copyOf(bytes, length);
            try {
                InstanceIntake.Uids uids = receiver.intake().accept(part, source);
                stored.add(reference(uids.sopClass(), uids.sop()));
            } catch (InstanceIntake.RefusedInstanceException e) {
                LOG.warnf("receiver: STOW-RS part refused: %s", e.getMessage());
                ObjectNode item = JSON.createObjectNode();
                item.set("00081197", us(e.getCause() instanceof PacsException ? OUT_OF_RESOURCES : CANNOT_UNDERSTAND));
                failed.add(item);
            }
        });
        ObjectNode answer = JSON.createObjectNode();
        if (!failed.isEmpty()) {
            answer.set("00081198", sequence(failed));
        }
        if (!stored.isEmpty()) {
            answer.set("00081199", sequence(stored));
        }
        Response.Status status = failed.isEmpty() ? Response.Status.OK
                : stored.isEmpty() ? Response.Status.CONFLICT : Response.Status.ACCEPTED;
        LOG.infof("receiver: STOW-RS for %s: %d instances taken, %d refused", source, stored.size(), failed.size());
        return Response.status(status).type(DICOM_JSON).entity(answer.toString()).build();
    }

    private static ObjectNode reference(String sopClass, String sop) {
        ObjectNode item = JSON.createObjectNode();
        item.set("00081150", value("UI", sopClass));
        item.set("00081155", value("UI", sop));
        return item;
    }

    private static ObjectNode value(String vr, String v) {
        ObjectNode n = JSON.createObjectNode().put("vr", vr);
        n.putArray("Value").add(v);
        return n;
    }

    private static ObjectNode us(int v) {
        ObjectNode n = JSON.createObjectNode().put("vr", "US");
        n.putArray("Value").add(v);
        return n;
    }

    private static ObjectNode sequence(ArrayNode items) {
        ObjectNode n = JSON.createObjectNode().put("vr", "SQ");
        n.set("Value", items);
        return n;
    }

    private static Response error(Response.Status status, String error, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(error, reason)).build();
    }
}
