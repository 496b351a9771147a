package io.qingliu.gateway.openapi;

import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.qingliu.api.capacity.v1.CapacityServiceProto;
import io.qingliu.api.project.v1.ProjectServiceProto;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP binding of a gRPC method, as its {@code google.api.http} annotation writes it, with
 * the template turned into an OpenAPI path: {@code /api/v1/{goal=plans/*}/coverageGoals/*}:x}
 * becomes {@code /api/v1/plans/{plan}/coverageGoals/{coverageGoal}:x}, each {@code *} named
 * after the collection before it.
 *
 * @param verb       lower case, as OpenAPI names it ({@code get}, {@code post} ...)
 * @param path       the OpenAPI path template
 * @param pathFields request fields bound by the path (their top-level JSON names), in order
 * @param variables  each path parameter: its name and what it is, for the description
 * @param body       the rule's body: empty (none), {@code *} (the whole request) or a field name
 */
public record HttpRoute(MethodDescriptor method, String verb, String path, List<String> pathFields,
        Map<String, String> variables, String body) {

    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z0-9_.]+)(?:=([^}]+))?}");

    /** The services the gateway fronts. A method added to either is picked up from its descriptor. */
    static List<ServiceDescriptor> services() {
        List<ServiceDescriptor> services = new ArrayList<>();
        for (FileDescriptor file : List.of(ProjectServiceProto.getDescriptor(), CapacityServiceProto.getDescriptor())) {
            services.addAll(file.getServices());
        }
        return services;
    }

    /** Every binding of every annotated method (additional bindings included). */
    public static List<HttpRoute> all() {
        List<HttpRoute> routes = new ArrayList<>();
        for (ServiceDescriptor service : services()) {
            for (MethodDescriptor method : service.getMethods()) {
                if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                    continue;
                }
                HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
                routes.add(of(method, rule));
                for (HttpRule additional : rule.getAdditionalBindingsList()) {
                    routes.add(of(method, additional));
                }
            }
        }
        return routes;
    }

    static HttpRoute of(MethodDescriptor method, HttpRule rule) {
        String verb;
        String template;
        switch (rule.getPatternCase()) {
            case GET -> { verb = "get"; template = rule.getGet(); }
            case POST -> { verb = "post"; template = rule.getPost(); }
            case PATCH -> { verb = "patch"; template = rule.getPatch(); }
            case PUT -> { verb = "put"; template = rule.getPut(); }
            case DELETE -> { verb = "delete"; template = rule.getDelete(); }
            case CUSTOM -> { verb = rule.getCustom().getKind().toLowerCase(Locale.ROOT); template = rule.getCustom().getPath(); }
            default -> throw new IllegalStateException(method.getFullName() + ": an HTTP rule without a pattern");
        }
        List<String> pathFields = new ArrayList<>();
        Map<String, String> variables = new LinkedHashMap<>();
        Matcher m = VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String fieldPath = m.group(1);
            String pattern = m.group(2) == null ? "*" : m.group(2);
            pathFields.add(jsonName(fieldPath.split("\\.")[0]));
            String[] segments = pattern.split("/");
            for (int i = 0; i < segments.length; i++) {
                if (segments[i].startsWith("*")) {
                    String name = i > 0 ? singular(segments[i - 1]) : jsonName(last(fieldPath));
                    variables.put(name, "`" + fieldPath + "` is `" + pattern + "`: this is the id after `"
                            + (i > 0 ? segments[i - 1] + "/" : "") + "`");
                    segments[i] = "{" + name + "}";
                }
            }
            m.appendReplacement(path, Matcher.quoteReplacement(String.join("/", segments)));
        }
        m.appendTail(path);
        return new HttpRoute(method, verb, path.toString(), List.copyOf(pathFields), variables, rule.getBody());
    }

    /** The path with every parameter filled in, to match it against the JAX-RS routes. */
    String example() {
        return path.replaceAll("\\{[^}]+}", "x");
    }

    /** {@code ProjectService.GetFacility}. */
    String operationId() {
        return method.getService().getName() + "." + method.getName();
    }

    private static String singular(String collection) {
        if (collection.endsWith("ies")) {
            return collection.substring(0, collection.length() - 3) + "y";
        }
        return collection.endsWith("s") ? collection.substring(0, collection.length() - 1) : collection;
    }

    private static String last(String fieldPath) {
        return fieldPath.substring(fieldPath.lastIndexOf('.') + 1);
    }

    /** A proto field name as JSON names it (protoc's rule: drop each underscore, upper-case what follows). */
    static String jsonName(String protoName) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : protoName.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }
}
