package io.qingliu.project.division;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Synthetic inputs: every problem kind with exact line numbers, and the CSV dialect details. */
class DivisionFileParserTest {

    private static final String FOUR_HEADER = "code,name,level,parent_code\n";
    private static final String VILLAGES_HEADER = "code,name,streetCode,provinceCode,cityCode,areaCode\n";

    private record Parsed(ParseResult result, List<DivisionRow> rows) {
        /** Problems as "line:field". */
        List<String> where() {
            return result.problems().stream().map(p -> p.line() + ":" + p.field()).collect(Collectors.toList());
        }

        String message(long line, String field) {
            return result.problems().stream().filter(p -> p.line() == line && p.field().equals(field))
                    .map(ParseProblem::message).findFirst().orElseThrow(() -> new AssertionError(
                            "no " + field + " problem at line " + line + " in " + result.problems()));
        }
    }

    private static Parsed parse(DivisionFileFormat format, byte[] bytes) throws IOException {
        List<DivisionRow> rows = new ArrayList<>();
        ParseResult r = new DivisionFileParser(format).parse(new ByteArrayInputStream(bytes), "test.csv", rows::add);
        return new Parsed(r, rows);
    }

    private static Parsed parse(DivisionFileFormat format, String text) throws IOException {
        return parse(format, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(plain);
        }
        return bos.toByteArray();
    }

    private static final String GOOD_FOUR = FOUR_HEADER
            + "510000000000,四川省,province,\n"
            + "512000000000,资阳市,city,510000000000\n"
            + "512002000000,雁江区,county,512000000000\n"
            + "512002001000,莲花街道,township,512002000000\n"
            + "512002001001,石岭村民委员会,village,512002001000\n";

    @Test
    void fourColumnHappyPath() throws IOException {
        Parsed p = parse(DivisionFileFormat.FOUR_COLUMN, GOOD_FOUR);
        assertTrue(p.result().ok(), p.result().problems().toString());
        assertEquals(5, p.result().rows());
        assertEquals(5, p.result().accepted());
        assertEquals(new DivisionRow("510000000000", "四川省", DivisionLevel.PROVINCE, null, 2, "test.csv"), p.rows().get(0));
        assertEquals(new DivisionRow("512002001001", "石岭村民委员会", DivisionLevel.VILLAGE, "512002001000", 6, "test.csv"),
                p.rows().get(4));
        assertEquals(DivisionKind.SUBDISTRICT, p.rows().get(3).kind());
    }

    @Test
    void fourColumnProblemsWithLineNumbers() throws IOException {
        String longName = "长".repeat(101);
        String text = FOUR_HEADER
                + "510000000000,四川省,province,\n"                      // 2 ok
                + "512000000000,资阳市,city,510000000000\n"              // 3 ok
                + "51200200000,雁江区,county,512000000000\n"             // 4 code length
                + "5120020000X0,雁江区,county,512000000000\n"            // 5 code not digits
                + "512021000000,,county,512000000000\n"                 // 6 empty name
                + "512022000000," + longName + ",county,512000000000\n" // 7 long name
                + "512023000000,乐至县,County,512000000000\n"            // 8 unknown level
                + "512002001000,某镇,township,\n"                        // 9 parent missing
                + "512002002000,某乡,township,512021000000\n"            // 10 parent not the ancestor
                + "512002000000,雁江区,county,512000000000\n"            // 11 ok
                + "512002000000,雁江区二,county,512000000000\n"          // 12 duplicate of 11
                + "512002003000,某街道,township\n"                       // 13 column count
                + "512002003100,某街道,township,512002000000\n"          // 14 not a township-precision code
                + "520000000000,贵州省,province,510000000000\n"          // 15 province with a parent
                + "512002004000,某镇,township,51200200000A\n"            // 16 malformed parent
                + "512002005000, 某镇,township,512002000000\n"           // 17 leading space
                + "512002006000,某\"镇,township,512002000000\n"          // 18 bad CSV quoting
                + "512002007000,某镇,township,512002000000\n";           // 19 ok
        Parsed p = parse(DivisionFileFormat.FOUR_COLUMN, text);
        assertEquals(List.of("4:code", "5:code", "6:name", "7:name", "8:level", "9:parent_code", "10:parent_code",
                "12:code", "13:row", "14:code", "15:parent_code", "16:parent_code", "17:name", "18:row"), p.where());
        assertEquals(18, p.result().rows());
        assertEquals(4, p.result().accepted());
        assertEquals(List.of(2L, 3L, 11L, 19L), p.rows().stream().map(DivisionRow::line).collect(Collectors.toList()));
        assertEquals(14, p.result().problemCount());
        assertFalse(p.result().problemsTruncated());

        assertTrue(p.message(4, "code").contains("expected 12"), p.message(4, "code"));
        assertTrue(p.message(5, "code").contains("not all digits"));
        assertTrue(p.message(6, "name").contains("empty"));
        assertTrue(p.message(7, "name").contains("101"));
        assertTrue(p.message(8, "level").contains("County"));
        assertTrue(p.message(9, "parent_code").contains("missing"));
        assertTrue(p.message(10, "parent_code").contains("expected 512002000000"), p.message(10, "parent_code"));
        assertTrue(p.message(12, "code").contains("first seen at line 11"));
        assertTrue(p.message(13, "row").contains("expected 4 columns but found 3"));
        assertTrue(p.message(14, "code").contains("first 9"));
        assertTrue(p.message(15, "parent_code").contains("province"));
        assertTrue(p.message(18, "row").contains("quote"));
        assertEquals("test.csv", p.result().problems().get(0).file());
    }

