package io.qingliu.kit.support;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.FieldMask;
import com.google.protobuf.Message;
import io.qingliu.kit.grpc.Violations;
import java.util.LinkedHashSet;
import java.util.Set;

/** AIP-134 update masks over the top-level fields of a resource. */
public final class Masks {

    private Masks() {
    }

    /**
     * The fields to update. {@code *} means every updatable field; an empty mask means the
     * updatable fields the request populates. A path that names no updatable field is a
     * violation of {@code update_mask}.
     */
    public static Set<String> resolve(FieldMask mask, Message resource, Set<String> updatable, Violations v) {
        Set<String> paths = new LinkedHashSet<>();
        if (mask.getPathsCount() == 0) {
            for (FieldDescriptor fd : resource.getDescriptorForType().getFields()) {
                if (updatable.contains(fd.getName()) && isPopulated(resource, fd)) {
                    paths.add(fd.getName());
                }
            }
            return paths;
        }
        for (String path : mask.getPathsList()) {
            if (path.equals("*")) {
                paths.addAll(updatable);
            } else if (updatable.contains(path)) {
                paths.add(path);
            } else {
                v.add("update_mask", "'" + path + "' is not an updatable field; updatable: " + String.join(", ", updatable));
            }
        }
        return paths;
    }

    /** Copies the named fields from {@code source} into {@code target}, clearing those the source leaves unset. */
    public static void copy(Set<String> paths, Message source, Message.Builder target) {
        for (String path : paths) {
            FieldDescriptor fd = source.getDescriptorForType().findFieldByName(path);
            target.clearField(fd);
            if (isPopulated(source, fd)) {
                target.setField(fd, source.getField(fd));
            }
        }
    }

    private static boolean isPopulated(Message m, FieldDescriptor fd) {
        return fd.isRepeated() ? m.getRepeatedFieldCount(fd) > 0 : m.hasField(fd);
    }
}
