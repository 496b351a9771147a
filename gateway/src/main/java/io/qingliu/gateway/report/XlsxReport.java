package io.qingliu.gateway.report;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;

/**
 * The report as an Excel workbook, one sheet per table, numbers as numeric cells. SXSSF keeps a
 * window of rows in memory and spills the rest to a temporary file, so a long list of uncovered
 * villages does not fill the heap; the file is deleted on close.
 */
final class XlsxReport {

    static final String MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /** Rows kept in memory per sheet before SXSSF flushes them to its temporary file. */
    private static final int WINDOW = 200;

    private XlsxReport() {
    }

    static void write(ProgressReport report, OutputStream out) throws IOException {
        // close() also deletes SXSSF's temporary files (POI 5: dispose() is deprecated for it).
        try (SXSSFWorkbook book = new SXSSFWorkbook(WINDOW)) {
            Font bold = book.createFont();
            bold.setBold(true);
            CellStyle header = book.createCellStyle();
            header.setFont(bold);
            for (ReportTables.Table table : ReportTables.of(report)) {
                Sheet sheet = book.createSheet(table.title());
                Row head = sheet.createRow(0);
                List<ReportTables.Column> columns = table.columns();
                for (int i = 0; i < columns.size(); i++) {
                    Cell cell = head.createCell(i);
                    cell.setCellValue(columns.get(i).label());
                    cell.setCellStyle(header);
                    sheet.setColumnWidth(i, 16 * 256);
                }
                sheet.createFreezePane(0, 1);
                int r = 1;
                for (List<Object> values : table.rows()) {
                    Row row = sheet.createRow(r++);
                    for (int i = 0; i < values.size(); i++) {
                        Object v = values.get(i);
                        Cell cell = row.createCell(i);
                        if (v instanceof Number n) {
                            cell.setCellValue(n.doubleValue());
                        } else {
                            cell.setCellValue(String.valueOf(v));
                        }
                    }
                }
            }
            book.write(out);
            out.flush();
        }
    }
}
