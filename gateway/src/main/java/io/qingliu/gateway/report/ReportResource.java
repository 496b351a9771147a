package io.qingliu.gateway.report;

import io.qingliu.gateway.http.InvalidParameterException;
import io.qingliu.gateway.http.Params;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * A plan's progress report as HTML, CSV or Excel. The figures are capacity-service's answers
 * (GetPlan, GetPlanProgress, SummarizeCoverage, ListUncoveredUnits); the writers only format them.
 * No {@code @Produces}: the format comes from {@code format} or else Accept, and an Accept the
 * report cannot meet gets the HTML page rather than a 406.
 */
@Path("/api/v1/plans/{plan}/report")
public class ReportResource {

    /** A division code as the national statistics write it: 12 digits. */
    private static final Pattern AREA_CODE = Pattern.compile("\\d{12}");

    enum Format {
        HTML(MediaType.TEXT_HTML + ";charset=UTF-8", "html"),
        CSV("text/csv;charset=UTF-8", "csv"),
        XLSX(XlsxReport.MEDIA_TYPE, "xlsx");

        final String mediaType;
        final String extension;

        Format(String mediaType, String extension) {
            this.mediaType = mediaType;
            this.extension = extension;
        }
    }

    @Inject
    ReportAssembler assembler;

    @GET
    @Operation(summary = "Progress report of a plan as of a date, for its city or one county: format=html|csv|xlsx "
            + "(or Accept: text/html, text/csv, " + XlsxReport.MEDIA_TYPE + "; default html)")
    @APIResponse(responseCode = "200", description = "The report in the format asked for; CSV and Excel as an attachment",
            content = {
                @Content(mediaType = "text/html", schema = @Schema(type = SchemaType.STRING)),
                @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
                @Content(mediaType = XlsxReport.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, format = "binary"))})
    public Response report(@PathParam("plan") String plan, @QueryParam("asOfDate") String asOfDate,
            @QueryParam("areaCode") String areaCode, @QueryParam("format") String format,
            @Context HttpHeaders headers) {
        var date = Params.date("asOfDate", asOfDate);
        String area = Params.text(areaCode).trim();
        if (!area.isEmpty() && !AREA_CODE.matcher(area).matches()) {
            throw new InvalidParameterException("areaCode", "must be a division code of 12 digits, not \"" + areaCode + "\"");
        }
        Format f = format(format, headers);
        ProgressReport report = assembler.assemble(plan, date, area);
        StreamingOutput body = switch (f) {
            case HTML -> out -> HtmlReport.write(report, out);
            case CSV -> out -> CsvReport.write(report, out);
            case XLSX -> out -> XlsxReport.write(report, out);
        };
        String filename = fileName(report, f);
        return Response.ok(body, f.mediaType)
                .header("Content-Disposition", (f == Format.HTML ? "inline" : "attachment") + "; filename=\"" + filename + "\"")
                .build();
    }

    /** {@code format} when given (and then it must be known); else the first of Accept's types the report has. */
    static Format format(String raw, HttpHeaders headers) {
        if (raw != null && !raw.isBlank()) {
            return switch (raw.trim().toLowerCase(Locale.ROOT)) {
                case "html" -> Format.HTML;
                case "csv" -> Format.CSV;
                case "xlsx" -> Format.XLSX;
                default -> throw new InvalidParameterException("format", "must be one of html, csv, xlsx, not \"" + raw + "\"");
            };
        }
        // Sorted by quality, most specific first (JAX-RS's order).
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isWildcardType()) {
                return Format.HTML;
            }
            String t = type.getType() + "/" + type.getSubtype();
            if (t.equals("text/html")) {
                return Format.HTML;
            }
            if (t.equals("text/csv")) {
                return Format.CSV;
            }
            if (t.equals(XlsxReport.MEDIA_TYPE)) {
                return Format.XLSX;
            }
        }
        return Format.HTML;
    }

    /** ASCII only, so that no header encoding is needed: progress-ZY-2018-2020-512000000000-2020-12-31.xlsx. */
    private static String fileName(ProgressReport r, Format f) {
        String code = r.planCode().replaceAll("[^A-Za-z0-9._-]", "_");
        return "progress-" + code + "-" + r.areaCode() + "-" + r.asOfDate() + "." + f.extension;
    }
}
