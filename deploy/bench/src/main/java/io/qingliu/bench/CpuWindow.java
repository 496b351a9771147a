package io.qingliu.bench;

/** CPU used during a measured window: by the service, by this client, and by everything else. */
final class CpuWindow {
    private final Rss service;
    private double serviceCpu;
    private double clientCpu;
    private double machineCpu;
    private long t0;

    private CpuWindow(Rss service) {
        this.service = service;
    }

    static CpuWindow start(Rss service) {
        CpuWindow w = new CpuWindow(service);
        w.mark();
        return w;
    }

    /** Restarts the window now (e.g. at the end of a warm-up). */
    void mark() {
        serviceCpu = service.cpuSeconds();
        clientCpu = clientCpuSeconds();
        machineCpu = Rss.machineBusySeconds();
        t0 = System.nanoTime();
    }

    /** e.g. "CPU in % of a core: service 87, client 31, rest (PostgreSQL, other work) 60; machine busy 178 of 200". */
    String summary() {
        double secs = (System.nanoTime() - t0) / 1e9;
        double s = (service.cpuSeconds() - serviceCpu) / secs * 100;
        double c = (clientCpuSeconds() - clientCpu) / secs * 100;
        double m = (Rss.machineBusySeconds() - machineCpu) / secs * 100;
        return Report.f("CPU, %% of a core: service %.0f, client %.0f, rest (PostgreSQL, other work) %.0f; machine busy %.0f of %d",
                s, c, m - s - c, m, 100 * Runtime.getRuntime().availableProcessors());
    }

    /** CPU seconds the service used since the window started. */
    double serviceSeconds() {
        return service.cpuSeconds() - serviceCpu;
    }

    static double clientCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }
}
