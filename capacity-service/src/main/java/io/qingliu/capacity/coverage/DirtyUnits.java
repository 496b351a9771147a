package io.qingliu.capacity.coverage;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The units whose coverage a batch of changes may have changed, by the service concerned: a
 * sewage plant's units need recomputing only in sewage goals, a collection point's only in garbage
 * goals (a national batch of plants would otherwise recompute every village of their townships in
 * every garbage goal too). Divisions that changed are recomputed in goals of every service.
 */
public final class DirtyUnits {

    /** The key of units to recompute whatever the service. */
    static final int EVERY_SERVICE = 0;

    private final Map<Integer, Set<String>> byService = new HashMap<>();

    /** The service type ({@code ServiceType} number) a facility of this type provides, or 0 for none. */
    public static int serviceOf(int facilityType) {
        return switch (facilityType) {
            case 1 -> 1; // sewage treatment plant: sewage treatment
            case 3 -> 2; // garbage collection point: garbage collection and treatment (with its chain)
            default -> -1;
        };
    }

    /** Units served by a facility of the given type (ignored for types that serve no unit directly). */
    public void addServed(int facilityType, String code) {
        int service = serviceOf(facilityType);
        if (service > 0) {
            byService.computeIfAbsent(service, k -> new HashSet<>()).add(code);
        }
    }

    /** Units whose service of the given type changed. */
    public void addForService(int serviceType, String code) {
        byService.computeIfAbsent(serviceType, k -> new HashSet<>()).add(code);
    }

    /** Units to recompute in every goal (divisions that changed). */
    public void addForEveryService(Iterable<String> codes) {
        Set<String> all = byService.computeIfAbsent(EVERY_SERVICE, k -> new HashSet<>());
        codes.forEach(all::add);
    }

    Map<Integer, Set<String>> byService() {
        return byService;
    }
}
