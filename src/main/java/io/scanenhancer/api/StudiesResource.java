package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.InvalidRequestException;
import io.scanenhancer.messaging.RequestParser;
import io.scanenhancer.messaging.StudyRequest;
import io.scanenhancer.tracing.Tracing;
import io.opentelemetry.context.Scope;
import io.scanenhancer.service.EnhancerService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.UUID;

/** {@code POST /studies/{uid}/enhance}: the Kafka request, sent over HTTP; validated the same way, then published. */
@Path("/studies")
@Tag(name = "studies")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "basic")
public class StudiesResource {
    private static final Logger LOG = Logger.getLogger(StudiesResource.class);
    private static final ObjectMapper JSON = EventJson.mapper();

    @Inject
    RequestPublisher publisher;
    @Inject
    JobTracker tracker;
    @Inject
    EnhancerService service;
    @Inject
    HttpServerRequest http;

    /**
     * The request body: the request event's fields with the same bounds as study-requested.schema.json (a test compares
     * them field by field), except that studyInstanceUid comes from the path, operation is implied and count, spacing, renderer (synthesize
     * only) is not taken. Documentation only: the body is parsed by the Kafka path's RequestParser.
     */
    @Schema(name = "EnhanceRequest", description = "Fields of the Kafka request event (study-requested.schema.json); "
            + "requestId is optional (a UUID is assigned), studyInstanceUid comes from the path (if given it must be the "
            + "same), operation may only be enhance. Unknown fields are ignored.", requiredProperties = {"sourcePacs", "targetPacs"})
    public record EnhanceRequest(
            @Schema(minLength = 1, maxLength = 200, description = "Caller's id, echoed in the result; default a UUID.")
            String requestId,
            @Schema(pattern = UID_PATTERN, maxLength = 64, description = "Optional: the study of the path.")
            String studyInstanceUid,
            @Schema(maxItems = 1000, description = "Series to enhance; absent = every series of the study.")
            java.util.List<Uid> seriesInstanceUids,
            @Schema(minLength = 1, description = "Configured PACS name to retrieve from.")
            String sourcePacs,
            @Schema(minLength = 1, description = "Configured PACS name to store the derived series into.")
            String targetPacs,
            @Schema(enumeration = {"enhance"}, description = "Implied; only enhance is taken here.")
            String operation,
            @Schema(minimum = "2", maximum = "2", defaultValue = "2", description = "Enhancement factor; 2 is the one supported.")
            Integer scale,
            SamplerSettings sampler,
            @Schema(description = "Noise seed, so that a request can be reproduced exactly.")
            Long seed,
            @Schema(minimum = "2", maximum = "64", description = "Draw this many posterior samples: the derived series holds "
                    + "their mean and a second derived series their per-pixel standard deviation. Needs the diffusion model.")
            Integer uncertainty,
            @Schema(minimum = "1", maximum = "64", description = "Slices per enhancer call; absent = enhancer.batch.size.")
            Integer batchSize,
            @Schema(enumeration = {"area", "kspace"}, description = "How the input was made: area (resampled after "
                    + "reconstruction; bicubic) or kspace (a low-matrix MR acquisition; zero-filled interpolation). The model "
                    + "runs only for the degradations it was trained for; otherwise the classical interpolation, marked as a "
                    + "fall-back. Absent = area.")
            String degradation) {
    }

    /** The request's sampler object. */
    @Schema(name = "SamplerSettings", description = "Diffusion sampler settings; absent fields = the model's defaults.")
    public record SamplerSettings(
            @Schema(enumeration = {"ddim", "ddpm"}) String name,
            @Schema(minimum = "1", maximum = "1000") Integer steps,
            @Schema(minimum = "1", maximum = "64", description = "More than one gives a posterior mean and an uncertainty map.")
            Integer samples,
            @Schema(minimum = "0", exclusiveMinimum = true, maximum = "1", description = "Fraction of the noise schedule to run.")
            Double strength) {
    }

    static final String UID_PATTERN = "^[0-9]+(\\.[0-9]+)*$";

    /** A DICOM UID in the document (a JSON string); the type only names the schema. */
    @Schema(name = "Uid", type = org.eclipse.microprofile.openapi.annotations.enums.SchemaType.STRING, pattern = UID_PATTERN,
            maxLength = 64, description = "A DICOM UID: digits and dots.")
    public record Uid(String value) {
    }

    @POST
    @Path("/{uid}/enhance")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Queue a study for enhancement", description = "Publishes the request to the requests topic; "
            + "the job id is the request id. Poll the Location for status and progress.")
    @APIResponse(responseCode = "202", description = "queued", content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "400", description = "invalid request, with the reason", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "missing or wrong credentials", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "the requests topic cannot be reached", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response enhance(@PathParam("uid") String studyUid,
                            @RequestBody(content = @Content(schema = @Schema(implementation = EnhanceRequest.class))) String body,
                            @jakarta.ws.rs.core.Context HttpHeaders headers) {
        ObjectNode request;
        try {
            JsonNode n = body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
            if (!(n instanceof ObjectNode o)) {
                return bad("invalid-request", "the body must be a JSON object");
            }
            request = o;
        } catch (Exception e) {
            return bad("invalid-request", "the body is not JSON");
        }
        JsonNode inBody = request.get("studyInstanceUid");
        if (inBody != null && !studyUid.equals(inBody.asText())) {
            return bad("invalid-request", "field 'studyInstanceUid' differs from the study in the path; leave it out");
        }
        JsonNode op = request.get("operation");
        if (op != null && !StudyRequest.OPERATION_ENHANCE.equals(op.asText())) {
            return bad("invalid-request", "unsupported operation '" + op.asText() + "' (this endpoint enhances)");
        }
        request.put("studyInstanceUid", studyUid);
        request.put("operation", StudyRequest.OPERATION_ENHANCE);
        if (request.get("requestId") == null || request.get("requestId").isNull()) {
            request.put("requestId", UUID.randomUUID().toString());
        }
        StudyRequest parsed;
        try {
            parsed = new RequestParser(JSON).parse(request.toString());
        } catch (InvalidRequestException e) {
            return bad("invalid-request", e.getMessage());
        }
        // the request record carries the caller's traceparent (W3C trace context) on to the job
        try (Scope ignored = Tracing.callerContext(headers::getHeaderString)) {
            parsed = publisher.queue(parsed, ApiCaller.of(http), "rest");
        } catch (RequestPublisher.RefusedException e) {
            if (e.getCause() != null) {
                LOG.warnf("request %s not published: %s", parsed.requestId(), e.getCause().getMessage());
            }
            return ApiError.response(e.status(), e.error(), e.getMessage());
        }
        LOG.infof("request %s for study %s queued over REST", parsed.requestId(), parsed.studyInstanceUid());
        return Response.accepted(tracker.find(parsed.requestId()).orElseThrow())
                .location(URI.create("/jobs/" + parsed.requestId())).build();
    }

    /** A request refused before it reached the publisher: audited here, as the publisher audits its own refusals. */
    private Response bad(String error, String reason) {
        service.audit().request(ApiCaller.of(http), "rest request", null, error + ": " + reason);
        return ApiError.response(Response.Status.BAD_REQUEST, error, reason);
    }
}
