package io.scanenhancer.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The body of every 4xx/5xx answer: a short code and a reason a person can act on. */
public record ApiError(String error, String reason) {

    static Response response(Response.Status status, String error, String reason) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(error, reason)).build();
    }
}
