package io.scanenhancer.api;

import io.scanenhancer.service.EnhancerService;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * Bearer token or HTTP basic, whichever is configured, for the REST resources only (health and OpenAPI are Vert.x
 * routes and stay open for probes). Fails closed: enabled without any credential configured refuses every call and
 * says so.
 */
@Provider
public class ApiAuthFilter implements ContainerRequestFilter {
    @Inject
    ApiConfig config;
    @Inject
    EnhancerService service;
    @Inject
    HttpServerRequest http;

    @Override
    public void filter(ContainerRequestContext request) {
        if (!config.authEnabled()) {
            return;
        }
        Optional<String> token = config.token();
        Optional<String> user = config.username();
        if (token.isEmpty() && user.isEmpty()) {
            refuse(request, "API authentication is enabled but no credential is configured "
                    + "(set ENHANCER_API_TOKEN, or enhancer.api.auth.username and password)");
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            refuse(request, "missing Authorization header (" + schemes(token.isPresent(), user.isPresent()) + ")");
            return;
        }
        if (token.isPresent() && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (same(header.substring(7).trim(), token.get())) {
                return;
            }
            refuse(request, "wrong bearer token");
            return;
        }
        if (user.isPresent() && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            String expected = user.get() + ":" + config.password().orElse("");
            String given;
            try {
                given = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                refuse(request, "malformed basic credentials");
                return;
            }
            if (same(given, expected)) {
                return;
            }
            refuse(request, "wrong user name or password");
            return;
        }
        refuse(request, "unsupported Authorization scheme (" + schemes(token.isPresent(), user.isPresent()) + ")");
    }

    private static String schemes(boolean bearer, boolean basic) {
        return bearer && basic ? "use Bearer or Basic" : bearer ? "use Bearer" : "use Basic";
    }

    /** Constant time, so that response times do not leak how much of a guess was right. */
    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private void refuse(ContainerRequestContext request, String reason) {
        service.audit().authenticationRefused(ApiCaller.of(http), request.getMethod() + " "
                + request.getUriInfo().getPath() + ": " + reason);
        String challenge = config.token().isPresent()
                ? "Bearer realm=\"scan-enhancer\"" : "Basic realm=\"scan-enhancer\"";
        request.abortWith(Response.fromResponse(ApiError.response(Response.Status.UNAUTHORIZED, "unauthorized", reason))
                .header(HttpHeaders.WWW_AUTHENTICATE, challenge).build());
    }
}
