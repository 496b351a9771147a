package io.qingliu.bench;

import com.google.type.Date;
import io.qingliu.api.common.v1.DischargeStandard;
import io.qingliu.api.common.v1.FacilityType;
import io.qingliu.api.project.v1.Facility;
import io.qingliu.api.project.v1.Project;
import io.qingliu.api.project.v1.ProjectImportEntry;
import io.qingliu.api.project.v1.ProjectKind;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;

/**
 * The bench's synthetic programme: new-build sewage plants spread uniformly over the national
 * township-level units of the official list, generated from a fixed seed so that every run
 * imports the same rows.
 */
final class Workload {
    static final String PLAN_CODE = "ZY-2018-2020";

    record Township(String code, String name, String countyCode, String countyName) {
    }

    final List<Township> townships = new ArrayList<>();

    /** Reads the township list (streets.csv.gz) and county names (areas.csv.gz). */
    static Workload load(Path divisionsDir) throws IOException {
        Map<String, String> countyNames = new HashMap<>();
        for (String[] r : csv(divisionsDir.resolve("areas.csv.gz"))) {
            countyNames.put(r[0], r[1]);
        }
        Workload w = new Workload();
        for (String[] r : csv(divisionsDir.resolve("streets.csv.gz"))) {
            // streets.csv: code,name,areaCode,provinceCode,cityCode; 9-digit codes → 12 digits.
            String code = pad12(r[0]);
            if (code.length() == 12 && code.endsWith("000")) {
                w.townships.add(new Township(code, r[1], pad12(r[2]), countyNames.getOrDefault(r[2], "")));
            }
        }
        if (w.townships.isEmpty()) {
            throw new IOException("no township found in " + divisionsDir.resolve("streets.csv.gz"));
        }
        return w;
    }

    /** Keeps only the townships whose codes are in active (the service's own list); returns how many were dropped. */
    int retain(java.util.Set<String> active) {
        int before = townships.size();
        townships.removeIf(t -> !active.contains(t.code()));
        if (townships.isEmpty()) {
            throw new IllegalStateException("none of the file's townships is an active division of the service");
        }
        return before - townships.size();
    }

    /**
     * The village-level units of villages.csv.gz whose codes are in active (the service's own
     * list), by the code of their township, in file order.
     */
    static Map<String, List<String>> villagesByTownship(Path divisionsDir, java.util.Set<String> active) throws IOException {
        Map<String, List<String>> out = new HashMap<>();
        // villages.csv: code,name,streetCode,provinceCode,cityCode,areaCode; 12-digit codes.
        // Streamed: 620,000 rows held as arrays would take a few hundred MiB.
        eachRow(divisionsDir.resolve("villages.csv.gz"), r -> {
            String code = pad12(r[0]);
            if (active.contains(code)) {
                out.computeIfAbsent(pad12(r[2]), k -> new ArrayList<>()).add(code);
            }
        });
        return out;
    }

    static String pad12(String code) {
        StringBuilder sb = new StringBuilder(code);
        while (sb.length() < 12) {
            sb.append('0');
        }
        return sb.toString();
    }

    /** The i-th import entry of the run (deterministic in seed and i). */
    ProjectImportEntry entry(long seed, int i) {
        SplittableRandom r = new SplittableRandom(seed * 1_000_003L + i);
        Township t = townships.get(r.nextInt(townships.size()));
        double capacity = 500 + r.nextInt(19_501); // 500–20,000 t/d, whole tonnes
        String plant = t.name() + "污水处理厂";
        Facility facility = Facility.newBuilder()
                .setDisplayName(plant + " " + (i + 1) + "号")
                .setType(FacilityType.FACILITY_TYPE_SEWAGE_TREATMENT_PLANT)
                .setLocationCode(t.code())
                .addServedDivisionCodes(t.code())
                .setCapacityTonnesPerDay(capacity)
                .setDischargeStandard(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B)
                .build();
        Project project = Project.newBuilder()
                .setDisplayName(plant + " " + (i + 1) + "号新建工程")
                .setKind(ProjectKind.PROJECT_KIND_NEW_BUILD)
                .setPlanCode(PLAN_CODE)
                .setCapacityAfterTonnesPerDay(capacity)
                .setStandardAfter(DischargeStandard.DISCHARGE_STANDARD_GB18918_CLASS_1B)
                .setPlannedStartDate(date(2019, r))
                .setPlannedCompletionDate(date(2020, r))
                .setPlannedCommissioningDate(date(2021, r))
                // about 3,000 yuan of investment per t/d, in fen
                .setInvestmentFen((long) capacity * (2_500 + r.nextInt(1_000)) * 100)
                .setResponsibleUnit(t.countyName().isEmpty() ? "住房和城乡建设局" : t.countyName() + "住房和城乡建设局")
                .build();
        return ProjectImportEntry.newBuilder().setProject(project).setNewFacility(facility).build();
    }

    private static Date date(int year, SplittableRandom r) {
        return Date.newBuilder().setYear(year).setMonth(1 + r.nextInt(12)).setDay(1 + r.nextInt(28)).build();
    }

    /** Rows of a gzip CSV with a header line; fields may be double-quoted. */
    static List<String[]> csv(Path gz) throws IOException {
        List<String[]> rows = new ArrayList<>();
        eachRow(gz, rows::add);
        return rows;
    }

    /** Passes each row of a gzip CSV with a header line to the consumer, without holding the file. */
    static void eachRow(Path gz, java.util.function.Consumer<String[]> row) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(gz), 1 << 16), StandardCharsets.UTF_8))) {
            String line = in.readLine(); // header
            while ((line = in.readLine()) != null) {
                if (!line.isBlank()) {
                    row.accept(split(line));
                }
            }
        }
    }

    private static String[] split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }
}
