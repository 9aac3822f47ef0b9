package io.scanenhancer.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.security.SecuritySchemes;

/** The OpenAPI document's title and the two ways to authenticate ({@link ApiAuthFilter}). */
@OpenAPIDefinition(info = @Info(title = "Scan Enhancer API", version = "0.1.0",
        description = "Queue DICOM studies for AI super-resolution (NOT FOR DIAGNOSTIC USE) and follow the jobs."))
@SecuritySchemes({
        @SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer"),
        @SecurityScheme(securitySchemeName = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")})
public class ApiApplication extends Application {
}
