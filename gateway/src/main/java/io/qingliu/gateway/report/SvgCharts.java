package io.qingliu.gateway.report;

import io.qingliu.api.capacity.v1.CoverageFigures;
import io.qingliu.api.capacity.v1.SeriesPoint;
import io.qingliu.api.capacity.v1.TargetProgress;
import java.util.List;
import java.util.Locale;

/**
 * Charts as inline SVG, drawn here so that the page needs no script and no outside asset and prints
 * as it shows. They plot the service's figures; only the scale is computed.
 */
final class SvgCharts {

    private static final int WIDTH = 640;

    private SvgCharts() {
    }

    /** A target's monthly series as a line, against its target as a dashed line. */
    static String series(TargetProgress t) {
        int height = 220;
        int left = 60;
        int right = 20;
        int top = 20;
        int bottom = 40;
        List<SeriesPoint> points = t.getMonthlyList();
        double max = Math.max(t.getTarget(), points.stream().mapToDouble(SeriesPoint::getValue).max().orElse(0));
        if (max <= 0) {
            max = 1;
        }
        double plotW = WIDTH - left - right;
        double plotH = height - top - bottom;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"").append(Html.escape(t.getLabel())).append("\">");
        // Axes
        s.append(line(left, top, left, top + plotH, "axis")).append(line(left, top + plotH, left + plotW, top + plotH, "axis"));
        s.append(text(left - 6, top + plotH, "end", "0"));
        s.append(text(left - 6, top + 10, "end", Labels.number(round(max))));
        double targetY = top + plotH - t.getTarget() / max * plotH;
        s.append("<line class=\"target\" x1=\"").append(f(left)).append("\" y1=\"").append(f(targetY)).append("\" x2=\"")
                .append(f(left + plotW)).append("\" y2=\"").append(f(targetY)).append("\"/>");
        s.append(text(left + plotW, targetY - 4, "end", "目标 " + Labels.number(t.getTarget())));
        if (!points.isEmpty()) {
            StringBuilder poly = new StringBuilder();
            int n = points.size();
            for (int i = 0; i < n; i++) {
                double x = left + (n == 1 ? plotW / 2 : plotW * i / (n - 1));
                double y = top + plotH - points.get(i).getValue() / max * plotH;
                poly.append(f(x)).append(',').append(f(y)).append(' ');
            }
            s.append("<polyline class=\"series\" points=\"").append(poly.toString().trim()).append("\"/>");
            s.append(text(left, top + plotH + 16, "start", Labels.date(points.get(0).getDate()).substring(0, 7)));
            s.append(text(left + plotW, top + plotH + 16, "end", Labels.date(points.get(n - 1).getDate()).substring(0, 7)));
        }
        return s.append("</svg>").toString();
    }

    /** Each county's covered share as a bar on its total, with covered/total written beside it. */
    static String coverageBars(List<CoverageFigures> counties) {
        int rowH = 26;
        int left = 120;
        int barW = 360;
        int height = Math.max(1, counties.size()) * rowH + 10;
        StringBuilder s = new StringBuilder();
        s.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" role=\"img\" aria-label=\"分县(区)覆盖率\">");
        int y = 5;
        for (CoverageFigures c : counties) {
            double share = Math.max(0, Math.min(100, c.getPercent())) / 100.0;
            s.append(text(left - 8, y + 17, "end", c.getDisplayName()));
            s.append("<rect class=\"total\" x=\"").append(left).append("\" y=\"").append(y + 4).append("\" width=\"")
                    .append(barW).append("\" height=\"").append(rowH - 8).append("\"/>");
            s.append("<rect class=\"covered\" x=\"").append(left).append("\" y=\"").append(y + 4).append("\" width=\"")
                    .append(f(barW * share)).append("\" height=\"").append(rowH - 8).append("\"/>");
            s.append(text(left + barW + 8, y + 17, "start", c.getCovered() + "/" + c.getTotal() + "（"
                    + Labels.number(c.getPercent()) + "%）"));
            y += rowH;
        }
        return s.append("</svg>").toString();
    }

    private static String line(double x1, double y1, double x2, double y2, String cls) {
        return "<line class=\"" + cls + "\" x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\""
                + f(y2) + "\"/>";
    }

    private static String text(double x, double y, String anchor, String content) {
        return "<text x=\"" + f(x) + "\" y=\"" + f(y) + "\" text-anchor=\"" + anchor + "\">" + Html.escape(content)
                + "</text>";
    }

    private static String f(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** The axis's top label only, so that it reads 76200 rather than 76200.000001. */
    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
