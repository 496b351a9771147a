package io.qingliu.gateway.openapi;

import com.google.protobuf.Descriptors.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The leading {@code //} comments of proto elements, for the document's descriptions. Compiled
 * descriptors drop comments, so they are read from the {@code .proto} sources the build copies
 * into the jar under {@code proto/} (the same files the stubs are generated from), found by each
 * descriptor's file name. This reads the layout the contract keeps (one declaration a line,
 * comments right above it), not every proto a parser would accept; what it cannot place it skips.
 *
 * <p>Keys are full names: {@code qingliu.project.v1.Project}, its field
 * {@code qingliu.project.v1.Project.display_name}, an enum value under its enum
 * ({@code qingliu.project.v1.ProjectState.PROJECT_STATE_PLANNED}), a method under its service.
 */
final class ProtoComments {

    private static final Pattern DECLARATION = Pattern.compile("^(message|enum|service|oneof)\\s+(\\w+)");
    private static final Pattern RPC = Pattern.compile("^rpc\\s+(\\w+)");
    private static final Pattern FIELD = Pattern.compile(
            "^(?:repeated\\s+|optional\\s+)?(?:map\\s*<[^>]+>|[\\w.]+)\\s+(\\w+)\\s*=\\s*\\d+");
    private static final Pattern ENUM_VALUE = Pattern.compile("^(\\w+)\\s*=\\s*-?\\d+");
    private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");

    private final Map<String, String> comments = new HashMap<>();

    /** The comments of these files and of the files they import, where the jar has their sources. */
    static ProtoComments of(Collection<FileDescriptor> files) {
        ProtoComments comments = new ProtoComments();
        Set<String> seen = new HashSet<>();
        Deque<FileDescriptor> todo = new ArrayDeque<>(files);
        while (!todo.isEmpty()) {
            FileDescriptor file = todo.pop();
            if (seen.add(file.getName())) {
                comments.read(file);
                todo.addAll(file.getDependencies());
            }
        }
        return comments;
    }

    /** The comment of the element of that full name, or null. */
    String of(String fullName) {
        return comments.get(fullName);
    }

    private void read(FileDescriptor file) {
        String source;
        try (InputStream in = ProtoComments.class.getClassLoader().getResourceAsStream("proto/" + file.getName())) {
            if (in == null) {
                return; // an imported file the contract does not own (google/...): no prose
            }
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return;
        }
        // Each open brace's scope: a named message, enum or service (its kind and full name), or null.
        Deque<String[]> scopes = new ArrayDeque<>();
        List<String> pending = new ArrayList<>();
        String pkg = file.getPackage();
        for (String raw : source.split("\n")) {
            String line = raw.trim();
            if (line.startsWith("//")) {
                pending.add(line.substring(2).startsWith(" ") ? line.substring(3) : line.substring(2));
                continue;
            }
            if (line.isEmpty()) {
                pending.clear();
                continue;
            }
            String code = STRING.matcher(line).replaceAll("\"\"");
            int comment = code.indexOf("//");
            if (comment >= 0) {
                code = code.substring(0, comment).trim();
            }
            String[] opened = null;
            String[] scope = innermostNamed(scopes);
            Matcher declaration = DECLARATION.matcher(code);
            Matcher rpc = RPC.matcher(code);
            if (declaration.find()) {
                String kind = declaration.group(1);
                if (kind.equals("oneof")) {
                    opened = new String[] {"oneof", scope == null ? pkg : scope[1]};
                } else {
                    String name = (scope == null ? pkg : scope[1]) + "." + declaration.group(2);
                    put(name, pending);
                    opened = new String[] {kind, name};
                }
            } else if (scope != null && rpc.find()) {
                put(scope[1] + "." + rpc.group(1), pending);
            } else if (scope != null && (scope[0].equals("message") || scope[0].equals("oneof"))) {
                Matcher field = FIELD.matcher(code);
                if (field.find()) {
                    put(scope[1] + "." + field.group(1), pending);
                }
            } else if (scope != null && scope[0].equals("enum")) {
                Matcher value = ENUM_VALUE.matcher(code);
                if (value.find()) {
                    put(scope[1] + "." + value.group(1), pending);
                }
            }
            pending.clear();
            for (char c : code.toCharArray()) {
                if (c == '{') {
                    scopes.push(opened == null ? new String[0] : opened);
                    opened = null;
                } else if (c == '}' && !scopes.isEmpty()) {
                    scopes.pop();
                }
            }
        }
    }

    private static String[] innermostNamed(Deque<String[]> scopes) {
        // An option's braces (google.api.http) sit inside an rpc's; look past unnamed ones.
        for (String[] scope : scopes) {
            if (scope.length > 0) {
                return scope;
            }
        }
        return null;
    }

    private void put(String name, List<String> lines) {
        if (!lines.isEmpty()) {
            comments.put(name, String.join("\n", lines).trim());
        }
    }
}
