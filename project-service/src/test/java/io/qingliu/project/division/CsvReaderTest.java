package io.qingliu.project.division;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    /** Each record as "line:field|field|...", with "!error" appended when malformed. */
    private static List<String> read(String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (CsvReader r = new CsvReader(new StringReader(text))) {
            List<String> f;
            while ((f = r.next()) != null) {
                out.add(r.recordLine() + ":" + String.join("|", f) + (r.recordError() == null ? "" : "!" + r.recordError()));
            }
        }
        return out;
    }

    @Test
    void plainQuotedAndEmptyFields() throws IOException {
        assertEquals(List.of("1:a|b|c", "2:1|x, y|", "3:|\"q\" z"),
                read("a,b,c\n1,\"x, y\",\n,\"\"\"q\"\" z\"\n"));
    }

    @Test
    void lineEndingsBomAndBlankLines() throws IOException {
        assertEquals(List.of("1:a|b", "2:c|d", "3:e|f", "5:g|"),
                read("\uFEFFa,b\r\nc,d\re,f\r\n\r\ng,"));
        assertEquals(List.of(), read(""));
        assertEquals(List.of(), read("\uFEFF"));
        assertEquals(List.of("1:\uFEFFa"), read("\uFEFF\uFEFFa"));  // only one BOM is stripped
    }

    @Test
    void quotedLineBreaksCountPhysicalLines() throws IOException {
        assertEquals(List.of("1:a|x\ny", "3:b|x\r\ny", "5:c|"), read("a,\"x\ny\"\nb,\"x\r\ny\"\r\nc,"));
    }

    @Test
    void malformedQuoting() throws IOException {
        assertEquals(List.of("1:a|b\"c!quote inside unquoted field", "2:ok"), read("a,b\"c\nok"));
        assertEquals(List.of("1:a|bc!unexpected character after closing quote", "2:ok"), read("a,\"b\"c\nok"));
        assertEquals(List.of("1:a|b\nok!quoted field not closed before end of input"), read("a,\"b\nok"));
    }
}
