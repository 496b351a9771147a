package io.qingliu.gateway.coverage;

import com.google.type.Date;
import io.qingliu.api.capacity.v1.CapacityServiceGrpc.CapacityServiceBlockingStub;
import io.qingliu.api.capacity.v1.GoalUnit;
import io.qingliu.api.capacity.v1.GoalUnitStatus;
import io.qingliu.api.capacity.v1.ListGoalUnitsRequest;
import io.qingliu.api.capacity.v1.ListGoalUnitsResponse;
import io.qingliu.api.common.v1.DivisionKind;
import io.qingliu.gateway.downstream.Calls;
import io.qingliu.gateway.downstream.Service;
import io.qingliu.gateway.http.InvalidParameterException;
import io.qingliu.gateway.http.Params;
import io.qingliu.gateway.report.CsvReport;
import io.quarkus.grpc.GrpcClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * {@code {goal}:exportUnits}: every unit of a goal with its status on a date, as CSV (UTF-8 with
 * BOM, RFC 4180; columns code, name, kind, county, township, basin, covered, covered_since). The
 * body streams: ListGoalUnits is asked page by page while the rows are written, so the gateway
 * holds two pages (the one it writes, the next one it fetches meanwhile), never the list.
 *
 * <p>The first page is fetched before the first byte, so that an unknown goal or a bad area, date
 * or filter is a proper 4xx; a failure on a later page can only cut the body short. Every page is
 * asked for the date the first answer resolved. Each page reads its own snapshot: the
 * {@code Qingliu-Feed-Sequence} header is the first page's, and a change applied by the feed
 * while the export runs shows in the pages written after it (the log names the last sequence).
 */
@ApplicationScoped
public class UnitsExport {

    static final String MEDIA_TYPE = "text/csv";

    private static final Logger LOG = Logger.getLogger(UnitsExport.class);
    private static final Pattern AREA_CODE = Pattern.compile("\\d{12}");
    private static final byte[] BOM_AND_HEADER = "\uFEFFcode,name,kind,county,township,basin,covered,covered_since\r\n"
            .getBytes(StandardCharsets.UTF_8);
    private static final byte[] COVERED = ",true,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NOT_COVERED = ",false,".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] KIND_NAMES = kindNames();

    /** Units asked for per ListGoalUnits page (the service's maximum is 10,000; the tests ask fewer, to page). */
    @ConfigProperty(name = "qingliu.gateway.export-page-size", defaultValue = "5000")
    int pageSize;

    @GrpcClient("capacity")
    CapacityServiceBlockingStub capacity;

    @Inject
    Calls calls;