    @Test
    void nameOfExactly100CharactersIsFine() throws IOException {
        String text = FOUR_HEADER + "510000000000," + "𠀀".repeat(100) + ",province,\n";  // surrogate pairs
        Parsed p = parse(DivisionFileFormat.FOUR_COLUMN, text);
        assertTrue(p.result().ok(), p.result().problems().toString());
    }

    @Test
    void nationalProblemsWithLineNumbers() throws IOException {
        String text = VILLAGES_HEADER
                + "110101001001,\"多福巷社区居委会\",110101001,11,1101,110101\n"  // 2 ok
                + "11010100100,\"x\",110101001,11,1101,110101\n"                  // 3 code length
                + "110101001002,\"y\",110101002,11,1101,110101\n"                 // 4 streetCode not ancestor
                + "110101001003,\"z\",,11,1101,110101\n"                          // 5 streetCode missing
                + "110101001004,\"w\",110101001,12,1101,110101\n"                 // 6 provinceCode not ancestor
                + "110101001005,\"v\",110101001,11,1101\n"                        // 7 column count
                + "110101001001,\"dup\",110101001,11,1101,110101\n"               // 8 duplicate of 2
                + "110101001006,\"u\",1101010010,11,1101,110101\n"                // 9 streetCode wrong length
                + "110101001007,\"\",110101001,11,1101,110101\n"                  // 10 empty name
                + "110101001008,\"多行\n名称\",110101001,11,1101,110101\n"          // 11-12 control char in name
                + "110101001009,\"t\",110101001,11,1101,110101\n";                // 13 ok
        Parsed p = parse(DivisionFileFormat.VILLAGES, text);
        assertEquals(List.of("3:code", "4:parent_code", "5:parent_code", "6:parent_code", "7:row", "8:code",
                "9:parent_code", "10:name", "11:name"), p.where());
        assertTrue(p.message(4, "parent_code").startsWith("streetCode 110101002 is not the township of 110101001002"));
        assertTrue(p.message(5, "parent_code").contains("streetCode missing"));
        assertTrue(p.message(6, "parent_code").startsWith("provinceCode 12"));
        assertTrue(p.message(9, "parent_code").contains("9-digit"));
        assertTrue(p.message(11, "name").contains("control character U+000A"));
        assertEquals(List.of(2L, 13L), p.rows().stream().map(DivisionRow::line).collect(Collectors.toList()));
        DivisionRow row = p.rows().get(0);
        assertEquals("110101001001", row.code());
        assertEquals("110101001000", row.parentCode());
        assertEquals(DivisionKind.COMMUNITY, row.kind());
    }

    @Test
    void nationalCodesArePadded() throws IOException {
        Parsed provinces = parse(DivisionFileFormat.PROVINCES, "code,name\n11,\"北京市\"\n");
        assertEquals(List.of(new DivisionRow("110000000000", "北京市", DivisionLevel.PROVINCE, null, 2, "test.csv")),
                provinces.rows());
        Parsed cities = parse(DivisionFileFormat.CITIES, "code,name,provinceCode\n1101,\"市辖区\",11\n");
        assertEquals("110100000000", cities.rows().get(0).code());
        assertEquals("110000000000", cities.rows().get(0).parentCode());
        Parsed areas = parse(DivisionFileFormat.AREAS, "code,name,cityCode,provinceCode\n110101,\"东城区\",1101,11\n");
        assertEquals("110101000000", areas.rows().get(0).code());
        assertEquals("110100000000", areas.rows().get(0).parentCode());
        Parsed streets = parse(DivisionFileFormat.STREETS,
                "code,name,areaCode,provinceCode,cityCode\n110101001,\"东华门街道\",110101,11,1101\n1101010011,\"x\",110101,11,1101\n");
        assertEquals("110101001000", streets.rows().get(0).code());
        assertEquals("110101000000", streets.rows().get(0).parentCode());
        assertEquals(DivisionLevel.TOWNSHIP, streets.rows().get(0).level());
        assertEquals(List.of("3:code"), streets.where());
    }

