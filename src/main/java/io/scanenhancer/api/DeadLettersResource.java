package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanenhancer.messaging.DeadLetterRedrive;
import io.scanenhancer.messaging.EventJson;
import io.scanenhancer.messaging.KafkaClients;
import io.scanenhancer.service.EnhancerService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code POST /dead-letters/redrive}: the body's filter read, {@link DeadLetterRedrive} does the work. */
@Path("/dead-letters")
@Tag(name = "dead-letters")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "basic")
public class DeadLettersResource {
    private static final Logger LOG = Logger.getLogger(DeadLettersResource.class);
    private static final ObjectMapper JSON = EventJson.mapper();

    @Inject
    EnhancerService service;
    @Inject
    HttpServerRequest http;

    @Schema(name = "RedriveFilter", description = "Which dead letters to send again; absent fields match all.")
    public record Filter(
            @Schema(description = "Error codes (x-error-code), e.g. [\"pacs-unavailable\"]") List<String> reason,
            @Schema(description = "Dead-lettered at or after (ISO-8601 instant)") String from,
            @Schema(description = "Dead-lettered before (ISO-8601 instant)") String to,
            @Schema(description = "Only this request") String requestId,
            @Schema(description = "Send permanent failures too (malformed, unknown study ...)") Boolean force,
            @Schema(description = "Say what would be sent; send nothing") Boolean dryRun) {
    }

    @POST
    @Path("/redrive")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send dead-lettered requests again", description = "Republishes the original request records "
            + "to the requests topic with x-redrive-count one higher. Permanent failures are refused unless forced.")
    @APIResponse(responseCode = "200", description = "what was republished and what was refused, and why")
    @APIResponse(responseCode = "400", description = "invalid filter", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "503", description = "Kafka cannot be reached", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response redrive(@RequestBody(content = @Content(schema = @Schema(implementation = Filter.class))) String body) {
        DeadLetterRedrive.Filter filter;
        try {
            filter = filter(body == null || body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body));
        } catch (IllegalArgumentException e) {
            return refused(ApiError.response(Response.Status.BAD_REQUEST, "invalid-filter", e.getMessage()), e.getMessage());
        } catch (Exception e) {
            return refused(ApiError.response(Response.Status.BAD_REQUEST, "invalid-filter", "the body is not JSON"), "not JSON");
        }
        DeadLetterRedrive.Report report;
        try {
            report = new DeadLetterRedrive(service.kafkaClients(), KafkaClients.Factory.REAL, service.settings().topics())
                    .redrive(filter);
        } catch (Exception e) {
            LOG.warnf("redrive failed: %s", e.getMessage());
            return refused(ApiError.response(Response.Status.SERVICE_UNAVAILABLE, "kafka-unavailable",
                    "the dead letters could not be read or sent again: " + e.getMessage()), "kafka-unavailable");
        }
        LOG.infof("redrive%s: %d republished, %d refused", report.dryRun() ? " (dry run)" : "",
                report.republished().size(), report.refused().size());
        if (!report.dryRun()) {
            service.audit().stateChanged(ApiCaller.of(http), "POST /dead-letters/redrive: " + report.republished().size()
                    + " republished, " + report.refused().size() + " refused",
                    report.republished().stream().map(DeadLetterRedrive.Letter::studyInstanceUid)
                            .filter(s -> s != null).toList(), null);
        }
        return Response.ok(report).build();
    }

    private Response refused(Response response, String why) {
        service.audit().stateChanged(ApiCaller.of(http), "POST /dead-letters/redrive", List.of(), why);
        return response;
    }

    static DeadLetterRedrive.Filter filter(JsonNode body) {
        if (!body.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        Set<String> codes = new LinkedHashSet<>();
        JsonNode reason = body.path("reason");
        if (reason.isArray()) {
            reason.forEach(r -> codes.add(r.asText()));
        } else if (reason.isTextual()) {
            for (String r : reason.asText().split(",")) {
                if (!r.isBlank()) {
                    codes.add(r.trim());
                }
            }
        }
        return new DeadLetterRedrive.Filter(codes, instant(body, "from"), instant(body, "to"),
                body.hasNonNull("requestId") ? body.get("requestId").asText() : null,
                body.path("force").asBoolean(false), body.path("dryRun").asBoolean(false));
    }

    private static Instant instant(JsonNode body, String field) {
        if (!body.hasNonNull(field)) {
            return null;
        }
        try {
            return Instant.parse(body.get(field).asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("field '" + field + "' is not an ISO-8601 instant such as 2024-05-01T08:00:00Z");
        }
    }
}