    /**
     * The next page is fetched while the current one is written, so that capacity-service's query
     * and the gateway's writing overlap instead of taking turns: one thread per running export.
     */
    private final ExecutorService prefetch = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "units-export-prefetch");
        t.setDaemon(true);
        return t;
    });

    @PreDestroy
    void stop() {
        prefetch.shutdownNow();
    }

    Response csv(String goal, String areaCode, String asOfDate, String filter) {
        Date date = Params.date("asOfDate", asOfDate);
        String area = Params.text(areaCode).trim();
        if (!area.isEmpty() && !AREA_CODE.matcher(area).matches()) {
            throw new InvalidParameterException("areaCode", "must be a division code of 12 digits, not \"" + areaCode + "\"");
        }
        var request = ListGoalUnitsRequest.newBuilder().setGoal(goal).setAreaCode(area).setFilter(Params.text(filter))
                .setPageSize(pageSize);
        Params.ifPresent(date, request::setAsOfDate);
        ListGoalUnitsRequest asked = request.build();
        // The caller's token, taken now: the pages after the first are fetched while the body is written.
        Calls.AsCaller calls = this.calls.forCaller();
        ListGoalUnitsResponse first = calls.read(Service.CAPACITY, capacity, s -> s.listGoalUnits(asked));
        // The page token is bound to the date: the next pages ask for the day the service resolved.
        ListGoalUnitsRequest next = asked.toBuilder().setAsOfDate(first.getAsOfDate()).build();
        StreamingOutput body = out -> write(calls, next, first, out);
        return Response.ok(body, MEDIA_TYPE + ";charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + fileName(goal, area, first.getAsOfDate()) + "\"")
                .header("Qingliu-Feed-Sequence", first.getFeedSequence())
                .header("Qingliu-Total-Size", first.getTotalSize())
                .build();
    }

    private void write(Calls.AsCaller calls, ListGoalUnitsRequest request, ListGoalUnitsResponse first, OutputStream body)
            throws IOException {
        // Bytes, not a Writer: the services' strings are UTF-8 already (see CsvReport.writeQuoted).
        OutputStream w = new BufferedOutputStream(body, 1 << 16);
        w.write(BOM_AND_HEADER);
        ListGoalUnitsResponse page = first;
        Future<ListGoalUnitsResponse> next = fetchAfter(calls, request, page);
        long rows = 0;
        try {
            while (true) {
                for (GoalUnitStatus status : page.getUnitsList()) {
                    row(w, status);
                }
                rows += page.getUnitsCount();
                if (next == null) {
                    break;
                }
                page = await(next);
                next = fetchAfter(calls, request, page);
            }
        } finally {
            if (next != null) {
                next.cancel(true); // the client went away: stop asking
            }
        }
        w.flush();
        if (page.getFeedSequence() != first.getFeedSequence()) {
            LOG.infof("export of %s: %d rows, feed sequence %d on the first page, %d on the last", request.getGoal(), rows,
                    first.getFeedSequence(), page.getFeedSequence());
        }
    }

    /** The page after this one, being fetched; null after the last page. */
    private Future<ListGoalUnitsResponse> fetchAfter(Calls.AsCaller calls, ListGoalUnitsRequest request,
            ListGoalUnitsResponse page) {
        if (page.getNextPageToken().isEmpty()) {
            return null;
        }
        var ask = request.toBuilder().setPageToken(page.getNextPageToken()).build();
        return prefetch.submit(() -> calls.read(Service.CAPACITY, capacity, s -> s.listGoalUnits(ask)));
    }

    private static ListGoalUnitsResponse await(Future<ListGoalUnitsResponse> page) throws IOException {
        try {
            return page.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // a DownstreamException: the body is cut short, the status was already sent
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching the next page", e);
        }
    }

    private static void row(OutputStream w, GoalUnitStatus status) throws IOException {
        GoalUnit u = status.getUnit();
        u.getCodeBytes().writeTo(w);
        w.write(',');
        CsvReport.writeQuoted(u.getDisplayNameBytes(), w);
        w.write(',');
        w.write(kindName(u.getKindValue()));
        w.write(',');
        u.getCountyCodeBytes().writeTo(w);
        w.write(',');
        u.getTownshipCodeBytes().writeTo(w);
        w.write(',');
        CsvReport.writeQuoted(u.getBasinBytes(), w);
        w.write(status.getCovered() ? COVERED : NOT_COVERED);
        if (status.hasCoveredSince()) {
            Date d = status.getCoveredSince();
            digits(w, d.getYear(), 4);
            w.write('-');
            digits(w, d.getMonth(), 2);
            w.write('-');
            digits(w, d.getDay(), 2);
        }
        w.write('\r');
        w.write('\n');
    }

    /** A year (4 digits) or a month or day (2), zero-padded. */
    private static void digits(OutputStream w, int value, int width) throws IOException {
        for (int div = width == 4 ? 1000 : 10; div > 0; div /= 10) {
            w.write('0' + value / div % 10);
        }
    }

    /** The kind as gRPC-JSON names it, e.g. DIVISION_KIND_VILLAGERS_COMMITTEE; its number when unknown here. */
    private static byte[] kindName(int number) {
        if (number >= 0 && number < KIND_NAMES.length && KIND_NAMES[number] != null) {
            return KIND_NAMES[number];
        }
        return Integer.toString(number).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] kindNames() {
        int max = 0;
        for (DivisionKind k : DivisionKind.values()) {
            if (k != DivisionKind.UNRECOGNIZED) {
                max = Math.max(max, k.getNumber());
            }
        }
        byte[][] names = new byte[max + 1][];
        for (DivisionKind k : DivisionKind.values()) {
            if (k != DivisionKind.UNRECOGNIZED) {
                names[k.getNumber()] = k.name().getBytes(StandardCharsets.US_ASCII);
            }
        }
        return names;
    }

    /** ASCII only, so that no header encoding is needed: units-12-town-sewage-512000000000-2020-12-31.csv. */
    private static String fileName(String goal, String area, Date date) {
        String[] parts = goal.split("/");
        String name = parts.length == 4 ? parts[1] + "-" + parts[3] : goal;
        return ("units-" + name + "-" + (area.isEmpty() ? "all" : area) + "-"
                + String.format("%04d-%02d-%02d", date.getYear(), date.getMonth(), date.getDay()) + ".csv")
                .replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
