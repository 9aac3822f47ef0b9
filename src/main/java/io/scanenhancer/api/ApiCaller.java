package io.scanenhancer.api;

import io.scanenhancer.audit.AuditParticipant;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The REST caller as an audit participant: the basic-auth user name, "bearer-token" for a token (it names no one),
 * "anonymous" without credentials; the client's address as network access point.
 */
final class ApiCaller {
    private ApiCaller() {
    }

    static AuditParticipant of(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        String user = "anonymous";
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            user = "bearer-token";
        } else if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                user = pair.contains(":") ? pair.substring(0, pair.indexOf(':')) : pair;
            } catch (IllegalArgumentException e) {
                user = "malformed-basic-credentials";
            }
        }
        String host = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return new AuditParticipant(user, null, true, host, null);
    }
}
