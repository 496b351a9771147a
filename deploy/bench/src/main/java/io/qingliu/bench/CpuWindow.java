package io.qingliu.bench;

import java.util.List;

/** CPU used during a measured window: by the service(s), by this client, and by everything else. */
final class CpuWindow {
    private final List<String> labels;
    private final List<Rss> processes;
    private final double[] processCpu;
    private double clientCpu;
    private double machineCpu;
    private long t0;

    private CpuWindow(List<String> labels, List<Rss> processes) {
        this.labels = labels;
        this.processes = processes;
        this.processCpu = new double[processes.size()];
    }

    static CpuWindow start(Rss service) {
        return start(List.of("service"), List.of(service));
    }

    /** A window over several processes, each named in the summary by its label (the first is "the service"). */
    static CpuWindow start(List<String> labels, List<Rss> processes) {
        CpuWindow w = new CpuWindow(List.copyOf(labels), List.copyOf(processes));
        w.mark();
        return w;
    }

    /** Restarts the window now (e.g. at the end of a warm-up). */
    void mark() {
        for (int i = 0; i < processes.size(); i++) {
            processCpu[i] = processes.get(i).cpuSeconds();
        }
        clientCpu = clientCpuSeconds();
        machineCpu = Rss.machineBusySeconds();
        t0 = System.nanoTime();
    }

    /** e.g. "CPU in % of a core: service 87, client 31, rest (PostgreSQL, other work) 60; machine busy 178 of 200". */
    String summary() {
        double secs = (System.nanoTime() - t0) / 1e9;
        StringBuilder sb = new StringBuilder("CPU, % of a core:");
        double known = 0;
        for (int i = 0; i < processes.size(); i++) {
            double s = (processes.get(i).cpuSeconds() - processCpu[i]) / secs * 100;
            known += s;
            sb.append(Report.f(" %s %.0f,", labels.get(i), s));
        }
        double c = (clientCpuSeconds() - clientCpu) / secs * 100;
        double m = (Rss.machineBusySeconds() - machineCpu) / secs * 100;
        return sb.append(Report.f(" client %.0f, rest (PostgreSQL, other work) %.0f; machine busy %.0f of %d",
                c, m - known - c, m, 100 * Runtime.getRuntime().availableProcessors())).toString();
    }

    /** CPU seconds the first process used since the window started. */
    double serviceSeconds() {
        return processes.get(0).cpuSeconds() - processCpu[0];
    }

    static double clientCpuSeconds() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime() / 1e9;
        }
        return Double.NaN;
    }
}
