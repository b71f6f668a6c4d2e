package io.hawser.console.common.api;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI description of the REST API, served at {@code /api/openapi.json} (springdoc, settings in
 * application.properties; docs/api.md). springdoc finds every {@code @RestController} under {@code /api/**} by itself,
 * so endpoints added later appear without touching this class. Here: the security schemes (HTTP basic now; bearer for
 * the API tokens of the RBAC issue) and the error answers every endpoint may give, as {@link ApiErrors} writes them.
 */
@Configuration
class OpenApiConfiguration {

    static final String BASIC = "basicAuth";
    static final String BEARER = "bearerAuth";
    static final String ERROR = "Error";

    @Bean
    OpenAPI hawserOpenApi() {
        Schema<?> error = new ObjectSchema().description("Every error answer: dockerd's shape")
                .addProperty("message", new StringSchema().description("what went wrong, for people"))
                .addRequiredItem("message");
        return new OpenAPI()
                .info(new Info().title("Hawser console API").version("1")
                        .description("Hosts, containers, images and events of the fleet, for scripts. "
                                + "Every request authenticates; what it may see and do is decided per host by the "
                                + "caller's team roles. Errors are {\"message\": ...}. See docs/api.md."))
                .components(new Components()
                        .addSecuritySchemes(BASIC, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                                .description("a console user's name and password"))
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("an API token (created by a user in the console)"))
                        .addSchemas(ERROR, error))
                .addSecurityItem(new SecurityRequirement().addList(BASIC))
                .addSecurityItem(new SecurityRequirement().addList(BEARER));
    }

    /** The errors any endpoint may answer, with the {@code {"message"}} body, unless the endpoint says otherwise. */
    @Bean
    OpenApiCustomizer errorResponses() {
        Map<String, String> common = Map.of(
                "400", "bad parameters",
                "401", "no or wrong credentials",
                "403", "the caller's role on the host does not allow this",
                "404", "no such object, or not the caller's to see",
                "500", "internal error");
        return api -> {
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().values().forEach(path -> path.readOperations().forEach(op -> {
                ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
                common.forEach((code, description) -> {
                    ApiResponse r = responses.get(code);
                    if (r == null) {
                        r = new ApiResponse().description(description);
                        responses.addApiResponse(code, r);
                    }
                    r.setContent(errorContent());
                });
                responses.forEach((code, r) -> {
                    if (code.startsWith("4") || code.startsWith("5")) {
                        r.setContent(errorContent());
                    }
                });
                op.setResponses(responses);
            }));
        };
    }

    private static Content errorContent() {
        return new Content().addMediaType("application/json",
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR)));
    }
}
