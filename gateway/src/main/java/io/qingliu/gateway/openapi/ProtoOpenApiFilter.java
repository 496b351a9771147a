package io.qingliu.gateway.openapi;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.Status;
import io.qingliu.gateway.http.ProtoJson;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.media.Schema.SchemaType;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * The OpenAPI document of the routes that mirror gRPC methods, made from the protobuf
 * descriptors at startup rather than from the JAX-RS signatures (which see only strings): each
 * {@code google.api.http} binding becomes an operation with its path and query parameters, the
 * request body and the 200 answer typed as gRPC-JSON writes the messages, and the AIP-193 error
 * answers. The JAX-RS operations these replace are dropped, keeping only their header parameters
 * ({@code If-Match}); the routes that mirror no method (the progress report) stay as scanned, with
 * the error answers added.
 *
 * <p>Every {@code /api} operation requires the bearer token (security scheme {@value #BEARER}: HTTP,
 * bearer, JWT) and documents the 401 its absence gets, with {@code WWW-Authenticate}, and the 403
 * of a role or county the service refuses.
 *
 * <p>Descriptions are the proto comments (read from the sources in the jar, see
 * {@link ProtoComments}: compiled descriptors have none).
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class ProtoOpenApiFilter implements OASFilter {

    static final String ERROR = "ErrorResponse";
    /** The security scheme of the /api routes: the caller's JWT as a bearer token. */
    static final String BEARER = "bearer";
    private static final String API_PREFIX = "/api/";
    private static final String JSON = "application/json";
    private static final String EXPORT_UNITS = "/api/v1/plans/{plan}/coverageGoals/{coverageGoal}:exportUnits";

    /** The error answers every operation may give, by HTTP status; 409 only where something is written. */
    private static final Map<String, String> ERRORS = errors();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        ProtoSchemas schemas = new ProtoSchemas(ProtoComments.of(
                HttpRoute.services().stream().map(ServiceDescriptor::getFile).distinct().toList()));
        Paths paths = openAPI.getPaths() == null ? OASFactory.createPaths() : openAPI.getPaths();
        Map<String, PathItem> scanned = paths.getPathItems() == null ? Map.of() : new LinkedHashMap<>(paths.getPathItems());
        List<HttpRoute> routes = HttpRoute.all();

        // The scanned operation each route replaces, for its header parameters and summary.
        Map<HttpRoute, Operation> replaced = new LinkedHashMap<>();
        for (HttpRoute route : routes) {
            replaced.put(route, bestMatch(scanned, route));
        }
        for (Map.Entry<String, PathItem> entry : scanned.entrySet()) {
            PathItem item = entry.getValue();
            Pattern pattern = jaxRsPattern(entry.getKey());
            for (PathItem.HttpMethod verb : List.copyOf(item.getOperations().keySet())) {
                boolean mirrorsMethod = routes.stream().anyMatch(route -> route.verb().equalsIgnoreCase(verb.name())
                        && pattern.matcher(route.example()).matches());
                if (mirrorsMethod) {
                    item.setOperation(verb, null);
                } else if (entry.getKey().startsWith(API_PREFIX)) {
                    addErrors(item.getOperations().get(verb), verb != PathItem.HttpMethod.GET);
                    secure(item.getOperations().get(verb));
                }
            }
            if (item.getOperations().isEmpty()) {
                paths.removePathItem(entry.getKey());
            }
        }

        for (HttpRoute route : routes) {
            PathItem item = paths.getPathItem(route.path());
            if (item == null) {
                item = OASFactory.createPathItem();
                paths.addPathItem(route.path(), item);
            }
            item.setOperation(PathItem.HttpMethod.valueOf(route.verb().toUpperCase(Locale.ROOT)),
                    operation(route, replaced.get(route), schemas));
        }
        // The scanned template of a goal's custom methods went with the four that mirror gRPC methods;
        // the gateway's own fifth is described here.
        paths.addPathItem(EXPORT_UNITS, OASFactory.createPathItem().GET(exportUnits()));
        openAPI.setPaths(paths);

        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        errorSchemas(schemas, components);
        components.addSecurityScheme(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP)
                .scheme("bearer").bearerFormat("JWT").description("A JWT signed RS256 by Qingliu's issuer (iss qingliu) "
                        + "naming the caller (sub), its expiry (exp) and one role in groups: viewer (reads), planner "
                        + "(writes in the city), county (reads; writes facilities and projects of the county its "
                        + "claim county names) or admin. The gateway checks the token and passes it on with every "
                        + "call; the services decide what the role may do."));
        schemas.components().forEach(components::addSchema);
        openAPI.setComponents(components);
    }

    /** {@code {goal}:exportUnits}: served by the gateway itself from ListGoalUnits, so no annotation describes it. */
    private static Operation exportUnits() {
        Operation operation = OASFactory.createOperation().operationId("exportUnits").addTag("CapacityService")
                .summary("Every unit a coverage goal counts with its status as of a date, as CSV")
                .description("All pages of `qingliu.capacity.v1.CapacityService.ListGoalUnits` for the goal, streamed as "
                        + "one CSV (UTF-8 with a byte-order mark, a header row), for planning staff's spreadsheets.")
                .parameters(List.of(
                        stringPath("plan", "the plan's id"),
                        stringPath("coverageGoal", "the goal's id within the plan"),
                        stringQuery("areaCode", "a division code: only units under it (default: the goal's area)"),
                        stringQuery("asOfDate", "YYYY-MM-DD (default: today)"),
                        stringQuery("filter", "as ListGoalUnits' filter, e.g. covered = false")))
                .responses(OASFactory.createAPIResponses().addAPIResponse("200", OASFactory.createAPIResponse()
                        .description("the units as CSV, as an attachment").content(OASFactory.createContent()
                                .addMediaType("text/csv", OASFactory.createMediaType().schema(OASFactory.createSchema()
                                        .addType(SchemaType.STRING))))));
        addErrors(operation, false);
        secure(operation);
        return operation;
    }

    private static Parameter stringPath(String name, String description) {
        return OASFactory.createParameter().name(name).in(Parameter.In.PATH).required(true).description(description)
                .schema(OASFactory.createSchema().addType(SchemaType.STRING));
    }

    private static Parameter stringQuery(String name, String description) {
        return OASFactory.createParameter().name(name).in(Parameter.In.QUERY).required(false).description(description)
                .schema(OASFactory.createSchema().addType(SchemaType.STRING));
    }

    private static Operation operation(HttpRoute route, Operation scanned, ProtoSchemas schemas) {
        Descriptor input = route.method().getInputType();
        Descriptor output = route.method().getOutputType();
        Operation operation = OASFactory.createOperation().operationId(route.operationId())
                .addTag(route.method().getService().getName())
                .summary(summary(route, scanned))
                .description(schemas.described(route.method().getFullName(), "") + "\n\ngRPC `"
                        + route.method().getFullName() + "` (" + input.getFullName() + " → " + output.getFullName()
                        + "), mapped by its `google.api.http` annotation.");

        List<Parameter> parameters = new ArrayList<>();
        route.variables().forEach((name, what) -> parameters.add(OASFactory.createParameter().name(name)
                .in(Parameter.In.PATH).required(true).description(what)
                .schema(OASFactory.createSchema().addType(SchemaType.STRING))));
        if (!route.body().equals("*")) {
            for (FieldDescriptor field : input.getFields()) {
                if (route.pathFields().contains(field.getJsonName()) || field.getName().equals(route.body())) {
                    continue;
                }
                Parameter query = queryParameter(field, schemas);
                if (query != null) {
                    parameters.add(query);
                }
            }
        }
        if (scanned != null && scanned.getParameters() != null) {
            scanned.getParameters().stream().filter(p -> p.getIn() == Parameter.In.HEADER).forEach(parameters::add);
        }
        operation.setParameters(parameters);

        if (!route.body().isEmpty()) {
            var body = OASFactory.createRequestBody().required(true);
            if (route.method().isClientStreaming()) {
                // The schema is one line's: OpenAPI 3.1 has no way to say "a sequence of these".
                Content content = ndjson(requestBody(route, input, schemas));
                String description = "The request messages, streamed: one JSON object per line (NDJSON), each an "
                        + input.getFullName() + " as below; a malformed one is a 400 naming it (messages[3]...) "
                        + "and nothing is imported.";
                FieldDescriptor file = input.findFieldByName("content");
                if (file != null && file.getType() == FieldDescriptor.Type.BYTES) {
                    description += " Or the file itself as the body, with any Content-Type but JSON (text/csv, "
                            + "application/gzip...), and the request's other fields as query parameters by their "
                            + "JSON names (role=DIVISION_FILE_ROLE_DIVISIONS&validateOnly=true; a repeated field "
                            + "once per value): the gateway sends it in chunks.";
                    content.addMediaType("application/octet-stream", OASFactory.createMediaType().schema(
                            OASFactory.createSchema().addType(SchemaType.STRING).format("binary")));
                }
                body.description(description).content(content);
            } else {
                body.content(json(requestBody(route, input, schemas)));
            }
            operation.setRequestBody(body);
        }

        APIResponse ok = OASFactory.createAPIResponse().description("OK: " + output.getFullName())
                .content(json(schemas.message(output)));
        if (route.method().isServerStreaming()) {
            ok = OASFactory.createAPIResponse().description("OK: the response messages as they come, one JSON object "
                    + "per line (NDJSON), each an " + output.getFullName() + " as below; an error after the first "
                    + "line is a last line {\"error\": {...}} as the error answers write it")
                    .content(ndjson(schemas.message(output)));
        }
        if (output.findFieldByName("etag") != null) {
            ok.addHeader("ETag", OASFactory.createHeader().description("the resource's etag, quoted")
                    .schema(OASFactory.createSchema().addType(SchemaType.STRING)));
        }
        operation.setResponses(OASFactory.createAPIResponses().addAPIResponse("200", ok));
        addErrors(operation, !route.verb().equals("get"));
        secure(operation);
        return operation;
    }

    /** The body: the field the rule names, or for {@code *} the request without what the path binds. */
    private static Schema requestBody(HttpRoute route, Descriptor input, ProtoSchemas schemas) {
        if (!route.body().equals("*")) {
            return schemas.field(input.findFieldByName(route.body()));
        }
        boolean pathBindsAField = input.getFields().stream().anyMatch(f -> route.pathFields().contains(f.getJsonName()));
        if (!pathBindsAField) {
            return schemas.message(input);
        }
        Map<String, Schema> properties = new LinkedHashMap<>();
        for (FieldDescriptor field : input.getFields()) {
            if (!route.pathFields().contains(field.getJsonName())) {
                properties.put(field.getJsonName(), schemas.field(field));
            }
        }
        return OASFactory.createSchema().addType(SchemaType.OBJECT).additionalPropertiesBoolean(false)
                .description(input.getFullName() + " without the fields the path binds").properties(properties);
    }

    /**
     * A request field outside the path and body, as the gateway reads it from the query: scalars
     * as themselves, a date as {@code YYYY-MM-DD}, an enum by name or by its short form
     * ({@code county} for {@code COVERAGE_BREAKDOWN_COUNTY}), an update mask as JSON field names.
     * Other messages cannot be query parameters here; none of the requests has one.
     */
    private static Parameter queryParameter(FieldDescriptor field, ProtoSchemas schemas) {
        Schema schema;
        String description = schemas.described(field.getFullName(), "request field `" + field.getName() + "`");
        if (field.getJavaType() == FieldDescriptor.JavaType.ENUM) {
            List<Object> names = new ArrayList<>();
            String prefix = upperSnake(field.getEnumType().getName()) + "_";
            for (EnumValueDescriptor value : field.getEnumType().getValues()) {
                names.add(value.getName());
            }
            for (EnumValueDescriptor value : field.getEnumType().getValues()) {
                if (value.getName().startsWith(prefix) && !value.getName().endsWith("_UNSPECIFIED")) {
                    names.add(value.getName().substring(prefix.length()).toLowerCase(Locale.ROOT));
                }
            }
            schema = OASFactory.createSchema().addType(SchemaType.STRING).enumeration(names);
            description = sentence(description) + " `" + field.getEnumType().getFullName()
                    + "` by value name, or without its prefix `" + prefix + "` in any case.";
        } else if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            switch (field.getMessageType().getFullName()) {
                case "google.type.Date" -> {
                    schema = OASFactory.createSchema().addType(SchemaType.STRING).format("date");
                    description = sentence(description) + " Written YYYY-MM-DD.";
                }
                case "google.protobuf.FieldMask", "google.protobuf.Timestamp", "google.protobuf.Duration" ->
                    schema = schemas.single(field);
                default -> {
                    return null;
                }
            }
        } else {
            schema = schemas.field(field);
        }
        return OASFactory.createParameter().name(field.getJsonName()).in(Parameter.In.QUERY).required(false)
                .description(description).schema(schema);
    }

    private static void addErrors(Operation operation, boolean writes) {
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        ERRORS.forEach((status, description) -> {
            if ((writes || !status.equals("409")) && !responses.hasAPIResponse(status)) {
                APIResponse response = OASFactory.createAPIResponse().description(description)
                        .content(json(ProtoSchemas.ref(ERROR)));
                if (status.equals("401")) {
                    response.addHeader("WWW-Authenticate", OASFactory.createHeader()
                            .description("the challenge: Bearer realm=\"qingliu\" (with error=\"invalid_token\" when a token was refused)")
                            .schema(OASFactory.createSchema().addType(SchemaType.STRING)));
                }
                responses.addAPIResponse(status, response);
            }
        });
        operation.setResponses(responses);
    }

    /** The operation needs the bearer token. */
    private static void secure(Operation operation) {
        operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(BEARER)));
    }

    /**
     * The AIP-193 body the gateway writes for every error (http/ApiError): {@code {"error":
     * {"code", "message", "status", "details"}}}, each detail a google.rpc message with its {@code @type}.
     */
    private static void errorSchemas(ProtoSchemas schemas, Components components) {
        List<Schema> details = new ArrayList<>();
        for (Descriptor type : ProtoJson.errorDetailTypes()) {
            details.add(schemas.anyDetail(type));
        }
        List<Object> codes = new ArrayList<>();
        for (Status.Code code : Status.Code.values()) {
            codes.add(code.name());
        }
        Map<String, Schema> error = new LinkedHashMap<>();
        error.put("code", OASFactory.createSchema().addType(SchemaType.INTEGER).format("int32").description("the HTTP status"));
        error.put("message", OASFactory.createSchema().addType(SchemaType.STRING));
        error.put("status", OASFactory.createSchema().addType(SchemaType.STRING).enumeration(codes)
                .description("the gRPC code's name"));
        error.put("details", OASFactory.createSchema().addType(SchemaType.ARRAY)
                .items(OASFactory.createSchema().oneOf(details)));
        components.addSchema(ERROR + ".Error", OASFactory.createSchema().addType(SchemaType.OBJECT)
                .additionalPropertiesBoolean(false).required(List.of("code", "message", "status", "details"))
                .properties(error));
        components.addSchema(ERROR, OASFactory.createSchema().addType(SchemaType.OBJECT)
                .description("An error as AIP-193 writes it over HTTP").additionalPropertiesBoolean(false)
                .required(List.of("error")).properties(Map.of("error", ProtoSchemas.ref(ERROR + ".Error"))));
    }

    /** The scanned operation of the same verb whose path matches the route's, the most literal first. */
    private static Operation bestMatch(Map<String, PathItem> scanned, HttpRoute route) {
        Operation best = null;
        int bestLiterals = -1;
        for (Map.Entry<String, PathItem> entry : scanned.entrySet()) {
            Operation operation = entry.getValue().getOperations().entrySet().stream()
                    .filter(e -> e.getKey().name().equalsIgnoreCase(route.verb())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            int literals = entry.getKey().replaceAll("\\{[^}]+}", "").length();
            if (operation != null && literals > bestLiterals && jaxRsPattern(entry.getKey()).matcher(route.example()).matches()) {
                best = operation;
                bestLiterals = literals;
            }
        }
        return best;
    }

    /** A JAX-RS path template as a regular expression: each {@code {param}} one whole segment. */
    private static Pattern jaxRsPattern(String template) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }

    /** The JAX-RS summary when it is this method's ({@code GetFacility: ...}), else the method's name. */
    private static String summary(HttpRoute route, Operation scanned) {
        String name = route.method().getName();
        if (scanned != null && scanned.getSummary() != null && scanned.getSummary().startsWith(name)) {
            return scanned.getSummary();
        }
        return name;
    }

    private static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    private static Content ndjson(Schema schema) {
        return OASFactory.createContent().addMediaType("application/x-ndjson", OASFactory.createMediaType().schema(schema));
    }

    private static Content json(Schema schema) {
        return OASFactory.createContent().addMediaType(JSON, OASFactory.createMediaType().schema(schema));
    }

    private static String upperSnake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> errors() {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "INVALID_ARGUMENT, FAILED_PRECONDITION or OUT_OF_RANGE: a google.rpc.BadRequest names each bad field or parameter");
        errors.put("401", "UNAUTHENTICATED: no bearer token, or one malformed, forged or expired (ErrorInfo reason "
                + "TOKEN_MISSING, TOKEN_INVALID or TOKEN_EXPIRED); no service was called");
        errors.put("403", "PERMISSION_DENIED: the token's role may not make this call (ErrorInfo reason ROLE_NOT_ALLOWED), "
                + "or a county system's write to a record of another county (OTHER_COUNTY), as the service answered it");
        errors.put("404", "NOT_FOUND: no such resource (ErrorInfo from the service), or no such route (reason NO_SUCH_ROUTE)");
        errors.put("409", "ALREADY_EXISTS, or ABORTED: a stale etag");
        errors.put("500", "INTERNAL");
        errors.put("503", "UNAVAILABLE: the service named in ErrorInfo.metadata.service is down");
        errors.put("504", "DEADLINE_EXCEEDED: the service named in ErrorInfo.metadata.service did not answer in time");
        return errors;
    }
}
