package io.qingliu.gateway.report;

import io.qingliu.api.capacity.v1.TargetProgress;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The report as a printable HTML page (A4): header, targets, a chart per target, coverage by county
 * with a bar chart, the uncovered towns and villages, late projects. No script and nothing loaded
 * from elsewhere; every text is escaped. Written as it goes, so the uncovered lists stream.
 */
final class HtmlReport {

    private static final String STYLE = """
            @page { size: A4; margin: 15mm 12mm; }
            body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimSun", sans-serif;
                   font-size: 10.5pt; color: #111; max-width: 190mm; margin: 0 auto; }
            h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 13pt; margin: 14pt 0 4pt; }
            h3 { font-size: 11pt; margin: 10pt 0 4pt; }
            dl.meta { display: grid; grid-template-columns: max-content auto; gap: 2pt 10pt; margin: 0; }
            dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
            table { border-collapse: collapse; width: 100%; margin: 4pt 0; }
            th, td { border: 0.5pt solid #888; padding: 2pt 4pt; text-align: left; }
            th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            thead { display: table-header-group; } tr, svg { page-break-inside: avoid; break-inside: avoid; }
            svg.chart { width: 100%; height: auto; margin: 4pt 0; }
            svg text { font-size: 11px; fill: #222; }
            svg .axis { stroke: #444; stroke-width: 1; } svg .target { stroke: #c0392b; stroke-dasharray: 6 4; stroke-width: 1.5; }
            svg .series { fill: none; stroke: #1f5fa8; stroke-width: 2; }
            svg .total { fill: #e3e3e3; } svg .covered { fill: #2e8b57; }
            @media print { body { max-width: none; } h2 { page-break-after: avoid; break-after: avoid; } }
            """;

    private HtmlReport() {
    }

    static void write(ProgressReport r, OutputStream out) throws IOException {
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
        String title = r.planName() + " 进展报告";
        w.write("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
        w.write(Html.escape(title));
        w.write("</title>\n<style>\n");
        w.write(STYLE);
        w.write("</style>\n</head>\n<body>\n<h1>");
        w.write(Html.escape(title));
        w.write("</h1>\n<dl class=\"meta\">");
        meta(w, "计划", r.planName() + "（" + r.planCode() + "）");
        meta(w, "截至日期", r.asOfDate().toString());
        meta(w, "区域", r.areaName() + "（" + r.areaCode() + "）");
        meta(w, "数据序号", Long.toString(r.feedSequence()));
        w.write("</dl>\n");

        w.write("<h2>目标完成情况</h2>\n");
        table(w, ReportTables.targets(r));
        for (TargetProgress t : r.targets()) {
            w.write("<h3>");
            w.write(Html.escape(t.getLabel() + "：逐月累计与目标"));
            w.write("</h3>\n");
            w.write(SvgCharts.series(t));
            w.write('\n');
        }

        w.write("<h2>分县(区)覆盖情况</h2>\n");
        for (ProgressReport.Coverage c : r.coverage()) {
            w.write("<h3>");
            w.write(Html.escape(c.goalName() + "：" + c.totals().getCovered() + "/" + c.totals().getTotal() + "（"
                    + Labels.number(c.totals().getPercent()) + "%）"));
            w.write("</h3>\n");
            w.write(SvgCharts.coverageBars(c.counties()));
            w.write('\n');
        }
        table(w, ReportTables.counties(r));

        w.write("<h2>分乡镇覆盖情况</h2>\n");
        table(w, ReportTables.townships(r));

        w.write("<h2>未覆盖的乡镇和村</h2>\n<p>");
        StringBuilder counts = new StringBuilder();
        for (ProgressReport.Coverage c : r.coverage()) {
            counts.append(counts.length() == 0 ? "" : "；").append(c.goalName()).append("：")
                    .append(c.uncoveredCount()).append(" 个未覆盖");
        }
        w.write(Html.escape(counts.toString()));
        w.write("</p>\n");
        table(w, ReportTables.uncovered(r));

        w.write("<h2>逾期项目</h2>\n");
        table(w, ReportTables.late(r));
        w.write("</body>\n</html>\n");
        w.flush();
    }

    private static void meta(Writer w, String label, String value) throws IOException {
        w.write("<dt>" + Html.escape(label) + "</dt><dd>" + Html.escape(value) + "</dd>");
    }

    private static void table(Writer w, ReportTables.Table table) throws IOException {
        w.write("<table class=\"" + table.key() + "\">\n<thead><tr>");
        for (ReportTables.Column c : table.columns()) {
            w.write("<th>" + Html.escape(c.label()) + "</th>");
        }
        w.write("</tr></thead>\n<tbody>\n");
        boolean empty = true;
        for (List<Object> row : table.rows()) {
            empty = false;
            w.write("<tr>");
            for (Object cell : row) {
                w.write(cell instanceof Number ? "<td class=\"num\">" : "<td>");
                w.write(Html.escape(ReportTables.text(cell)));
                w.write("</td>");
            }
            w.write("</tr>\n");
        }
        if (empty) {
            w.write("<tr><td colspan=\"" + table.columns().size() + "\">无</td></tr>\n");
        }
        w.write("</tbody>\n</table>\n");
    }
}
