package io.scanenhancer.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.util.Optional;

/** {@code GET /jobs/{id}} (status and progress) and {@code GET /jobs/{id}/preview.png} (before/after sheet). */
@Path("/jobs")
@Tag(name = "jobs")
@SecurityRequirement(name = "bearer")
@SecurityRequirement(name = "basic")
public class JobsResource {
    private static final Logger LOG = Logger.getLogger(JobsResource.class);

    @Inject
    JobTracker tracker;
    @Inject
    PreviewRenderer previews;

    @GET
    @Path("/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Status of a job, with slices retrieved, enhanced and stored of the total")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobView.class)))
    @APIResponse(responseCode = "404", description = "unknown job id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response job(@PathParam("id") String id) {
        Optional<JobView> job = tracker.find(id);
        return job.map(j -> Response.ok(j).build()).orElseGet(() -> notFound(id));
    }

    @GET
    @Path("/{id}/preview.png")
    @Produces({"image/png", MediaType.APPLICATION_JSON})
    @Operation(summary = "Before/after sheet of a finished job: middle source slice beside its derived slice")
    @APIResponse(responseCode = "200", content = @Content(mediaType = "image/png"))
    @APIResponse(responseCode = "404", description = "unknown job id", content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "409", description = "the job has not succeeded (yet)", content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response preview(@PathParam("id") String id) {
        Optional<JobView> job = tracker.find(id);
        if (job.isEmpty()) {
            return notFound(id);
        }
        Optional<JsonNode> result = tracker.result(id).filter(r -> "succeeded".equals(r.path("status").asText()));
        if (result.isEmpty()) {
            return ApiError.response(Response.Status.CONFLICT, "not-ready",
                    "job " + id + " is " + job.get().status() + "; a preview exists once it has succeeded");
        }
        try {
            return Response.ok(previews.render(id, result.get()), "image/png").build();
        } catch (Exception e) {
            LOG.warnf("preview of job %s failed: %s", id, e.getMessage());
            return ApiError.response(Response.Status.BAD_GATEWAY, "preview-unavailable",
                    "the slices could not be fetched from the PACS: " + e.getMessage());
        }
    }

    private static Response notFound(String id) {
        return ApiError.response(Response.Status.NOT_FOUND, "unknown-job", "no job " + id
                + " (ids are request ids; jobs older than enhancer.api.jobs-lookback are forgotten)");
    }
}