    @Test
    void headerMustMatchTheRole() throws IOException {
        Parsed wrong = parse(DivisionFileFormat.AREAS, "code,name,provinceCode\n1101,\"市辖区\",11\n");
        assertEquals(List.of("1:header"), wrong.where());
        assertEquals(0, wrong.result().rows());
        assertTrue(wrong.rows().isEmpty());
        assertEquals(List.of("1:header"), parse(DivisionFileFormat.FOUR_COLUMN, "").where());
        assertEquals(List.of("1:header"), parse(DivisionFileFormat.FOUR_COLUMN, "Code,name,level,parent_code\n").where());
        assertEquals(List.of("1:header"), parse(DivisionFileFormat.FOUR_COLUMN, "\ncode,name,level,parent_code\n").where());
        assertEquals(List.of("1:header"), parse(DivisionFileFormat.FOUR_COLUMN, "code,name,level\n").where());
        // quoted header cells are the same header
        assertTrue(parse(DivisionFileFormat.PROVINCES, "\"code\",\"name\"\n11,北京市\n").result().ok());
    }

    @Test
    void gzipAndPlainGiveTheSameRows() throws IOException {
        byte[] plain = GOOD_FOUR.getBytes(StandardCharsets.UTF_8);
        Parsed a = parse(DivisionFileFormat.FOUR_COLUMN, plain);
        Parsed b = parse(DivisionFileFormat.FOUR_COLUMN, gzip(plain));
        assertTrue(b.result().ok(), b.result().problems().toString());
        assertEquals(5, b.rows().size());
        assertEquals(a.rows(), b.rows());
    }

    @Test
    void quotedNameWithCommaAndDoubledQuote() throws IOException {
        Parsed p = parse(DivisionFileFormat.FOUR_COLUMN,
                FOUR_HEADER + "510000000000,\"四川,\"\"省\"\"\",province,\n512000000000,资阳市,city,510000000000\n");
        assertTrue(p.result().ok(), p.result().problems().toString());
        assertEquals("四川,\"省\"", p.rows().get(0).name());
        assertEquals(3, p.rows().get(1).line());
    }

    @Test
    void crlfAndBom() throws IOException {
        String crlf = "\uFEFF" + GOOD_FOUR.replace("\n", "\r\n");
        Parsed p = parse(DivisionFileFormat.FOUR_COLUMN, crlf);
        assertTrue(p.result().ok(), p.result().problems().toString());
        assertEquals(parse(DivisionFileFormat.FOUR_COLUMN, GOOD_FOUR).rows(), p.rows());
        assertEquals("四川省", p.rows().get(0).name());
        assertEquals("510000000000", p.rows().get(1).parentCode());  // no stray \r
        // gzip + BOM + CRLF, no trailing newline
        Parsed g = parse(DivisionFileFormat.FOUR_COLUMN, gzip(crlf.strip().getBytes(StandardCharsets.UTF_8)));
        assertEquals(p.rows(), g.rows());
    }

    @Test
    void invalidUtf8IsANameProblem() throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        bos.write(FOUR_HEADER.getBytes(StandardCharsets.UTF_8));
        bos.write("510000000000,四".getBytes(StandardCharsets.UTF_8));
        bos.write(new byte[] {(byte) 0xE5, (byte) 0x9B});  // truncated sequence
        bos.write(",province,\n".getBytes(StandardCharsets.UTF_8));
        Parsed p = parse(DivisionFileFormat.FOUR_COLUMN, bos.toByteArray());
        assertEquals(List.of("2:name"), p.where());
        assertTrue(p.message(2, "name").contains("U+FFFD"));
    }

    @Test
    void problemCollectionIsCappedButCountingGoesOn() throws IOException {
        StringBuilder sb = new StringBuilder(FOUR_HEADER);
        for (int i = 0; i < 1500; i++) {
            sb.append("x,资阳市,city,510000000000\n");
        }
        Parsed p = parse(DivisionFileFormat.FOUR_COLUMN, sb.toString());
        assertEquals(1000, p.result().problems().size());
        assertEquals(1500, p.result().problemCount());
        assertTrue(p.result().problemsTruncated());
        assertEquals(1001, p.result().problems().get(999).line());
        assertEquals(1500, p.result().rows());
        assertEquals(0, p.result().accepted());
    }

    @Test
    void callerStreamIsNotClosed() throws IOException {
        boolean[] closed = {false};
        InputStream in = new ByteArrayInputStream(GOOD_FOUR.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new DivisionFileParser(DivisionFileFormat.FOUR_COLUMN).parse(in, "x", r -> { });
        assertFalse(closed[0]);
    }

    @Test
    void formatFromNationalFileName() {
        assertEquals(DivisionFileFormat.VILLAGES, DivisionFileFormat.forNationalFileName("/d/china/villages.csv.gz").orElseThrow());
        assertEquals(DivisionFileFormat.PROVINCES, DivisionFileFormat.forNationalFileName("provinces.csv").orElseThrow());
        assertTrue(DivisionFileFormat.forNationalFileName("ziyang-5120.csv").isEmpty());
    }
}
